"""잘못된 입력 3: 잠재 공간의 점 — 안전하게 바꿀 수 있는 것(float64, 정수, numpy, 목록)은 바꾸고, 나머지는 거절."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from aelib import latent  # noqa: E402
from aelib import problems as P  # noqa: E402
from aelib.errors import AelibError, ArgumentError, LatentValueError, ShapeError  # noqa: E402
from aelib.model import Autoencoder  # noqa: E402
from aelib.plotting import plot_decoded_grid, plot_decoded_mosaic, plot_latent_space  # noqa: E402
from aelib.vae import VAE  # noqa: E402


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return Autoencoder().eval()


POINTS32 = torch.tensor([[0.5, -1.25], [2.0, 3.0]])


@pytest.mark.parametrize("points", [
    POINTS32.double(),
    POINTS32.numpy(),
    POINTS32.double().numpy(),
    POINTS32.tolist(),
    [tuple(p) for p in POINTS32.tolist()],
], ids=["float64 tensor", "numpy float32", "numpy float64", "list", "list of tuples"])
def test_safe_kinds_are_converted_and_decode_the_same(model, points):
    expected = model.decode(POINTS32)
    for decode in (model.decode, model.decoder.images, lambda z: latent.decode(model, z)):
        out = decode(points)
        assert out.dtype == torch.float32 and out.shape == (2, 1, 32, 32)
        assert torch.allclose(out, expected, atol=1e-6)
    logits = model.decoder(torch.as_tensor(points, dtype=torch.float64) if not isinstance(points, list) else
                           torch.tensor(points, dtype=torch.float64))
    assert logits.dtype == torch.float32


def test_integer_points_are_exact_points(model):
    assert torch.allclose(model.decode(torch.tensor([[1, 2]])), model.decode(torch.tensor([[1.0, 2.0]])))
    assert torch.allclose(latent.decode(model, np.array([[1, 2]], dtype=np.int32)),
                          model.decode(torch.tensor([[1.0, 2.0]])))


NON_FINITE = [
    ("NaN", [[float("nan"), 0.0]], "NaN 또는 무한대", "NaN or infinity"),
    ("inf", torch.tensor([[0.0, 1.0], [float("inf"), 0.0]]), "점 1개", "rows [1]"),
    ("-inf float64", np.array([[-np.inf, 0.0]]), "NaN 또는 무한대", "must be finite"),
]
WRONG_KIND = [
    ("bool", torch.tensor([[True, False]]), "torch.bool", "torch.bool"),
    ("complex", torch.tensor([[1 + 2j, 0j]]), "complex", "complex"),
    ("strings", [["0.5", "1.0"]], "실수 좌표", "real numbers"),
    ("ragged", [[0.5, 1.0], [2.0]], "바꿀 수 없습니다", "cannot be turned"),
    ("None", None, "실수 좌표", "real numbers"),
]
WRONG_SIZE = [
    ("one point without batch", torch.tensor([0.5, 1.0]), "z.reshape(1, -1)", "reshape(1, -1)"),
    ("three latents", torch.zeros(4, 3), "(N, 2)", "got shape (4, 3)"),
    ("one latent", [[0.5]], "(N, 2)", "(1, 1)"),
    ("3-D", torch.zeros(2, 2, 1), "(N, 2)", "(2, 2, 1)"),
]


@pytest.mark.parametrize("name, z, ko, en", NON_FINITE + WRONG_KIND, ids=[c[0] for c in NON_FINITE + WRONG_KIND])
def test_non_finite_and_wrong_kinds_are_refused(model, name, z, ko, en):
    for decode in (model.decode, VAE().decode, lambda p: latent.decode(model, p)):
        with pytest.raises(LatentValueError) as err:
            decode(z)
        assert ko in err.value.korean and en in err.value.english
        assert err.value.korean.startswith("z") and isinstance(err.value, AelibError)


@pytest.mark.parametrize("name, z, ko, en", WRONG_SIZE, ids=[c[0] for c in WRONG_SIZE])
def test_wrong_latent_size_is_a_shape_error(model, name, z, ko, en):
    for decode in (model.decode, lambda p: latent.decode(model, p)):
        with pytest.raises(ShapeError) as err:
            decode(z)
        assert ko in err.value.korean and en in err.value.english


def test_latent_size_follows_the_model():
    model3 = Autoencoder(latents=3)
    assert latent.decode(model3, [[0.0, 1.0, 2.0]]).shape == (1, 1, 32, 32)
    with pytest.raises(ShapeError, match=r"\(N, 3\)"):
        latent.decode(model3, POINTS32)


@pytest.mark.parametrize("lo, hi, n, error, words", [
    ([0.0, float("nan")], [1.0, 1.0], 3, LatentValueError, "lo"),
    ([0.0, 0.0], [float("inf"), 1.0], 3, LatentValueError, "hi"),
    ([0.0, 0.0, 0.0], [1.0, 1.0], 3, ShapeError, "lo"),
    ([0.0, 0.0], [1.0, 1.0], 0, ArgumentError, "n"),
    ([0.0, 0.0], [1.0, 1.0], 2.5, ArgumentError, "n"),
])
def test_grid_arguments(lo, hi, n, error, words):
    with pytest.raises(error) as err:
        latent.grid(lo, hi, n)
    assert err.value.korean.startswith(words) and err.value.english.startswith(words)


def test_grids_and_boxes_accept_float64_and_lists():
    g64 = latent.grid(torch.tensor([0.0, 0.0], dtype=torch.float64), np.array([1.0, 2.0]), 4)
    assert torch.equal(g64, latent.grid([0.0, 0.0], [1.0, 2.0], 4)) and g64.dtype == torch.float32
    lo, hi = latent.bounds(np.array([[0.0, 1.0], [2.0, 3.0]]))
    assert lo.tolist() == [0.0, 1.0] and hi.tolist() == [2.0, 3.0]
    with pytest.raises(LatentValueError):
        latent.bounds(torch.tensor([[0.0, 1.0], [float("nan"), 3.0]]))
    with pytest.raises(ArgumentError):
        latent.normal_grid(0)
    with pytest.raises(LatentValueError):
        latent.uniform_in_box([0.0, float("nan")], [1.0, 1.0], 5)


def test_plots_and_problem_measures_refuse_nan_embeddings(model):
    z = torch.randn(50, 2, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(50) % 10
    bad = z.clone()
    bad[7, 1] = float("nan")
    before = plt.get_fignums()
    for call in (lambda: plot_latent_space(bad, labels), lambda: plot_decoded_grid(model, bad, labels, n=3),
                 lambda: plot_decoded_mosaic(model, [[float("nan"), 0.0]], 1),
                 lambda: P.distribution_stats(bad), lambda: P.empty_area(bad, n=10),
                 lambda: P.interpolation_jumps(model, [0.0, float("nan")], [1.0, 1.0]),
                 lambda: P.judge_points(model, None, bad)):
        with pytest.raises(LatentValueError) as err:
            call()
        assert "NaN" in err.value.korean and "NaN" in err.value.english
    assert plt.get_fignums() == before
    with pytest.raises(ShapeError):
        P.interpolation_jumps(model, [0.0, 1.0, 2.0], [1.0, 1.0])
    with pytest.raises(ArgumentError, match="steps"):
        P.interpolation_jumps(model, [0.0, 1.0], [1.0, 1.0], steps=1)


def test_float64_embeddings_give_the_same_measures(model):
    z = torch.randn(200, 2, generator=torch.Generator().manual_seed(1))
    a, b = P.distribution_stats(z), P.distribution_stats(z.double())
    assert a.mean == pytest.approx(b.mean) and a.kl_to_prior == pytest.approx(b.kl_to_prior)
    walk32 = P.interpolation_jumps(model, z[0], z[1], steps=5)
    walk64 = P.interpolation_jumps(model, z[0].double().numpy(), z[1].tolist(), steps=5)
    assert torch.allclose(walk32.images, walk64.images, atol=1e-6)


@pytest.mark.parametrize("call, words", [
    (lambda z: P.data_threshold(z, 95), "quantile"),
    (lambda z: P.data_threshold(z, 0), "quantile"),
    (lambda z: P.sample_points(z, 0), "n"),
    (lambda z: P.sample_points(z, 2.5, sampling="prior"), "n"),
    (lambda z: P.prior_coverage(z, n=-1), "n"),
    (lambda z: P.prior_coverage(z, radius=float("nan")), "radius"),
    (lambda z: P.empty_area(z, n=0), "n"),
    (lambda z: P.interpolation_jump_stats(None, z, pairs=0), "pairs"),
])
def test_measure_settings_are_checked(call, words):
    z = torch.randn(30, 2, generator=torch.Generator().manual_seed(2))
    with pytest.raises(ArgumentError) as err:
        call(z)
    assert err.value.korean.startswith(words) and err.value.english.startswith(words)

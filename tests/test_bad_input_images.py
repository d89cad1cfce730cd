"""잘못된 입력 2: 모델의 약속([0, 1] 실수, 유한한 값)을 벗어난 이미지 텐서."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import TensorDataset  # noqa: E402

from aelib import latent  # noqa: E402
from aelib.classifier import ClothingClassifier  # noqa: E402
from aelib.errors import AelibError, ImageValueError, ShapeError  # noqa: E402
from aelib.model import Autoencoder, Encoder  # noqa: E402
from aelib.plotting import plot_class_examples, plot_reconstructions, show_images  # noqa: E402
from aelib.train import evaluate, fit  # noqa: E402
from aelib.vae import VAE  # noqa: E402


def good(n=4):
    return torch.rand(n, 1, 32, 32, generator=torch.Generator().manual_seed(0))


def with_nan(n=4):
    x = good(n)
    x[1, 0, 5, 5] = float("nan")
    return x


def with_inf(n=4):
    x = good(n)
    x[2, 0, 7, 7] = float("inf")
    return x


# (이름, 만드는 함수, 한국어 메시지에 있어야 할 것, 영어 메시지에 있어야 할 것)
BAD_IMAGES = [
    ("float 0-255", lambda: good() * 255, "0–255 이미지입니다. 255로 나누세요", "Divide by 255"),
    ("float 0-255 whole", lambda: torch.full((4, 1, 32, 32), 255.0), "최댓값 255: 0–255 이미지입니다", "maximum 255"),
    ("uint8 0-255", lambda: (good() * 255).to(torch.uint8), "torch.uint8", ".float() / 255"),
    ("int64", lambda: torch.ones(4, 1, 32, 32, dtype=torch.int64), "torch.int64", "dtype torch.int64"),
    ("bool", lambda: good() > 0.5, "torch.bool", "dtype torch.bool"),
    ("[-1, 1]", lambda: good() * 2 - 1, "[−1, 1]로 정규화한 이미지", "normalised to [-1, 1]"),
    ("other range", lambda: good() * 3 - 0.5, "값의 범위가", "values range from"),
    ("NaN", with_nan, "NaN 1개", "1 NaN"),
    ("inf", with_inf, "무한대 1개", "1 infinite"),
]
IDS = [b[0] for b in BAD_IMAGES]


@pytest.mark.parametrize("name, make, ko, en", BAD_IMAGES, ids=IDS)
def test_autoencoder_losses_refuse(name, make, ko, en):
    with pytest.raises(ImageValueError) as err:
        Autoencoder().losses(make())
    assert ko in err.value.korean and en in err.value.english
    assert str(err.value).index(ko) < str(err.value).index(en)  # 한국어 먼저
    assert err.value.korean.startswith(("x의 ", "x에 ")) and err.value.english.startswith("x ")  # 인자 이름
    assert isinstance(err.value, AelibError) and isinstance(err.value, ValueError)


@pytest.mark.parametrize("name, make, ko, en", BAD_IMAGES, ids=IDS)
def test_encoder_helpers_refuse(name, make, ko, en):
    model = Autoencoder()
    for call in (model.encode, model.reconstruct, Encoder(), VAE().losses, VAE().encode_distribution,
                 ClothingClassifier().judge, lambda x: latent.embed(model, x)):
        with pytest.raises(ImageValueError) as err:
            call(make())
        assert ko in err.value.korean and en in err.value.english


@pytest.mark.parametrize("name, make, ko, en", BAD_IMAGES, ids=IDS)
def test_plotting_helpers_refuse(name, make, ko, en):
    before = plt.get_fignums()
    with pytest.raises(ImageValueError):
        show_images(make())
    with pytest.raises(ImageValueError):
        plot_reconstructions(Autoencoder(), make())
    assert plt.get_fignums() == before  # 그리기 전에 멈춤: 빈 그림이 남지 않음


@pytest.mark.parametrize("name, make, ko, en", BAD_IMAGES, ids=IDS)
def test_fit_refuses_before_training(name, make, ko, en):
    model = Autoencoder()
    start = {k: v.clone() for k, v in model.state_dict().items()}
    images = make().repeat(5, 1, 1, 1)
    with pytest.raises(ImageValueError) as err:
        fit(model, TensorDataset(images, torch.arange(len(images)) % 10), epochs=1, progress=False)
    assert "train_set" in str(err.value)
    assert all(torch.equal(start[k], v) for k, v in model.state_dict().items())  # 모델은 그대로
    val_bad = TensorDataset(images, torch.arange(len(images)) % 10)
    with pytest.raises(ImageValueError, match="val_set"):
        fit(model, TensorDataset(good(20), torch.arange(20) % 10), val_bad, epochs=1, progress=False)
    assert all(torch.equal(start[k], v) for k, v in model.state_dict().items())
    with pytest.raises(ImageValueError):
        evaluate(model, val_bad)


def test_dataset_with_a_bad_image_in_the_last_batch_is_refused_before_any_batch():
    class Counting(Autoencoder):
        calls = 0

        def losses(self, x, labels=None):
            Counting.calls += 1
            return super().losses(x, labels)

    images = good(250)
    images[-1] *= 255  # 마지막 배치에만
    with pytest.raises(ImageValueError, match="255"):
        fit(Counting(), TensorDataset(images, torch.arange(250) % 10), epochs=1, batch_size=100, progress=False)
    assert Counting.calls == 0
    model = Autoencoder()
    with pytest.raises(ImageValueError):
        latent.embed(model, images, batch_size=100)


def test_plot_class_examples_refuses_0_255_dataset():
    images = good(100) * 255
    with pytest.raises(ImageValueError, match="255로 나누세요"):
        plot_class_examples(TensorDataset(images, torch.arange(100) % 10), per_class=2)


def test_shapes_are_still_shape_errors():
    with pytest.raises(ShapeError, match=r"\(N, 1, 32, 32\)"):
        Autoencoder().encode(torch.rand(4, 28, 28))
    with pytest.raises(ShapeError):
        Autoencoder().encode(np.zeros((4, 1, 32, 32), dtype=np.float32))


def test_valid_images_still_work_and_edges_are_fine():
    model = Autoencoder()
    x = good()
    x[0] = 0.0
    x[1] = 1.0  # 정확히 0과 1은 약속 안
    assert model.encode(x).shape == (4, 2)
    assert torch.isfinite(model.losses(x)["bce"])
    assert model.encode(x.double().float()).shape == (4, 2)
    assert model.encode(x.half().float()).shape == (4, 2)
    fig = show_images(x[:, 0].numpy())  # (N, H, W) numpy도 그림
    plt.close(fig)
    fig = plot_reconstructions(model, x)
    plt.close(fig)


def test_illustrations_refuse_0_255_images():
    from aelib import illustrations as il

    before = plt.get_fignums()
    with pytest.raises(ImageValueError, match=r"rows\['원본'\]"):
        il.plot_image_rows({"원본": good() * 255})
    with pytest.raises(ShapeError, match="같아야"):
        il.plot_image_rows({"원본": good(4), "재구성": good(3)})
    with pytest.raises(ImageValueError, match="reconstruction"):
        il.draw_autoencoder_diagram(good(1)[0], with_nan(2)[1])
    with pytest.raises(ImageValueError, match="255로 나누세요"):
        il.plot_kernel_effect(good(1)[0, 0] * 255, [[1, 0, -1]] * 3)
    assert plt.get_fignums() == before


@pytest.mark.parametrize("images, words", [
    (torch.zeros(2, 28, 28), "torch.float32"),
    (torch.zeros(2, 1, 28, 28, dtype=torch.uint8), "(2, 1, 28, 28)"),
    (np.zeros((2, 28, 28), dtype=np.uint8), "ndarray"),
])
def test_pad_to_32_takes_raw_uint8_only(images, words):
    from aelib.data import pad_to_32

    with pytest.raises(ImageValueError) as err:
        pad_to_32(images)
    assert words in str(err.value) and "uint8" in err.value.korean and "divided by 255 twice" in err.value.english
    assert pad_to_32(torch.full((1, 28, 28), 255, dtype=torch.uint8)).max() == 1.0

"""잘못된 입력: 잠재 공간 도구(latent, pca), 세 문제의 측정(problems, measures), 잡음(corruption, noise_slider).

모든 공개 함수는 일을 시작하기 전에 될 수 없는 인자(음수 여백, lo ≥ hi 상자, 0 이하의 조각 크기, 정수가 아닌 시드,
모두 같은 점, 길이가 다른 비율, 0–255 이미지 …)를 한국어·영어 두 줄의 ``AelibError``로 거절합니다.
맞는 입력의 결과는 그대로입니다.
"""

import numpy as np
import pytest
import torch

from aelib import corruption as C
from aelib import latent
from aelib import measures as M
from aelib import problems as P
from aelib.classifier import ClothingClassifier
from aelib.corruption import CorruptionValueError
from aelib.errors import (AelibError, ArgumentError, DegenerateDataError, ExplorerValueError, ImageValueError,
                          LatentValueError, ShapeError)
from aelib.model import Autoencoder
from aelib.pca import fit_pca

from .robust_helpers import refuses

Z = torch.randn(50, 2, generator=torch.Generator().manual_seed(0))
LABELS = torch.arange(50) % 10
X = torch.rand(20, 1, 32, 32, generator=torch.Generator().manual_seed(1))
ONES = torch.ones(50, 2)
FLAT = Z.clone()
FLAT[:, 1] = 3.0  # 축 하나의 값이 모두 같음


@pytest.fixture(scope="module")
def ae():
    torch.manual_seed(0)
    return Autoencoder().eval()


@pytest.fixture(scope="module")
def ae4():
    torch.manual_seed(0)
    return Autoencoder(latents=4).eval()


@pytest.fixture(scope="module")
def clf():
    torch.manual_seed(0)
    return ClothingClassifier().eval()


def refused(kind, ko: str, en: str, fn, *args, **kwargs) -> AelibError:
    """``fn(*args, **kwargs)``가 ``kind``로 거절되는지 (``refuses``를 인자 순서만 바꿔)."""
    return refuses(kind, lambda: fn(*args, **kwargs), ko, en)


# ---------------------------------------------------------------------------- latent


LATENT_CASES = [
    ("bounds margin<0", lambda: latent.bounds(Z, margin=-1), ArgumentError, "margin은(는) 0 이상", "margin must be at least 0"),
    ("grid lo>hi", lambda: latent.grid([1, 1], [0, 0], 3), ArgumentError, "상자가 비어 있습니다", "lo=1 >= hi=0"),
    ("grid lo==hi", lambda: latent.grid([0, 0], [1, 0], 3), ArgumentError, "축 1에서", "on axis 1"),
    ("grid too big", lambda: latent.grid([0, 0], [1, 1], 100000), ArgumentError, "너무 큽니다", "at most 1,000"),
    ("normal_grid too big", lambda: latent.normal_grid(5000), ArgumentError, "너무 큽니다", "n×n points"),
    ("box lo>hi", lambda: latent.uniform_in_box([1, 1], [0, 0], 5), ArgumentError, "uniform_in_box의 상자", "box is empty"),
    ("box n too big", lambda: latent.uniform_in_box([0, 0], [1, 1], 10**9), ArgumentError, "너무 큽니다",
     "made in memory"),
    ("box seed str", lambda: latent.uniform_in_box([0, 0], [1, 1], 5, seed="x"), ArgumentError, "seed은(는) 정수",
     "seed must be an integer"),
    ("box seed float", lambda: latent.uniform_in_box([0, 0], [1, 1], 5, seed=1.5), ArgumentError, "int(1.5)",
     "must be an integer"),
    ("box seed huge", lambda: latent.uniform_in_box([0, 0], [1, 1], 5, seed=2**70), ArgumentError, "시드는",
     "out of range"),
    ("nearest chunk 0", lambda: latent.nearest(Z[:3], Z, chunk=0), ArgumentError, "chunk은(는) 1 이상",
     "chunk must be at least 1"),
    ("nearest chunk float", lambda: latent.nearest(Z[:3], Z, chunk=2.5), ArgumentError, "정수", "must be an integer"),
]


@pytest.mark.parametrize("name, call, kind, ko, en", LATENT_CASES, ids=[c[0] for c in LATENT_CASES])
def test_latent_refuses(name, call, kind, ko, en):
    refused(kind, ko, en, call)


def test_latent_valid_inputs_unchanged():
    lo, hi = latent.bounds(Z, margin=0.0)
    assert torch.equal(lo, Z.min(0).values) and torch.equal(hi, Z.max(0).values)
    g = latent.grid([0.0, 0.0], [1.0, 2.0], 2)
    assert g.tolist() == [[0.0, 2.0], [1.0, 2.0], [0.0, 0.0], [1.0, 0.0]]
    expected = torch.rand(3, 2, generator=torch.Generator().manual_seed(4))
    assert torch.allclose(latent.uniform_in_box([0.0, 0.0], [1.0, 1.0], 3, seed=np.int64(4)), expected)
    assert latent.uniform_in_box([0.0, 0.0], [1.0, 1.0], 0).shape == (0, 2)  # n = 0은 그대로 받음
    d, i = latent.nearest(Z[:3], Z, chunk=1)
    assert torch.equal(i, torch.arange(3)) and torch.all(d == 0)


# ---------------------------------------------------------------------------- pca


def test_fit_pca_refuses_strings_and_accepts_numpy_k():
    refused(LatentValueError, "실수 좌표", "real numbers", fit_pca, [["a", "b"]] * 10)
    refused(LatentValueError, "torch.bool", "torch.bool", fit_pca, [[True, False], [False, True]] * 5)
    pca = fit_pca(Z.double(), k=np.int64(2))
    assert pca.components.shape == (2, 2)
    refused(ShapeError, "(N, 2)", "got shape (4, 3)", pca.project, torch.zeros(4, 3))
    refused(LatentValueError, "NaN", "NaN or infinity", pca.lift, [[float("nan"), 0.0]])
    assert torch.allclose(pca.lift(pca.project(Z)), Z, atol=1e-5)


# ---------------------------------------------------------------------------- problems


PROBLEM_CASES = [
    ("self_nn chunk 0", lambda m: P.self_nn_distances(Z, chunk=0), ArgumentError, "chunk은(는) 1 이상",
     "chunk must be at least 1"),
    ("sample_points seed None", lambda m: P.sample_points(Z, 10, seed=None), ArgumentError, "seed은(는) 정수",
     "seed must be an integer"),
    ("sample_points flat", lambda m: P.sample_points(FLAT, 10), DegenerateDataError, "축 1의 값이 모두",
     "on axis 1"),
    ("prior_coverage seed str", lambda m: P.prior_coverage(Z, n=10, seed="a"), ArgumentError, "seed은(는) 정수",
     "seed must be an integer"),
    ("summary_table {}", lambda m: P.summary_table({}), ArgumentError, "비어 있으면 안 됩니다", "non-empty dict"),
    ("summary_table not summary", lambda m: P.summary_table({"AE": {"x": 1}}), ArgumentError, "summary(...)의 항목",
     "entry (dict) of summary"),
    ("fmt bad key", lambda m: P.fmt({}, key="x"), ArgumentError, "fmt의 key는", "key must be"),
    ("fmt empty entry", lambda m: P.fmt({}), ArgumentError, "['숫자']이(가) 없습니다", "lacks ['숫자']"),
    ("summary_rows list", lambda m: P.summary_rows([1]), ArgumentError, "summary(...)가 돌려준 사전",
     "non-empty dict returned by summary"),
    ("as_dict int", lambda m: P.as_dict(5), ArgumentError, "측정 결과", "measurement result"),
    ("summary_from wrong", lambda m: P.summary_from(1, 2, 3), ArgumentError, "ClassAreas", "class_areas(...)"),
    ("tv lengths", lambda m: P.total_variation([0.5, 0.5], [1.0]), ArgumentError, "길이가 다릅니다",
     "differ in length"),
    ("tv nan", lambda m: P.total_variation([float("nan"), 1], [0.5, 0.5]), ArgumentError, "NaN·무한대나 음수",
     "NaN, infinity or negative"),
    ("tv negative", lambda m: P.total_variation([-0.5, 1.5], [0.5, 0.5]), ArgumentError, "음수", "negative"),
    ("tv counts", lambda m: P.total_variation([5, 5], [0.5, 0.5]), ArgumentError, "합이 10입니다", "sums to 10"),
    ("tv strings", lambda m: P.total_variation("ab", [0.5, 0.5]), ArgumentError, "1차원 목록", "1-D list"),
    ("jump limit nan", lambda m: P.interpolation_jump_stats(m, Z, pairs=2, steps=3, limit=float("nan")),
     ArgumentError, "limit은(는) 유한한", "limit must be finite"),
    ("jump limit 0", lambda m: P.interpolation_jump_stats(m, Z, pairs=2, steps=3, limit=0), ArgumentError,
     "0보다 커야", "greater than 0"),
    ("jump seed", lambda m: P.interpolation_jump_stats(m, Z, pairs=2, steps=3, seed="s"), ArgumentError,
     "seed은(는) 정수", "seed must be an integer"),
    ("jump too many", lambda m: P.interpolation_jump_stats(m, Z, pairs=10**6, steps=21), ArgumentError,
     "너무 많습니다", "too many to decode"),
    ("jump identical", lambda m: P.interpolation_jump_stats(m, ONES, pairs=2, steps=3), DegenerateDataError,
     "모두 같은 점", "are identical"),
    ("threshold identical", lambda m: P.data_threshold(ONES), DegenerateDataError, "모두 같은 점", "are identical"),
    ("threshold duplicates", lambda m: P.data_threshold(torch.cat([Z[:2]] * 25)), DegenerateDataError,
     "문턱 τ가 0", "threshold τ is 0"),
    ("empty_area identical", lambda m: P.empty_area(ONES, n=5), DegenerateDataError, "모두 같은 점",
     "are identical"),
    ("empty_area flat", lambda m: P.empty_area(FLAT, n=5), DegenerateDataError, "폭·표준편차 0",
     "zero width"),
    ("empty_area margin", lambda m: P.empty_area(Z, n=5, margin=-0.5), ArgumentError, "margin은(는) 0 이상",
     "margin must be at least 0"),
    ("prior_coverage identical", lambda m: P.prior_coverage(ONES, n=10), DegenerateDataError, "모두 같은 점",
     "are identical"),
    ("class_areas identical", lambda m: P.class_areas(ONES, LABELS, n=5), DegenerateDataError, "모두 같은 점",
     "are identical"),
    ("class_areas flat", lambda m: P.class_areas(FLAT, LABELS, n=5), DegenerateDataError, "축 1", "axis 1"),
    ("distribution flat", lambda m: P.distribution_stats(FLAT), DegenerateDataError, "표준편차 0",
     "standard deviation"),
]


@pytest.mark.parametrize("name, call, kind, ko, en", PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES])
def test_problems_refuse(ae, name, call, kind, ko, en):
    refused(kind, ko, en, call, ae)


def test_hole_quality_checks_models_and_bins_before_work(ae, clf):
    refused(AelibError, "classifier", "judge(images)", P.hole_quality, ae, None, Z, n=5)
    refused(ArgumentError, "bins=10", "exceeds the number of points", P.hole_quality, ae, clf, Z, n=5, bins=10)
    refused(ArgumentError, "상자가 비어", "box is empty", P.hole_quality, ae, clf, Z, lo=[1, 1], hi=[0, 0], n=5)


def test_problems_valid_inputs_unchanged():
    assert P.total_variation([0.5, 0.5], [0.25, 0.75]) == 0.25
    assert P.total_variation(P.UNIFORM, P.UNIFORM) == 0.0
    tau = P.data_threshold(Z)
    assert tau == float(torch.quantile(P.self_nn_distances(Z, chunk=7), 0.95))
    assert P.fmt({"숫자": 1.23456, "자릿수": 1}) == "1.2"
    assert P.fmt({"보조": {"숫자": 0.5}}, key="보조") == "0.500"
    entry = {"문제": "1", "숫자": 2.0, "설명": "d", "좋은 방향": "g", "보조": {"숫자": 0.1, "설명": "x"}}
    assert "| 1 | d | 2.000 | 2.000 | g |" in P.summary_table({"a": {"k": entry}, "b": {"k": entry}})
    assert P.as_dict(P.distribution_stats(Z))["mean"] == Z.double().mean(0).tolist()


# ---------------------------------------------------------------------------- measures


def _stats(k, seed):
    return M.feature_stats(torch.randn(30, k, generator=torch.Generator().manual_seed(seed)))


EST = M.Estimate(0.5, 0.4, 0.6, 2)
COLUMN = M.Column(tv=EST, energy=EST, fid=EST, empty=EST, points=Z, images=X, predicted=LABELS)

MEASURE_CASES = [
    ("class_shares empty", lambda m, c: M.class_shares(torch.zeros(0, dtype=torch.long)), ArgumentError,
     "비어 있습니다", "predicted is empty"),
    ("class_tv n_boot 0", lambda m, c: M.class_tv(LABELS, n_boot=0), ArgumentError, "n_boot은(는) 1 이상",
     "n_boot must be at least 1"),
    ("energy n_boot str", lambda m, c: M.energy_distance(Z, Z + 1, n_boot="5"), ArgumentError, "n_boot은(는) 정수",
     "n_boot must be an integer"),
    ("wilson k>n", lambda m, c: M.wilson(5, 3), ArgumentError, "k=5가 n=3보다", "k=5 exceeds n=3"),
    ("wilson k<0", lambda m, c: M.wilson(-1, 10), ArgumentError, "k은(는) 0 이상", "k must be at least 0"),
    ("wilson n=0", lambda m, c: M.wilson(0, 0), ArgumentError, "n은(는) 1 이상", "n must be at least 1"),
    ("wilson digits", lambda m, c: M.wilson(1, 2, digits=-1), ArgumentError, "digits", "digits"),
    ("data_threshold q=2", lambda m, c: M.data_threshold(Z, quantile=2), ArgumentError, "1 이하인 비율",
     "fraction in (0, 1]"),
    ("frechet sizes", lambda m, c: M.frechet(_stats(5, 0), _stats(7, 1)), ShapeError, "특성 수 5개와 b의 7개",
     "a has 5 features and b has 7"),
    ("frechet not stats", lambda m, c: M.frechet(_stats(5, 0), None), ArgumentError, "FeatureStats",
     "FeatureStats from feature_stats"),
    ("fid sizes", lambda m, c: M.fid_score(torch.randn(30, 7), _stats(5, 0)), ShapeError, "기준의 5개",
     "the reference has 5"),
    ("feature_stats strings", lambda m, c: M.feature_stats([["a", "b"]] * 3), DegenerateDataError, "실수 특성",
     "real-valued features"),
    ("predicted_from shape", lambda m, c: M.predicted_from(c, torch.zeros(3, 7)), ShapeError,
     "분류기 마지막 층의 128개", "last layer takes 128"),
    ("predicted_from ae", lambda m, c: M.predicted_from(m, torch.zeros(3, 128)), AelibError, "judge", "judge"),
    ("features batch 0", lambda m, c: M.features(c, X, batch_size=0), ArgumentError, "batch_size은(는) 1 이상",
     "batch_size must be at least 1"),
    ("latents_of batch 0", lambda m, c: M.latents_of(m, X, batch_size=0), ArgumentError, "batch_size은(는) 1 이상",
     "batch_size must be at least 1"),
    ("measure ref None", lambda m, c: M.measure(m, c, None, "bogus"), ArgumentError, "Reference",
     "ref must be the Reference"),
    ("table not columns", lambda m, c: M.table({"a": 5}), ArgumentError, "Column", "Column returned by measure"),
    ("table floor", lambda m, c: M.table({"box": COLUMN}, floor={"tv": 1}), ArgumentError, "floor은(는) None이거나",
     "floor must be None or a dict"),
    ("table intervals", lambda m, c: M.table({"box": COLUMN}, intervals="yes"), ArgumentError, "True 또는 False",
     "True or False"),
    ("empty_share tau<0", lambda m, c: M.empty_share(Z[:5], Z, tau=-1), ArgumentError, "tau은(는) 0보다",
     "tau must be greater than 0"),
    ("empty_share tau nan", lambda m, c: M.empty_share(Z[:5], Z, tau=float("nan")), ArgumentError,
     "tau은(는) 유한한", "tau must be finite"),
    ("draw mixture", lambda m, c: M.draw(Z, "mixture", 5, mixture="x"), ArgumentError, "GaussianMixture",
     "fitted GaussianMixture"),
    ("draw sampler", lambda m, c: M.draw(Z, ["box"], 5), ArgumentError, "sampler는", "sampler must be one of"),
]


@pytest.mark.parametrize("name, call, kind, ko, en", MEASURE_CASES, ids=[c[0] for c in MEASURE_CASES])
def test_measures_refuse(ae, clf, name, call, kind, ko, en):
    refused(kind, ko, en, call, ae, clf)


def test_measures_valid_inputs_unchanged(clf):
    w = M.wilson(3, 10)
    assert (w.value, w.digits, w.scale) == (0.3, 0, 100.0) and 0 < w.low < 0.3 < w.high < 1
    assert M.class_shares([1, 2]) == [0.0, 0.5, 0.5] + [0.0] * 7
    feats = M.features(clf, X[:3], batch_size=2)
    assert torch.equal(M.predicted_from(clf, feats[:1]), clf.judge(X[:1])[0])
    assert "| 문제 1. 클래스 비율의 총변동 거리 | 0.50 [0.40, 0.60] | 0.50 [0.40, 0.60] |" in M.table(
        {"box": COLUMN}, floor={"tv": EST})
    a = _stats(4, 0)
    assert M.frechet(a, a) == pytest.approx(0.0, abs=1e-9)
    assert M.empty_share(Z[:5], Z, tau=1e-9).value == 0.0


# ---------------------------------------------------------------------------- corruption


CORRUPTION_CASES = [
    ("noise seed str", lambda: C.gaussian_noise(X, 0.3, seed="a"), ArgumentError, "seed은(는) 정수",
     "seed must be an integer"),
    ("mask seed float", lambda: C.mask_pixels(X, 0.3, seed=0.5), ArgumentError, "seed은(는) 정수",
     "seed must be an integer"),
    ("noise generator int", lambda: C.gaussian_noise(X, 0.3, generator=5), ArgumentError, "torch.Generator",
     "torch.Generator"),
    ("sigma string", lambda: C.gaussian_noise(X, "0.3"), CorruptionValueError, "실수 하나 또는", "real number"),
    ("sigma None", lambda: C.gaussian_noise(X, None), CorruptionValueError, "실수 하나 또는", "real number"),
    ("sigma wrong length", lambda: C.gaussian_noise(X, torch.ones(3)), ShapeError, "(20,) 텐서",
     "pass one number or a (20,) tensor"),
    ("fraction 2-D", lambda: C.mask_pixels(X, torch.ones(20, 1)), ShapeError, "모양 (20, 1)", "shape (20, 1)"),
    ("psnr sizes", lambda: C.psnr(X, X[:3]), ShapeError, "같은 모양", "same shape"),
    ("psnr 0-255", lambda: C.psnr(X * 255, X), ImageValueError, "255로 나누세요", "Divide by 255"),
    ("psnr NaN", lambda: C.psnr(X, torch.full_like(X, float("nan"))), ImageValueError, "NaN", "NaN"),
]


@pytest.mark.parametrize("name, call, kind, ko, en", CORRUPTION_CASES, ids=[c[0] for c in CORRUPTION_CASES])
def test_corruption_refuses(name, call, kind, ko, en):
    refused(kind, ko, en, call)


def test_corruption_valid_inputs_unchanged():
    a = C.gaussian_noise(X, 0.2, seed=np.int64(3))
    b = (X + 0.2 * torch.randn(X.shape, generator=torch.Generator().manual_seed(3))).clamp(0, 1)
    assert torch.equal(a, b)
    per_image = C.gaussian_noise(X, torch.full((20,), 0.2), seed=3)
    assert torch.equal(per_image, a)
    assert torch.isinf(C.psnr(X, X)).all()
    mse = (X.double() - a.double()).square().flatten(1).mean(1)
    assert torch.equal(C.psnr(X, a), 10.0 * torch.log10(1.0 / mse))


# ---------------------------------------------------------------------------- noise_slider


IMAGE = torch.rand(1, 32, 32, generator=torch.Generator().manual_seed(2))


def test_noise_slider_refuses_bad_settings(ae4):
    from aelib.noise_slider import NoiseSlider

    refused(ExplorerValueError, "seed은(는) 정수", "seed must be an integer", NoiseSlider, {"AE": ae4}, IMAGE, seed="x")
    refused(ExplorerValueError, "max_sigma은(는) 0보다", "max_sigma must be greater than 0", NoiseSlider,
            {"AE": ae4}, IMAGE, max_sigma=-1)
    refused(ExplorerValueError, "max_sigma은(는) 유한한", "max_sigma must be finite", NoiseSlider,
            {"AE": ae4}, IMAGE, max_sigma=float("nan"))
    refused(ExplorerValueError, "max_sigma는 10 이하", "max_sigma must be at most 10", NoiseSlider,
            {"AE": ae4}, IMAGE, max_sigma=100)
    refused(ExplorerValueError, "비어 있지 않은 문자열", "non-empty strings", NoiseSlider, {1: ae4}, IMAGE)
    refused(ExplorerValueError, "쓸 수 없습니다", "other than", NoiseSlider, {"원본": ae4}, IMAGE)
    refused(ExplorerValueError, "sigma은(는) 실수", "sigma must be a real number", NoiseSlider, {"AE": ae4}, IMAGE,
            sigma="0.3")


def test_noise_slider_accepts_numpy_sigma_and_keeps_state_on_refusal(ae4):
    from aelib.noise_slider import NoiseSlider

    slider = NoiseSlider({"AE": ae4}, IMAGE, sigma=np.float32(0.25))
    assert slider.sigma == pytest.approx(0.25)
    noisy, png = slider.noisy.clone(), slider._images["잡음 낀 입력"].value
    for bad, ko, en in ((float("nan"), "유한한", "finite"), ("a", "실수여야", "real number"),
                        (None, "실수여야", "real number"), (float("inf"), "유한한", "finite")):
        refused(ExplorerValueError, ko, en, slider.set_sigma, bad)
        assert slider.sigma == pytest.approx(0.25)  # 거절한 뒤에도 σ와 그림은 그대로
        assert torch.equal(slider.noisy, noisy) and slider._images["잡음 낀 입력"].value == png
    assert slider.set_sigma(np.float64(0.5)) == pytest.approx(0.5)
    assert slider.set_sigma(5) == pytest.approx(0.8)  # 범위 밖의 유한한 값은 끝으로 자름 (예전과 같음)

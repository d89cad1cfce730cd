"""aelib.measures: 세 문제의 독립 측정 — 답을 아는 합성 데이터에서 확인하고, 실제 모델에서 한 번 돌려 봅니다."""

import math

import numpy as np
import pytest
import scipy.linalg
import torch

from aelib import measures as M
from aelib.errors import AelibError, ArgumentError, DegenerateDataError, LatentValueError


def gaussian(n, seed, dims=2, shift=0.0):
    return torch.randn(n, dims, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) + shift


# ---------------------------------------------------------------- 문제 1: 총변동 거리


def test_tv_of_balanced_labels_is_near_zero_and_of_one_class_is_nine_tenths():
    balanced = torch.arange(2000) % 10
    est = M.class_tv(balanced)
    assert est.value == 0.0 and est.high < 0.06  # 백분위수 구간은 추정량의 퍼짐: 0보다 위
    one = M.class_tv(torch.full((500,), 3))
    assert one.value == pytest.approx(0.9) and one.low == pytest.approx(0.9)


def test_tv_interval_covers_the_sampling_noise_of_a_fair_sampler():
    labels = torch.randint(10, (2000,), generator=torch.Generator().manual_seed(1))
    est = M.class_tv(labels, seed=0)
    assert 0 < est.value < 0.06 and est.low <= est.value <= est.high


# ---------------------------------------------------------------- 문제 2: 에너지 거리


def _energy_1d(delta):
    """N(0, 1)과 N(δ, 1)의 정규화 에너지 거리의 참값: X − Y ~ N(δ, 2), X − X' ~ N(0, 2)."""
    s = math.sqrt(2)
    e_xy = s * math.sqrt(2 / math.pi) * math.exp(-delta**2 / 4) + delta * (1 - 2 * 0.5 * math.erfc(delta / s / math.sqrt(2)))
    e_xx = s * math.sqrt(2 / math.pi)
    return (2 * e_xy - 2 * e_xx) / (2 * e_xy)


def test_energy_of_samples_from_the_data_distribution_is_the_floor():
    est = M.energy_distance(gaussian(1500, 1), gaussian(1500, 2))
    assert est.value < 0.003 and est.low <= est.value <= est.high


@pytest.mark.parametrize("delta", [0.5, 2.0])
def test_energy_of_a_shifted_gaussian_matches_the_closed_form(delta):
    est = M.energy_distance(gaussian(2000, 1, dims=1), gaussian(2000, 2, dims=1, shift=delta))
    assert est.value == pytest.approx(_energy_1d(delta), abs=0.01)
    assert est.low - 0.01 <= _energy_1d(delta) <= est.high + 0.01


def test_energy_does_not_depend_on_the_scale_of_the_latent_space():
    x, y = gaussian(800, 1), gaussian(800, 2, shift=1.0)
    assert M.energy_distance(x, y).value == pytest.approx(M.energy_distance(30 * x, 30 * y).value, abs=1e-8)


# ---------------------------------------------------------------- 문제 3: 프레셰 거리, 빈 곳


def test_frechet_equals_the_scipy_sqrtm_formula():
    g = np.random.default_rng(0)
    a, b = g.normal(size=(300, 6)), g.normal(size=(300, 6)) @ g.normal(size=(6, 6)) + 0.5
    sa, sb = M.feature_stats(torch.from_numpy(a)), M.feature_stats(torch.from_numpy(b))
    ref = (np.sum((sa.mean - sb.mean) ** 2) + np.trace(sa.cov) + np.trace(sb.cov)
           - 2 * np.trace(np.real(scipy.linalg.sqrtm(sa.cov @ sb.cov))))
    assert M.frechet(sa, sb) == pytest.approx(ref, rel=1e-9)


def test_fid_floor_and_shift():
    reference = M.feature_stats(gaussian(5000, 1, dims=8))
    same = M.fid_score(gaussian(2000, 2, dims=8), reference)
    assert same.value < 0.1
    shifted = M.fid_score(gaussian(2000, 3, dims=8, shift=1.0), reference)  # |δ|² = 8
    assert shifted.value == pytest.approx(8.0, abs=0.5) and shifted.low < 8.0 + 0.5 < shifted.high + 1


def test_empty_share_of_held_out_samples_is_about_five_percent_and_far_samples_are_all_empty():
    train = gaussian(4000, 1)
    tau = M.data_threshold(train)
    held = M.empty_share(gaussian(2000, 2), train, tau)
    assert 0.02 < held.value < 0.09 and held.scale == 100
    far = M.empty_share(gaussian(500, 3, shift=40.0), train, tau)
    assert far.value == 1.0 and str(far).startswith("100 [")


def test_wilson_interval():
    est = M.wilson(0, 100)
    assert est.value == 0 and est.low == 0 and 0.03 < est.high < 0.04
    est = M.wilson(50, 100)
    assert est.low == pytest.approx(1 - est.high)


# ---------------------------------------------------------------- 독립성


def test_problem_2_and_problem_3_numbers_are_independent():
    """모두 데이터가 있는 곳에 떨어지는(빈 곳 0 %) 뽑기라도, 데이터의 한 구석에만 몰리면 에너지 거리는 큽니다.
    옛 표의 "문제 2 = 1 − 문제 3 빈 곳" 같은 한 측정의 두 얼굴이 아니라는 것."""
    train = gaussian(4000, 1)
    held = gaussian(2000, 2)
    tau = M.data_threshold(train)
    corner = train[train[:, 0] > 1.0][:500]  # 훈련 임베딩 그 자체 → 빈 곳 0 %
    assert M.empty_share(corner, train, tau).value == 0.0
    assert M.energy_distance(corner, held).value > 0.2
    wide = gaussian(2000, 4) * 1.15  # 조금 넓은 뽑기: 빈 곳은 늘지만 에너지 거리는 작음
    assert M.empty_share(wide, train, tau).value > 0.05
    assert M.energy_distance(wide, held).value < 0.02


# ---------------------------------------------------------------- 뽑기


def test_samplers_are_seeded_and_the_mixture_finds_the_clusters():
    train = torch.cat([gaussian(3000, 1) * 0.3 - 4, gaussian(1000, 2) * 0.3 + 4])
    for sampler in M.SAMPLERS:
        a, b = M.draw(train, sampler, 500, seed=3), M.draw(train, sampler, 500, seed=3)
        assert torch.equal(a, b) and a.shape == (500, 2) and a.dtype == torch.float32
    mix = M.fit_mixture(train, components=2, seed=0)
    assert sorted(mix.weights_.round(2).tolist()) == [0.25, 0.75]
    pts = M.draw(train, "mixture", 2000, seed=0, mixture=mix)
    assert float((pts[:, 0] > 0).double().mean()) == pytest.approx(0.25, abs=0.03)
    box = M.draw(train, "box", 2000)
    assert bool((box.min(0).values >= train.min(0).values.float() - 1e-6).all())


def test_bad_and_degenerate_inputs_are_refused_before_work():
    same = torch.ones(50, 2)
    with pytest.raises(DegenerateDataError, match="모두 같은 점"):
        M.draw(same, "mixture")
    with pytest.raises(DegenerateDataError):
        M.energy_distance(same, gaussian(50, 1))
    nan = gaussian(50, 1)
    nan[3, 1] = float("nan")
    with pytest.raises(LatentValueError):
        M.data_threshold(nan)
    with pytest.raises(ArgumentError, match="sampler"):
        M.draw(gaussian(50, 1), "uniform")
    with pytest.raises(ArgumentError, match="components"):
        M.fit_mixture(gaussian(5, 1), components=10)
    with pytest.raises(AelibError):
        M.energy_distance(gaussian(50, 1), gaussian(50, 1, dims=3))
    err = pytest.raises(DegenerateDataError, M.data_threshold, same).value
    assert str(err).split("\n")[0] != str(err).split("\n")[1]  # 한국어 줄, 영어 줄


def test_estimate_prints_only_its_digits():
    est = M.Estimate(0.30549, 0.28, 0.3261, 2)
    assert str(est) == "0.31 [0.28, 0.33]" and est.short() == "0.31"

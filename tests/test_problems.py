"""aelib.problems: 샘플링의 세 가지 문제를 재는 함수들 (실제 사전 훈련 모델과 테스트 데이터 사용)."""

import math

import pytest
import torch

from aelib import latent
from aelib import problems as P
from aelib.data import load_fashion_mnist
from aelib.errors import ShapeError
from aelib.pretrained import load_pretrained


@pytest.fixture(scope="module")
def models():
    autoencoder, _ = load_pretrained("autoencoder")
    classifier, _ = load_pretrained("classifier")
    return autoencoder, classifier


@pytest.fixture(scope="module")
def test_embeddings(models):
    test = load_fashion_mnist("test")
    z = latent.embed(models[0], test)
    return z, test.tensors[1]


def gaussian(n, seed, shift=0.0):
    return torch.randn(n, 2, generator=torch.Generator().manual_seed(seed)) + shift


# ---------------------------------------------------------------- 도우미


def test_self_nn_distances_skip_the_point_itself():
    z = torch.tensor([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])
    d = P.self_nn_distances(z, chunk=2)  # 덩어리 경계를 넘어도 자기 자신을 빼야 함
    assert d.tolist() == pytest.approx([5.0, 1.0, 1.0])


def test_bad_embedding_shape_is_a_shape_error():
    with pytest.raises(ShapeError, match="임베딩"):
        P.distribution_stats(torch.zeros(10, 3))


def test_sample_points_are_seeded_and_checked():
    z = gaussian(100, 0) * 5
    a, b = P.sample_points(z, 50, seed=3), P.sample_points(z, 50, seed=3)
    assert torch.equal(a, b)
    lo, hi = latent.bounds(z)
    assert (a >= lo).all() and (a <= hi).all()
    prior = P.sample_points(z, 4000, seed=1, sampling="prior")
    assert prior.mean(0).abs().max() < 0.1 and (prior.std(0) - 1).abs().max() < 0.05
    with pytest.raises(ValueError):
        P.sample_points(z, 10, sampling="grid")


# ---------------------------------------------------------------- 문제 1


def test_class_areas_of_the_real_latent_space(test_embeddings):
    z, labels = test_embeddings
    areas = P.class_areas(z, labels, n=120)
    assert sum(areas.shares) == pytest.approx(1.0)
    assert areas.data_shares == pytest.approx([0.1] * 10)  # 테스트 세트는 클래스마다 1,000장
    assert areas.grid_labels.shape == (120, 120)
    assert areas.shares[areas.largest] == max(areas.shares)
    assert areas.shares[areas.smallest] == min(areas.shares)
    assert areas.ratio > 2  # 오토인코더의 클래스 넓이는 고르지 않음 (노트의 첫째 문제)
    assert [r[0] for r in areas.rows()][0] == areas.largest


def test_one_class_takes_the_whole_area():
    z = gaussian(500, 0)
    areas = P.class_areas(z, torch.full((500,), 3), n=50)
    assert areas.shares[3] == 1.0
    assert areas.ratio == 1.0 and areas.largest == areas.smallest == 3


def test_class_areas_follow_the_nearest_label():
    # 왼쪽 1/4 띠에 레이블 0, 나머지에 레이블 1 → 넓이 비율 ≈ 0.25 / 0.75
    g = torch.Generator().manual_seed(0)
    z = torch.rand(4000, 2, generator=g)
    labels = (z[:, 0] >= 0.25).long()
    areas = P.class_areas(z, labels, n=100)
    assert areas.shares[0] == pytest.approx(0.25, abs=0.03)
    assert areas.shares[1] == pytest.approx(0.75, abs=0.03)
    assert areas.ratio == pytest.approx(3.0, rel=0.15)
    # 같은 분할을 무작위 점으로 세어도 같은 답
    by_points = P.class_areas(z, labels, points=torch.rand(3000, 2, generator=g))
    assert by_points.shares[0] == pytest.approx(0.25, abs=0.03)
    assert by_points.grid_labels.shape == (3000,)


def test_class_areas_need_one_label_per_embedding():
    with pytest.raises(ShapeError):
        P.class_areas(gaussian(10, 0), torch.zeros(9, dtype=torch.long))


def test_decoded_class_mix_is_a_seeded_distribution(models, test_embeddings):
    autoencoder, classifier = models
    z, _ = test_embeddings
    lo, hi = latent.bounds(z)
    mix = P.decoded_class_mix(autoencoder, classifier, lo, hi, n=300, seed=1)
    again = P.decoded_class_mix(autoencoder, classifier, lo, hi, n=300, seed=1)
    assert sum(mix.shares) == pytest.approx(1.0)
    assert mix.shares == again.shares
    assert 0 < mix.tv_from_uniform <= 0.9
    assert 0.1 <= mix.mean_confidence <= 1.0


def test_total_variation():
    assert P.total_variation(P.UNIFORM, P.UNIFORM) == 0
    assert P.total_variation([1.0] + [0.0] * 9, [0.0, 1.0] + [0.0] * 8) == 1


# ---------------------------------------------------------------- 문제 2


def test_distribution_stats_of_a_standard_normal():
    s = P.distribution_stats(gaussian(20000, 0))
    assert s.mean == pytest.approx([0, 0], abs=0.03)
    assert s.std == pytest.approx([1, 1], abs=0.03)
    assert s.skewness == pytest.approx([0, 0], abs=0.1)
    assert abs(s.correlation) < 0.03
    assert s.quadrant_shares == pytest.approx([0.25] * 4, abs=0.02)
    assert s.kl_to_prior < 0.01


def test_distribution_stats_see_shift_and_skew():
    z = gaussian(5000, 1)
    z[:, 0] = z[:, 0].exp()  # 오른쪽으로 긴 꼬리
    z[:, 1] = z[:, 1] * 3 + 4  # 원점에서 먼 곳
    s = P.distribution_stats(z)
    assert s.skewness[0] > 2
    assert s.mean[1] == pytest.approx(4, abs=0.2) and s.std[1] == pytest.approx(3, abs=0.2)
    assert s.center_offset > 1.3
    assert s.kl_to_prior > 3
    assert s.quadrant_shares[2] < 0.01  # (−, −) 사분면은 거의 비어 있음


def test_prior_coverage_of_prior_shaped_embeddings_is_high():
    cover = P.prior_coverage(gaussian(10000, 5), n=2000, seed=0)
    assert cover.samples_on_data > 0.85
    assert cover.data_in_prior == pytest.approx(0.95, abs=0.01)
    assert cover.coverage == min(cover.samples_on_data, cover.data_in_prior)
    assert cover.radius == pytest.approx(2.4477, abs=1e-4)


def test_prior_coverage_of_far_embeddings_is_zero():
    cover = P.prior_coverage(gaussian(2000, 5, shift=50.0))
    assert cover.samples_on_data == 0 and cover.data_in_prior == 0 and cover.coverage == 0


def test_prior_coverage_is_deterministic(test_embeddings):
    z, _ = test_embeddings
    a, b = P.prior_coverage(z, n=500, seed=2), P.prior_coverage(z, n=500, seed=2)
    assert a.coverage == b.coverage and torch.equal(a.samples, b.samples)
    assert 0 < a.coverage < 0.95  # 오토인코더의 임베딩은 N(0, I)가 아님


# ---------------------------------------------------------------- 문제 3


def test_empty_area():
    z = gaussian(3000, 2)
    empty = P.empty_area(z, n=60)
    assert 0 <= empty.share <= 1 and empty.grid_distance.shape == (60, 60)
    # 두 덩어리 사이에 큰 틈을 만들면 빈 곳이 늘어남
    split = torch.cat([gaussian(1500, 3) * 0.3 - 5, gaussian(1500, 4) * 0.3 + 5])
    assert P.empty_area(split, n=60).share > empty.share + 0.2


def test_hole_quality_on_the_real_autoencoder(models, test_embeddings):
    autoencoder, classifier = models
    z, _ = test_embeddings
    holes = P.hole_quality(autoencoder, classifier, z, n=600, seed=0, bins=4)
    assert holes.near_share + holes.empty_share == pytest.approx(1.0)
    assert len(holes.bin_confidence) == 4 and len(holes.bin_edges) == 5
    assert holes.bin_edges == sorted(holes.bin_edges)
    assert 0 <= holes.low_conf_share <= 1
    # 데이터에서 먼 곳일수록 디코딩한 이미지를 알아보기 어려움 (가장 먼 구간 < 가장 가까운 구간)
    assert holes.bin_confidence[-1] < holes.bin_confidence[0]
    assert holes.mean_conf_far < holes.mean_conf_near
    # 점을 직접 주면 그 점들을 씀
    pts = z[:50]
    on_data = P.hole_quality(autoencoder, classifier, z, points=pts)
    assert on_data.n == 50 and on_data.empty_share == 0  # 임베딩 자리는 거리 0


def test_interpolation_from_a_point_to_itself_has_no_jump(models, test_embeddings):
    z, _ = test_embeddings
    interp = P.interpolation_jumps(models[0], z[7], z[7], steps=9)
    # 같은 점을 배치의 다른 자리에서 디코딩하면 마지막 비트가 다를 수 있음 (픽셀 값의 1e-6 이하)
    assert interp.max_change < 1e-6 and interp.jump_ratio == 0
    assert len(interp.changes) == 8


def test_interpolation_ends_at_the_decoded_endpoints(models, test_embeddings):
    autoencoder = models[0]
    z, _ = test_embeddings
    interp = P.interpolation_jumps(autoencoder, z[0], z[1], steps=11)
    ends = latent.decode(autoencoder, torch.stack([z[0], z[1]]))
    assert torch.allclose(interp.images[0], ends[0], atol=1e-6)
    assert torch.allclose(interp.images[-1], ends[1], atol=1e-6)
    assert interp.jump_ratio >= 1 and interp.changes[interp.jump_at] == interp.max_change
    with pytest.raises(ValueError):
        P.interpolation_jumps(autoencoder, z[0], z[1], steps=1)


def test_linear_decoder_changes_evenly():
    class Linear:  # 디코딩이 z에 정비례하면 (포화 없이) 모든 단계의 변화가 같음
        def eval(self):
            return self

        def decode(self, z):
            return (0.3 + 0.01 * z.sum(1)).reshape(-1, 1, 1, 1).expand(-1, 1, 32, 32)

    interp = P.interpolation_jumps(Linear(), torch.tensor([0.0, 0.0]), torch.tensor([5.0, 5.0]), steps=6)
    assert interp.jump_ratio == pytest.approx(1.0, abs=1e-4)


def test_interpolation_jump_stats(models, test_embeddings):
    z, _ = test_embeddings
    stats = P.interpolation_jump_stats(models[0], z, pairs=12, steps=11, seed=4)
    assert len(stats.ratios) == 12 and all(r >= 1 for r in stats.ratios)
    assert stats.pairs == P.interpolation_jump_stats(models[0], z, pairs=12, steps=11, seed=4).pairs
    assert 0 <= stats.share_above <= 1


# ---------------------------------------------------------------- 대표 숫자


@pytest.mark.parametrize("sampling", ["box", "prior"])
def test_summary_has_three_headline_numbers(models, test_embeddings, sampling):
    autoencoder, classifier = models
    z, labels = test_embeddings
    result = P.summary(autoencoder, classifier, z, labels, sampling=sampling, n=400, grid_n=80)
    assert list(result) == ["area_ratio", "prior_coverage", "empty_share"]
    for entry in result.values():
        assert set(entry) == {"문제", "숫자", "설명", "좋은 방향", "뽑는 방법", "보조", "자릿수"}
        assert isinstance(entry["숫자"], float) and not math.isnan(entry["숫자"])
    assert result["area_ratio"]["숫자"] >= 1
    assert 0 <= result["prior_coverage"]["숫자"] <= 1
    assert 0 <= result["empty_share"]["숫자"] <= 1
    assert len(P.summary_rows(result)) == 3


def test_summary_from_matches_summary(models, test_embeddings):
    autoencoder, classifier = models
    z, labels = test_embeddings
    direct = P.summary(autoencoder, classifier, z, labels, n=300, grid_n=60, seed=2)
    areas = P.class_areas(z, labels, n=60)
    cover = P.prior_coverage(z, n=300, seed=2)
    holes = P.hole_quality(autoencoder, classifier, z, n=300, seed=2)
    assert P.summary_from(areas, cover, holes) == direct


def test_jump_stats_match_single_interpolations(models, test_embeddings):
    z, _ = test_embeddings
    stats = P.interpolation_jump_stats(models[0], z, pairs=5, steps=9, seed=1)
    for (a, b), ratio in zip(stats.pairs, stats.ratios):
        assert P.interpolation_jumps(models[0], z[a], z[b], steps=9).jump_ratio == pytest.approx(ratio, rel=1e-4)


def test_judge_embeddings_baseline(models, test_embeddings):
    autoencoder, classifier = models
    z, labels = test_embeddings
    j = P.judge_embeddings(autoencoder, classifier, z[:500], labels[:500])
    assert j.n == 500
    assert 0.3 < j.accuracy <= 1  # 재구성은 흐릿해도 절반 넘게는 알아봄
    assert 0 <= j.low_conf_share <= 1


def test_summary_table_has_a_row_per_problem_and_a_column_per_model():
    fake = {k: {"문제": f"문제 {i}", "숫자": i / 3, "설명": "설명", "좋은 방향": "방향"}
            for i, k in enumerate(["a", "b", "c"], start=1)}
    table = P.summary_table({"오토인코더": fake, "VAE": fake})
    lines = table.splitlines()
    assert len(lines) == 2 + 3
    assert lines[0].count("|") == 6 and "오토인코더" in lines[0] and "VAE" in lines[0]
    assert "| 0.333 | 0.333 |" in lines[2]


def test_distance_measures_work_in_any_dimension_and_grids_stay_2d():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(400, 8, generator=g)
    labels = torch.arange(400) % 10
    assert P.self_nn_distances(z).shape == (400,)
    assert P.sample_points(z, 50, sampling="box").shape == (50, 8)
    assert P.sample_points(z, 50, sampling="prior").shape == (50, 8)
    areas = P.class_areas(z, labels, points=P.sample_points(z, 300, sampling="prior"))
    assert sum(areas.shares) == pytest.approx(1.0)
    with pytest.raises(ShapeError, match="N, 2"):
        P.class_areas(z, labels)  # 격자는 2차원에서만
    with pytest.raises(ShapeError, match="N, 2"):
        P.empty_area(z)

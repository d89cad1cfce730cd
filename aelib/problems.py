"""오토인코더에서 샘플링이 어려운 세 가지 이유를 숫자로 재는 함수들.

노트의 세 문제마다 측정 함수가 있고, 마지막에 ``summary``가 문제마다 대표 숫자 하나씩을 돌려줍니다.
모든 함수는 모델 종류를 묻지 않습니다: ``model.decode(z)``(이미지 [0, 1])가 있는 어떤 모델이든,
테스트 세트 임베딩 ``z`` (N, 2), 레이블, 판정용 분류기(``judge(images)`` → (클래스, 확신도))만 받습니다.
그래서 VAE 노트북에서도 같은 함수를 그대로 불러 두 모델을 나란히 비교할 수 있습니다.

1. 임베딩 공간의 크기 문제 — ``class_areas``, ``decoded_class_mix``
2. 포인트 선택의 불확실성 — ``distribution_stats``, ``prior_coverage``
3. 잠재 공간의 빈 구멍 문제 — ``empty_area``, ``hole_quality``, ``interpolation_jumps``, ``interpolation_jump_stats``

"데이터가 있는 곳"의 기준 (모든 함수가 같은 기준을 씀): 임베딩마다 가장 가까운 **다른** 임베딩까지의
거리를 재고, 그 95 백분위수를 문턱 τ로 삼습니다. 어떤 점에서 가장 가까운 임베딩까지의 거리가 τ 이하이면
"데이터가 있는 곳", 더 멀면 "빈 곳"입니다. 잠재 공간의 눈금(모델마다 다름)과
상관없이 데이터 자신의 촘촘함으로 정한 기준이라 두 모델에 똑같이 쓸 수 있습니다.
"""

import math
import numbers
from dataclasses import asdict, dataclass, is_dataclass

import numpy as np
import torch

from . import latent, validate
from .errors import ArgumentError, DegenerateDataError, ShapeError
from .labels import CLASSES, KOREAN_NAMES

NUM_CLASSES = len(CLASSES)
PRIOR_RADIUS_95 = math.sqrt(-2.0 * math.log(0.05))  # 2차원 N(0, I)의 95 %가 들어가는 원의 반지름 ≈ 2.4477
LOW_CONFIDENCE = 0.5  # 분류기 확신도가 이보다 낮으면 "무엇인지 알아보기 어려운 이미지"


# ---------------------------------------------------------------- 공통 도우미


def _as_z(z, any_dims: bool = False) -> torch.Tensor:
    """임베딩 (N, 2), N ≥ 2, 유한한 실수 → float32 CPU 텐서 (float64·정수·numpy·목록은 바꿈, NaN은 거절).
    ``any_dims``이면 차원 수를 묻지 않음 (N, D) — 거리와 판정만 쓰는 함수용."""
    z = validate.latent_points(z, None, "z").detach().cpu()
    if z.ndim != 2 or (z.shape[1] != 2 and not any_dims) or len(z) < 2:
        shape, want = tuple(z.shape), ("N, D" if any_dims else "N, 2")
        raise ShapeError(
            f"임베딩은 2개 이상의 점 ({want})이어야 합니다. 받은 모양: {shape}.",
            f"Embeddings must be at least two points shaped ({want}), got {shape}.",
        )
    return z


def _distinct(z: torch.Tensor, function: str) -> torch.Tensor:
    """모두 같은 점이 아닌 임베딩 (같으면 문턱 τ = 0, 상자의 폭 0: 모든 숫자가 0이나 NaN이 됨)."""
    if bool((z == z[0]).all()):
        raise DegenerateDataError(
            f"{function}의 z는 {len(z)}개가 모두 같은 점입니다: 데이터가 있는 곳의 문턱 τ와 상자의 폭이 0이 되어 잴 것이 "
            "없습니다. 서로 다른 이미지의 임베딩을 주세요 (모두 같다면 인코더가 망가졌을 수 있습니다).",
            f"{function}: all {len(z)} points of z are identical, so the data threshold τ and the box width are 0 "
            "and there is nothing to measure. Pass embeddings of different images (if they are all equal, the encoder "
            "may be broken).")
    return z


def _spread_axes(z: torch.Tensor, function: str) -> torch.Tensor:
    """축마다 값이 퍼진 임베딩 (어느 한 축의 값이 모두 같으면 상자의 폭·표준편차가 0)."""
    _distinct(z, function)
    flat = ((z == z[0]).all(dim=0)).nonzero().flatten().tolist()
    if flat:
        raise DegenerateDataError(
            f"{function}의 z는 축 {flat[0]}의 값이 모두 {float(z[0, flat[0]]):g}입니다 (폭·표준편차 0): 상자가 납작해지고 "
            "비율이 0으로 나누기가 됩니다. 서로 다른 이미지의 임베딩을 주세요.",
            f"{function}: every point of z has the value {float(z[0, flat[0]]):g} on axis {flat[0]} (zero width and "
            "standard deviation), so the box is flat and ratios divide by zero. Pass embeddings of different images.")
    return z


def _models(model, classifier, function: str) -> None:
    """디코딩할 모델(``decode``)과 판정 분류기(``judge``): 일을 시작하기 전에 확인."""
    validate.checked_model(model, function, needs=("decode",))
    validate.checked_model(classifier, function, needs=("judge",), name="classifier")


def _fraction(q, name: str) -> float:
    """0 < q ≤ 1인 비율 (백분위수 등)."""
    q = validate.real(q, name, positive=True, kind=ArgumentError)
    if q > 1:
        raise ArgumentError(f"{name}은(는) 0보다 크고 1 이하인 비율이어야 합니다 (95 백분위수는 0.95). 받은 값: {q:g}.",
                            f"{name} must be a fraction in (0, 1] (0.95 for the 95th percentile), got {q:g}.")
    return q


def _labels_for(labels, z: torch.Tensor) -> torch.Tensor:
    """임베딩마다 하나씩, 표 3-3의 번호 0–9 → int64 텐서 (N,)."""
    return torch.from_numpy(validate.class_labels(labels, len(z), "labels"))


def _shares(labels: torch.Tensor) -> list[float]:
    counts = torch.bincount(torch.as_tensor(labels).long().flatten(), minlength=NUM_CLASSES).double()
    return (counts / counts.sum()).tolist()


def _distribution(p, name: str) -> np.ndarray:
    """비율의 목록: 1개 이상의 유한한 실수, 0 이상, 합이 1 (반올림 오차 0.01까지)."""
    try:
        a = np.asarray(p.detach().cpu() if isinstance(p, torch.Tensor) else p)
    except (TypeError, ValueError, RuntimeError):
        a = np.asarray([None])
    if a.dtype.kind not in "iuf" or a.ndim != 1 or len(a) == 0:
        raise ArgumentError(f"total_variation의 {name}은(는) 비율(실수)의 1차원 목록이어야 합니다. 받은 값: {validate.describe(p)}.",
                            f"total_variation: {name} must be a 1-D list of shares (real numbers), "
                            f"got {validate.describe_en(p)}.")
    a = a.astype(np.float64)
    if not np.all(np.isfinite(a)) or (a < 0).any():
        raise ArgumentError(f"total_variation의 {name}에 NaN·무한대나 음수가 있습니다: {a[:10].tolist()}. "
                            "비율은 0 이상의 유한한 수입니다.",
                            f"total_variation: {name} contains NaN, infinity or negative values: {a[:10].tolist()}. "
                            "Shares are finite and at least 0.")
    if abs(a.sum() - 1.0) > 0.01:
        raise ArgumentError(f"total_variation의 {name}의 합이 {a.sum():g}입니다: 비율의 합은 1이어야 합니다. "
                            "개수라면 합으로 나누세요 (예: counts / counts.sum()).",
                            f"total_variation: {name} sums to {a.sum():g}, but shares must sum to 1. "
                            "If these are counts, divide by their sum (e.g. counts / counts.sum()).")
    return a


def total_variation(p, q) -> float:
    """두 분포(비율의 목록) 사이의 총변동 거리 ½·Σ|p−q|: 0이면 같고, 1이면 전혀 겹치지 않음.

    ``p``, ``q``: 같은 길이의 비율 목록 (0 이상, 합 1). 길이가 다르거나 NaN·음수가 있으면 ``ArgumentError``."""
    a, b = _distribution(p, "p"), _distribution(q, "q")
    if len(a) != len(b):
        raise ArgumentError(f"total_variation의 p와 q의 길이가 다릅니다 ({len(a)}개와 {len(b)}개): "
                            "같은 클래스들의 비율이어야 합니다 (표 3-3이면 10개씩).",
                            f"total_variation: p and q differ in length ({len(a)} and {len(b)}); they must be "
                            "shares of the same classes (10 each for Table 3-3).")
    return 0.5 * sum(abs(a - b) for a, b in zip(p, q))


UNIFORM = [1.0 / NUM_CLASSES] * NUM_CLASSES


def _mean(x: torch.Tensor) -> float:
    return float(x.double().mean()) if len(x) else float("nan")


def self_nn_distances(z, chunk: int = 2048) -> torch.Tensor:
    """임베딩마다 가장 가까운 *다른* 임베딩까지의 거리 (N,), float64 (``latent.nearest``와 같은 이유)."""
    z = _as_z(z, any_dims=True).double()
    chunk = validate.integer(chunk, "chunk", minimum=1, kind=ArgumentError)
    out = []
    for i in range(0, len(z), chunk):
        d = torch.cdist(z[i : i + chunk], z)
        rows = torch.arange(len(d))
        d[rows, rows + i] = float("inf")  # 자기 자신은 빼기
        out.append(d.min(dim=1).values)
    return torch.cat(out)


def data_threshold(z, quantile: float = 0.95) -> float:
    """"데이터가 있는 곳"의 문턱 τ: 임베딩끼리의 최근접 거리의 ``quantile`` 백분위수."""
    quantile = _fraction(quantile, "quantile")
    z = _distinct(_as_z(z, any_dims=True), "data_threshold")
    tau = float(torch.quantile(self_nn_distances(z), quantile))
    if tau == 0.0:
        raise DegenerateDataError(
            f"data_threshold: 점의 {quantile:.0%} 이상이 다른 점과 정확히 겹쳐 문턱 τ가 0입니다: \"데이터가 있는 곳\"을 "
            "정할 수 없습니다. 서로 다른 이미지의 임베딩을 주세요 (같은 이미지를 여러 번 넣지 않았는지 확인하세요).",
            f"data_threshold: at least {quantile:.0%} of the points coincide exactly with another point, so the "
            "threshold τ is 0 and \"where the data is\" cannot be defined. Pass embeddings of different images "
            "(check that the same image was not included many times).")
    return tau


def judge_points(model, classifier, points) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """잠재 공간의 점들을 디코딩하고 분류기로 판정: (이미지, 예측 클래스, 확신도)."""
    validate.checked_model(model, "judge_points", needs=("decode",))
    points = validate.latent_points(points, getattr(model, "latents", None), "points")  # 점의 종류·NaN
    validate.checked_model(classifier, "judge_points", needs=("judge",), name="classifier")
    images = latent.decode(model, points)
    label, confidence = classifier.judge(images)
    return images, label, confidence


SAMPLINGS = ("box", "prior")


def sample_points(z, n: int = 2000, seed: int = 0, sampling: str = "box") -> torch.Tensor:
    """잠재 공간에서 무작위로 점 n개 (시드 고정).

    - ``"box"``: 임베딩을 감싸는 상자에서 균일하게 (책이 오토인코더에서 새 옷을 만들 때 쓰는 방법)
    - ``"prior"``: 표준정규분포 N(0, I)에서 (VAE에서 새 옷을 만들 때 쓰는 방법)
    """
    n = validate.integer(n, "n", minimum=1, kind=ArgumentError)
    if sampling not in SAMPLINGS:
        raise ArgumentError(f"sampling은 {SAMPLINGS} 중 하나여야 합니다. 받은 값: {sampling!r}.",
                            f"sampling must be one of {SAMPLINGS}, got {sampling!r}.")
    n = validate.count(n, "n", 1, latent.MAX_POINTS, "점을 한 번에 모두 메모리에 만들므로",
                      "all points are made in memory at once.")
    seed = validate.seed(seed)
    z = _as_z(z, any_dims=True)
    if sampling == "box":
        lo, hi = latent.bounds(_spread_axes(z, "sample_points"))
        return latent.uniform_in_box(lo, hi, n, seed)
    return torch.randn(n, z.shape[1], generator=torch.Generator().manual_seed(seed))


@dataclass
class Judgement:
    """분류기의 판정 요약: 정확도(레이블이 있을 때), 평균 확신도, 확신도 < 0.5인 비율."""

    accuracy: float
    mean_confidence: float
    low_conf_share: float
    n: int


def judge_embeddings(model, classifier, z, labels) -> Judgement:
    """기준선: 테스트 이미지의 임베딩 자리(= 데이터가 확실히 있는 곳)를 디코딩한 이미지를 판정합니다.
    무작위 점의 결과를 이 값과 견주면 "데이터가 있는 곳에서도 이 정도"라는 기준이 생깁니다."""
    z = _as_z(z, any_dims=True)
    labels = _labels_for(labels, z)
    _, label, conf = judge_points(model, classifier, z)
    return Judgement(accuracy=_mean(label == labels), mean_confidence=_mean(conf),
                     low_conf_share=_mean(conf < LOW_CONFIDENCE), n=len(z))


# ---------------------------------------------------------------- 문제 1: 임베딩 공간의 크기


@dataclass
class ClassAreas:
    """상자 안의 격자점을 가장 가까운 임베딩의 레이블로 칠했을 때 클래스마다 차지하는 넓이의 비율."""

    shares: list[float]  # 클래스마다 넓이의 비율 (합 1)
    data_shares: list[float]  # 클래스마다 데이터 개수의 비율 (테스트 세트는 모두 0.1)
    largest: int  # 가장 넓은 클래스 번호
    smallest: int  # 가장 좁은 클래스 번호
    ratio: float  # 가장 넓은 비율 / 가장 좁은 비율
    tv: float  # 넓이의 비율과 데이터 비율 사이의 총변동 거리
    n: int  # 격자 한 변의 점 수
    lo: list[float]
    hi: list[float]
    grid_labels: torch.Tensor  # (n, n) 격자점의 레이블 (행은 z₂가 큰 쪽부터) — 그림용

    def rows(self) -> list[tuple[int, str, float, float]]:
        """(번호, 한국어 이름, 넓이 비율, 데이터 비율) 줄들, 넓은 순서."""
        order = sorted(range(NUM_CLASSES), key=lambda c: -self.shares[c])
        return [(c, KOREAN_NAMES[c], self.shares[c], self.data_shares[c]) for c in order]


def class_areas(z, labels, n: int = 200, margin: float = 0.0, points=None) -> ClassAreas:
    """임베딩을 감싸는 상자를 n×n 격자로 나누고, 격자점마다 가장 가까운 임베딩의 레이블을 붙여
    클래스마다 상자 넓이의 몇 %를 차지하는지 잽니다. 상자에서 점을 무작위로 고르면 그 클래스 근처가
    뽑힐 확률이 바로 이 비율입니다.

    ``points``를 주면 격자 대신 그 점들(예: N(0, I)에서 뽑은 점)로 셉니다. 그때 비율은 "그 분포에서
    뽑은 점이 어느 클래스 영역에 떨어지는가"이고, ``grid_labels``는 (len(points),)입니다. 이때는
    임베딩의 차원 수를 묻지 않습니다 (격자는 2차원에서만)."""
    z = _as_z(z, any_dims=points is not None)
    labels = _labels_for(labels, z)
    z = _spread_axes(z, "class_areas") if points is None else _distinct(z, "class_areas")
    lo, hi = latent.bounds(z, margin)
    on_grid = points is None
    points = latent.grid(lo, hi, n) if on_grid else validate.latent_points(points, z.shape[1], "points")
    _, idx = latent.nearest(points, z)
    grid_labels = labels[idx]
    shares = _shares(grid_labels)
    data_shares = _shares(labels)
    present = [c for c in range(NUM_CLASSES) if data_shares[c] > 0]
    largest = max(present, key=lambda c: shares[c])
    smallest = min(present, key=lambda c: shares[c])
    ratio = shares[largest] / shares[smallest] if shares[smallest] > 0 else math.inf
    return ClassAreas(
        shares=shares, data_shares=data_shares, largest=largest, smallest=smallest, ratio=ratio,
        tv=total_variation(shares, data_shares), n=n if on_grid else len(points), lo=lo.tolist(), hi=hi.tolist(),
        grid_labels=grid_labels.reshape(n, n) if on_grid else grid_labels,
    )


@dataclass
class ClassMix:
    """무작위 점을 디코딩한 이미지를 분류기가 어느 클래스로 판정했는지의 비율."""

    shares: list[float]  # 예측 클래스마다 비율 (합 1)
    tv_from_uniform: float  # 모든 클래스가 10 %인 경우와의 총변동 거리
    mean_confidence: float
    n: int

    def rows(self) -> list[tuple[int, str, float]]:
        order = sorted(range(NUM_CLASSES), key=lambda c: -self.shares[c])
        return [(c, KOREAN_NAMES[c], self.shares[c]) for c in order]


def class_mix_of_points(model, classifier, points) -> ClassMix:
    """주어진 잠재 점들을 디코딩해 판정한 클래스의 비율 (어떤 분포에서 뽑은 점이든)."""
    _, label, confidence = judge_points(model, classifier, points)
    shares = _shares(label)
    return ClassMix(shares=shares, tv_from_uniform=total_variation(shares, UNIFORM),
                    mean_confidence=float(confidence.mean()), n=len(label))


def decoded_class_mix(model, classifier, lo, hi, n: int = 2000, seed: int = 0) -> ClassMix:
    """상자 [lo, hi]에서 균일하게 n개를 뽑아 디코딩하고 판정한 클래스의 비율."""
    return class_mix_of_points(model, classifier, latent.uniform_in_box(lo, hi, n, seed))


# ---------------------------------------------------------------- 문제 2: 포인트 선택의 불확실성


@dataclass
class DistributionStats:
    """임베딩 분포의 모양: 축마다 평균·표준편차·왜도, 두 축의 상관, 사분면별 비율."""

    mean: list[float]
    std: list[float]
    skewness: list[float]  # 0이면 좌우 대칭
    correlation: float
    quadrant_shares: list[float]  # (+,+), (−,+), (−,−), (+,−) 사분면의 비율 — 원점 대칭이면 모두 0.25
    center_offset: float  # 평균이 원점에서 떨어진 거리를 표준편차 단위로: |mean / std|
    kl_to_prior: float  # 같은 평균·공분산의 정규분포와 N(0, I) 사이의 KL 발산 (0이면 N(0, I))


def distribution_stats(z) -> DistributionStats:
    """임베딩이 어떤 분포를 따르는지 요약합니다 (정의된 분포가 없다는 것을 숫자로 보기 위해)."""
    z = _spread_axes(validate.spread_points(_as_z(z), "distribution_stats"), "distribution_stats").double()
    mean = z.mean(0)
    centered = z - mean
    std = centered.pow(2).mean(0).sqrt()
    skew = centered.pow(3).mean(0) / std.pow(3)
    cov = centered.T @ centered / len(z)
    corr = cov[0, 1] / (std[0] * std[1])
    q = [((z[:, 0] >= 0) & (z[:, 1] >= 0)), ((z[:, 0] < 0) & (z[:, 1] >= 0)),
         ((z[:, 0] < 0) & (z[:, 1] < 0)), ((z[:, 0] >= 0) & (z[:, 1] < 0))]
    # KL(N(mean, cov) || N(0, I)) = ½ (tr Σ + |μ|² − d − ln det Σ)
    kl = 0.5 * (torch.trace(cov) + mean.pow(2).sum() - 2 - torch.logdet(cov))
    return DistributionStats(
        mean=mean.tolist(), std=std.tolist(), skewness=skew.tolist(), correlation=float(corr),
        quadrant_shares=[float(m.double().mean()) for m in q],
        center_offset=float((mean / std).norm()), kl_to_prior=float(kl),
    )


@dataclass
class PriorCoverage:
    """표준정규분포 N(0, I)와 임베딩이 서로를 얼마나 덮는지.

    - ``samples_on_data``: N(0, I)에서 뽑은 점 중 "데이터가 있는 곳"(최근접 임베딩 거리 ≤ τ)에 떨어진 비율
    - ``data_in_prior``: 임베딩 중 N(0, I)의 95 % 원(반지름 ≈ 2.448) 안에 있는 비율 (N(0, I)를 따르면 ≈ 0.95)
    - ``coverage``: 둘 중 작은 값 — 둘 다 높아야 "N(0, I)에서 뽑으면 데이터 전체를 고르게 얻는다"
    """

    samples_on_data: float
    data_in_prior: float
    coverage: float
    threshold: float  # τ
    radius: float
    n: int
    samples: torch.Tensor  # 뽑은 점 (n, 2) — 그림용
    on_data: torch.Tensor  # (n,) bool


def prior_coverage(z, n: int = 2000, seed: int = 0, radius: float = PRIOR_RADIUS_95,
                   quantile: float = 0.95) -> PriorCoverage:
    """"잠재 공간에서 N(0, I)로 점을 뽑으면 되지 않을까?"를 재 봅니다 (VAE가 실제로 그렇게 뽑음)."""
    n = validate.count(n, "n", 1, latent.MAX_POINTS, "점을 한 번에 모두 메모리에 만들므로",
                      "all points are made in memory at once.")
    quantile = _fraction(quantile, "quantile")
    radius = validate.real(radius, "radius", positive=True, kind=ArgumentError)
    seed = validate.seed(seed)
    z = _distinct(_as_z(z), "prior_coverage")
    tau = data_threshold(z, quantile)
    g = torch.Generator().manual_seed(seed)
    samples = torch.randn(n, 2, generator=g)
    dist, _ = latent.nearest(samples, z)
    on_data = dist <= tau
    a = float(on_data.double().mean())
    b = float((z.norm(dim=1) <= radius).double().mean())
    return PriorCoverage(samples_on_data=a, data_in_prior=b, coverage=min(a, b), threshold=tau,
                         radius=radius, n=n, samples=samples, on_data=on_data)


# ---------------------------------------------------------------- 문제 3: 빈 구멍과 불연속


@dataclass
class EmptyArea:
    """상자 넓이 중 "빈 곳"(최근접 임베딩 거리 > τ)의 비율."""

    share: float
    threshold: float
    n: int
    grid_distance: torch.Tensor  # (n, n) 격자점에서 최근접 임베딩까지의 거리 — 그림용


def empty_area(z, n: int = 200, margin: float = 0.0, quantile: float = 0.95) -> EmptyArea:
    """임베딩을 감싸는 상자의 격자점 중 데이터에서 τ보다 먼 점의 비율 (빈 구멍과 틈의 넓이)."""
    quantile = _fraction(quantile, "quantile")
    n = validate.count(n, "n", 1, latent.MAX_GRID, "격자는 n×n 점이라", "the grid holds n×n points.")
    margin = validate.real(margin, "margin", minimum=0.0, kind=ArgumentError)
    z = _spread_axes(_as_z(z), "empty_area")
    tau = data_threshold(z, quantile)
    lo, hi = latent.bounds(z, margin)
    dist, _ = latent.nearest(latent.grid(lo, hi, n), z)
    return EmptyArea(share=float((dist > tau).double().mean()), threshold=tau, n=n,
                     grid_distance=dist.reshape(n, n))


@dataclass
class HoleQuality:
    """상자에서 균일하게 뽑은 점: 데이터까지의 거리와 디코딩한 이미지의 분류기 확신도."""

    threshold: float  # τ
    near_share: float  # τ 이하(데이터가 있는 곳)에 떨어진 점의 비율
    empty_share: float  # τ보다 먼 곳(빈 곳)에 떨어진 점의 비율 = 1 − near_share
    mean_conf_near: float
    mean_conf_far: float
    low_conf_share: float  # 확신도 < 0.5인 이미지의 비율 (전체)
    low_conf_near: float  # 데이터가 있는 곳에서도 확신도 < 0.5인 비율 (연속적이지 않은 곳)
    low_conf_far: float
    bin_edges: list[float]  # 거리 분위수 구간의 경계
    bin_confidence: list[float]  # 구간마다 평균 확신도
    bin_low_share: list[float]  # 구간마다 확신도 < 0.5인 비율
    n: int
    points: torch.Tensor  # (n, 2) — 그림용
    distance: torch.Tensor  # (n,)
    confidence: torch.Tensor  # (n,)
    predicted: torch.Tensor  # (n,)


def hole_quality(model, classifier, z, lo=None, hi=None, n: int = 2000, seed: int = 0, bins: int = 5,
                 quantile: float = 0.95, points=None) -> HoleQuality:
    """상자 [lo, hi]에서 균일하게 뽑은 점을 디코딩해 판정하고, 확신도를 데이터까지의 거리와 나란히 봅니다.

    거리 구간은 뽑은 점들의 거리 분위수로 나눕니다 (구간마다 점 수가 같음). ``lo``/``hi``를 빼면
    임베딩을 감싸는 상자를 쓰고, ``points``를 주면 상자 대신 그 점들(예: N(0, I)에서 뽑은 점)을 씁니다.
    """
    bins = validate.integer(bins, "bins", minimum=1, kind=ArgumentError)
    quantile = _fraction(quantile, "quantile")
    _models(model, classifier, "hole_quality")
    z = _distinct(_as_z(z, any_dims=True), "hole_quality")
    if points is None:
        if lo is None or hi is None:
            box_lo, box_hi = latent.bounds(_spread_axes(z, "hole_quality"))
            lo = box_lo if lo is None else lo
            hi = box_hi if hi is None else hi
        points = latent.uniform_in_box(lo, hi, n, seed)  # 상자·n·seed 확인
    points = validate.latent_points(points, z.shape[1], "points")
    n = len(points)
    if bins > n:
        raise ArgumentError(f"hole_quality: bins={bins}가 점의 수 {n}보다 많습니다: 빈 구간의 평균은 NaN이 됩니다. "
                            f"bins를 {n} 이하로 주세요.",
                            f"hole_quality: bins={bins} exceeds the number of points ({n}), so empty bins would "
                            f"average to NaN. Use bins <= {n}.")
    tau = data_threshold(z, quantile)
    dist, _ = latent.nearest(points, z)
    _, predicted, conf = judge_points(model, classifier, points)
    near = dist <= tau
    low = conf < LOW_CONFIDENCE
    edges = torch.quantile(dist.double(), torch.linspace(0, 1, bins + 1, dtype=torch.float64))
    which = torch.bucketize(dist.double(), edges[1:-1], right=True)
    return HoleQuality(
        threshold=tau, near_share=_mean(near), empty_share=_mean(~near), mean_conf_near=_mean(conf[near]), mean_conf_far=_mean(conf[~near]),
        low_conf_share=_mean(low), low_conf_near=_mean(low[near]), low_conf_far=_mean(low[~near]),
        bin_edges=edges.tolist(),
        bin_confidence=[_mean(conf[which == b]) for b in range(bins)],
        bin_low_share=[_mean(low[which == b]) for b in range(bins)],
        n=n, points=points, distance=dist, confidence=conf, predicted=predicted,
    )


@dataclass
class Interpolation:
    """두 점을 잇는 직선 위에서 디코딩한 이미지들과 이웃한 이미지 사이의 픽셀 변화."""

    points: torch.Tensor  # (steps, 2)
    images: torch.Tensor  # (steps, 1, 32, 32)
    changes: list[float]  # 이웃한 두 이미지의 평균 절대 픽셀 차이 (steps − 1개)
    max_change: float
    mean_change: float
    jump_ratio: float  # 최대 변화 / 평균 변화: 1이면 고르게 변하고, 클수록 한 곳에서 "툭" 바뀜 (변화가 없으면 0)
    jump_at: int  # 가장 크게 바뀐 곳 (changes의 번호)


def interpolation_jumps(model, z_a, z_b, steps: int = 21) -> Interpolation:
    """z_a에서 z_b까지 직선 위 ``steps``개 점을 디코딩하고 이웃한 이미지 사이의 변화를 잽니다."""
    steps = validate.integer(steps, "steps", minimum=2, kind=ArgumentError)
    latents = getattr(model, "latents", None)
    z_a = validate.finite_vector(z_a, latents, "z_a")
    z_b = validate.finite_vector(z_b, len(z_a), "z_b")
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    points = z_a + t * (z_b - z_a)  # z_a == z_b이면 모든 점이 정확히 z_a
    images = latent.decode(model, points)
    changes = _changes(images)
    mx, mean, ratio, at = _jump(changes)
    return Interpolation(points=points, images=images, changes=changes.tolist(), max_change=mx, mean_change=mean,
                         jump_ratio=ratio, jump_at=at)


@dataclass
class JumpStats:
    """무작위로 고른 임베딩 쌍 여러 개의 보간에서 잰 점프 비율."""

    mean_ratio: float
    median_ratio: float
    share_above: float  # 점프 비율이 ``limit``보다 큰 쌍의 비율
    limit: float
    ratios: list[float]
    pairs: list[tuple[int, int]]


def _changes(images: torch.Tensor) -> torch.Tensor:
    """이웃한 이미지 사이의 평균 절대 픽셀 차이 (steps − 1,)."""
    return (images[1:] - images[:-1]).abs().flatten(1).mean(1).double()


MAX_DECODED = 200_000  # interpolation_jump_stats가 한 번에 디코딩하는 이미지 수의 상한 (32×32 float32로 800 MB)
NO_CHANGE = 1e-6  # 이보다 작은 평균 픽셀 변화는 계산 잡음 (같은 점을 배치의 다른 자리에서 디코딩한 차이)


def _jump(changes: torch.Tensor) -> tuple[float, float, float, int]:
    mx, mean = float(changes.max()), float(changes.mean())
    return mx, mean, (mx / mean if mean > NO_CHANGE else 0.0), int(changes.argmax())


def interpolation_jump_stats(model, z, pairs: int = 100, steps: int = 21, seed: int = 0,
                             limit: float = 3.0) -> JumpStats:
    """임베딩 쌍 ``pairs``개를 무작위로(시드 고정) 골라 ``interpolation_jumps``의 점프 비율을 모읍니다.
    (모든 쌍의 점을 한 번에 디코딩하므로 쌍마다 부르는 것보다 빠름)"""
    pairs = validate.integer(pairs, "pairs", minimum=1, kind=ArgumentError)
    steps = validate.integer(steps, "steps", minimum=2, kind=ArgumentError)
    if pairs * steps > MAX_DECODED:
        raise ArgumentError(f"pairs×steps = {pairs * steps:,}장을 한 번에 디코딩하기에는 너무 많습니다: "
                            f"{MAX_DECODED:,}장 이하가 되게 pairs나 steps를 줄이세요.",
                            f"pairs×steps = {pairs * steps:,} images is too many to decode at once: "
                            f"reduce pairs or steps to at most {MAX_DECODED:,} images.")
    seed = validate.seed(seed)
    limit = validate.real(limit, "limit", positive=True, kind=ArgumentError)
    validate.checked_model(model, "interpolation_jump_stats", needs=("decode",))
    z = _distinct(_as_z(z), "interpolation_jump_stats")
    g = torch.Generator().manual_seed(seed)
    idx = torch.randint(len(z), (pairs, 2), generator=g)
    t = torch.linspace(0, 1, steps).reshape(1, steps, 1)
    za, zb = z[idx[:, 0]].unsqueeze(1), z[idx[:, 1]].unsqueeze(1)
    points = (za + t * (zb - za)).reshape(-1, z.shape[1])
    images = latent.decode(model, points).reshape(pairs, steps, -1)
    ratios = [_jump(_changes(images[k]))[2] for k in range(pairs)]
    r = torch.tensor(ratios, dtype=torch.float64)
    return JumpStats(mean_ratio=float(r.mean()), median_ratio=float(r.median()),
                     share_above=float((r > limit).double().mean()), limit=limit, ratios=ratios,
                     pairs=[tuple(p) for p in idx.tolist()])


# ---------------------------------------------------------------- 대표 숫자 셋


def summary(model, classifier, z, labels, sampling: str = "box", n: int = 2000, seed: int = 0,
            grid_n: int = 200) -> dict:
    """세 문제의 대표 숫자 (VAE와 나란히 놓을 표의 한 열).

    ``sampling``은 새 옷을 만들 때 점을 뽑는 방법입니다: ``"box"``(임베딩을 감싸는 상자에서 균일하게,
    오토인코더의 방법) 또는 ``"prior"``(N(0, I), VAE의 방법). 문제 1과 3의 숫자는 이렇게 뽑은 점으로
    잽니다 (``"box"``의 문제 1은 n×n 격자로 정확히). 문제 2의 숫자는 뽑는 방법과 상관없습니다.

    돌려주는 사전: ``{키: {"문제", "숫자", "설명", "좋은 방향", "뽑는 방법", "보조", "자릿수"}}``. ``"보조"``는
    대표 숫자를 뒷받침하는 숫자 하나 (``{"숫자", "설명"}``).
    """
    if sampling not in SAMPLINGS:
        raise ArgumentError(f"sampling은 {SAMPLINGS} 중 하나여야 합니다. 받은 값: {sampling!r}.",
                            f"sampling must be one of {SAMPLINGS}, got {sampling!r}.")
    _models(model, classifier, "summary")
    z = _spread_axes(_as_z(z), "summary")
    _labels_for(labels, z)
    grid_n = validate.count(grid_n, "grid_n", 1, latent.MAX_GRID, "격자는 n×n 점이라", "the grid holds n×n points.")
    points = sample_points(z, n, seed, sampling)
    areas = class_areas(z, labels, n=grid_n) if sampling == "box" else class_areas(z, labels, points=points)
    holes = hole_quality(model, classifier, z, points=points)
    return summary_from(areas, prior_coverage(z, n=n, seed=seed), holes, sampling)


def summary_from(areas: ClassAreas, cover: PriorCoverage, holes: HoleQuality, sampling: str = "box") -> dict:
    """이미 잰 결과(``class_areas``, ``prior_coverage``, ``hole_quality``)로 ``summary``와 같은 사전을 만듭니다."""
    for value, kind, name, maker in ((areas, ClassAreas, "areas", "class_areas"),
                                     (cover, PriorCoverage, "cover", "prior_coverage"),
                                     (holes, HoleQuality, "holes", "hole_quality")):
        if not isinstance(value, kind):
            raise ArgumentError(f"summary_from의 {name}은(는) {maker}(...)가 돌려준 {kind.__name__}여야 합니다. "
                                f"받은 값: {type(value).__name__}.",
                                f"summary_from: {name} must be the {kind.__name__} returned by {maker}(...), "
                                f"got {type(value).__name__}.")
    if sampling not in SAMPLINGS:
        raise ArgumentError(f"sampling은 {SAMPLINGS} 중 하나여야 합니다. 받은 값: {sampling!r}.",
                            f"sampling must be one of {SAMPLINGS}, got {sampling!r}.")
    where = "상자" if sampling == "box" else "N(0, I)"
    common = {"뽑는 방법": where}
    return {
        "area_ratio": {**common,
            "문제": "1. 임베딩 공간의 크기",
            "숫자": areas.ratio,
            "설명": "가장 넓은 클래스 영역 ÷ 가장 좁은 클래스 영역 (뽑은 점을 가장 가까운 임베딩의 레이블로 나눔)",
            "좋은 방향": "1에 가까울수록 (모든 클래스가 같은 넓이)",
            "자릿수": 1,  # 격자 칸 하나가 바뀌면 비율이 0.03쯤 움직임: 소수 첫째 자리까지만 믿을 수 있음
            "보조": {"숫자": areas.tv, "설명": "넓이 비율과 데이터 비율(10 %)의 총변동 거리"},
        },
        "prior_coverage": {**common,
            "문제": "2. 포인트 선택의 불확실성",
            "숫자": cover.coverage,
            "설명": "N(0, I)에서 뽑은 점이 데이터가 있는 곳에 떨어지는 비율과 임베딩이 N(0, I)의 95 % 원 안에 있는 비율 중 작은 값",
            "좋은 방향": "1에 가까울수록 (N(0, I)에서 뽑으면 된다)",
            "자릿수": 3,  # 점 개수의 비율 (k/2000, k/10000)
            "보조": {"숫자": cover.samples_on_data, "설명": "N(0, I)에서 뽑은 점 중 데이터가 있는 곳에 떨어진 비율"},
        },
        "empty_share": {**common,
            "문제": "3. 잠재 공간의 빈 구멍",
            "숫자": holes.empty_share,
            "설명": "뽑은 점 중 빈 곳(가장 가까운 임베딩까지 τ보다 멂)에 떨어진 비율",
            "좋은 방향": "0에 가까울수록 (어디를 뽑아도 데이터가 있는 곳)",
            "자릿수": 3,  # 점 개수의 비율 (k/2000)
            "보조": {"숫자": holes.low_conf_share, "설명": "뽑은 점을 디코딩한 이미지 중 판정관 확신도 < 0.5인 비율"},
        },
    }


def fmt(entry: dict, key: str = "숫자") -> str:
    """``summary`` 항목의 숫자를 그 측정이 버틸 수 있는 자릿수로 (``"보조"`` 숫자는 소수 셋째 자리).

    ``entry``: ``summary(...)``의 항목 하나, ``key``: ``"숫자"``(대표 숫자) 또는 ``"보조"``."""
    if key not in ("숫자", "보조"):
        raise ArgumentError(f"fmt의 key는 \"숫자\" 또는 \"보조\"여야 합니다. 받은 값: {key!r}.",
                            f"fmt: key must be \"숫자\" (the main number) or \"보조\" (the supporting one), got {key!r}.")
    _entry(entry, "entry", "fmt", ("숫자",) if key == "숫자" else ("보조",))
    value = entry[key] if key == "숫자" else entry["보조"]["숫자"]
    return f"{value:.{entry.get('자릿수', 3) if key == '숫자' else 3}f}"


def summary_rows(result: dict) -> list[tuple[str, float, str]]:
    """``summary``의 결과 → 표 줄 (문제, 숫자, 설명)."""
    _result(result, "result", "summary_rows")
    return [(v["문제"], v["숫자"], v["설명"]) for v in result.values()]


SUMMARY_FIELDS = ("문제", "숫자", "설명", "좋은 방향")


def _entry(entry, name: str, function: str, fields=SUMMARY_FIELDS) -> dict:
    """``summary``의 항목 하나: 사전, ``fields``가 있고 숫자는 실수 (``"보조"``는 ``{"숫자", …}``)."""
    if not isinstance(entry, dict):
        raise ArgumentError(f"{function}의 {name}은(는) summary(...)의 항목(사전)이어야 합니다. 받은 값: {validate.describe(entry)}.",
                            f"{function}: {name} must be an entry (dict) of summary(...), got {validate.describe_en(entry)}.")
    missing = [f for f in fields if f not in entry]
    if missing:
        raise ArgumentError(f"{function}의 {name}에 {missing}이(가) 없습니다: summary(...)의 항목을 주세요.",
                            f"{function}: {name} lacks {missing}; pass an entry of summary(...).")
    for field in ("숫자", "보조"):
        if field not in fields:
            continue
        number = entry[field]
        if field == "보조":
            if not isinstance(number, dict) or "숫자" not in number:
                raise ArgumentError(f"{function}의 {name}[\"보조\"]은(는) {{\"숫자\", \"설명\"}} 사전이어야 합니다. "
                                    f"받은 값: {validate.describe(number)}.",
                                    f"{function}: {name}[\"보조\"] must be a dict {{\"숫자\", \"설명\"}}, "
                                    f"got {validate.describe_en(number)}.")
            number = number["숫자"]
        if isinstance(number, (bool, np.bool_)) or not isinstance(number, numbers.Real):
            raise ArgumentError(f"{function}의 {name}의 숫자가 실수가 아닙니다: {validate.describe(number)}.",
                                f"{function}: the number of {name} is not a real number: {validate.describe_en(number)}.")
    digits = entry.get("자릿수", 3)
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 0:
        raise ArgumentError(f"{function}의 {name}의 \"자릿수\"는 0 이상의 정수여야 합니다. 받은 값: {digits!r}.",
                            f"{function}: \"자릿수\" (digits) of {name} must be an integer >= 0, got {digits!r}.")
    return entry


def _result(result, name: str, function: str) -> dict:
    """``summary(...)``의 결과: 비어 있지 않은 ``{키: 항목}`` 사전."""
    if not isinstance(result, dict) or not result:
        raise ArgumentError(f"{function}의 {name}은(는) summary(...)가 돌려준 사전이어야 합니다 (비어 있지 않게). "
                            f"받은 값: {validate.describe(result)}.",
                            f"{function}: {name} must be the non-empty dict returned by summary(...), "
                            f"got {validate.describe_en(result)}.")
    for key, entry in result.items():
        _entry(entry, f"{name}[{key!r}]", function)
    return result


def summary_table(columns: dict[str, dict], digits: int = 3) -> str:
    """``{열 이름: summary(...)}`` → 마크다운 표 (문제마다 한 줄, 모델·뽑는 방법마다 한 열).

    숫자는 줄마다 그 측정이 버틸 수 있는 자릿수(``"자릿수"``, 없으면 ``digits``)로 반올림합니다:
    PyTorch 버전이나 CPU가 달라도 같은 표가 나오도록."""
    if not isinstance(columns, dict) or not columns:
        raise ArgumentError("summary_table의 columns는 {열 이름: summary(...)} 사전이어야 하고 비어 있으면 안 됩니다. "
                            f"받은 값: {validate.describe(columns)}.",
                            "summary_table: columns must be a non-empty dict {column name: summary(...)}, "
                            f"got {validate.describe_en(columns)}.")
    digits = validate.integer(digits, "digits", minimum=0, kind=ArgumentError)
    keys = None
    for name, result in columns.items():
        if not isinstance(name, str):
            raise ArgumentError(f"summary_table의 열 이름은 문자열이어야 합니다. 받은 값: {name!r}.",
                                f"summary_table: column names must be strings, got {name!r}.")
        _result(result, f"columns[{name!r}]", "summary_table")
        if keys is None:
            keys = list(result)
        elif set(result) != set(keys):
            raise ArgumentError(f"summary_table의 columns[{name!r}]의 항목 {sorted(result)}이(가) 첫 열의 항목 {sorted(keys)}과(와) "
                                "다릅니다: 모든 열은 summary(...)의 결과여야 합니다.",
                                f"summary_table: columns[{name!r}] has entries {sorted(result)}, unlike the first "
                                f"column's {sorted(keys)}; every column must be a summary(...) result.")
    names = list(columns)
    first = columns[names[0]]
    lines = ["| 문제 | 대표 숫자 | " + " | ".join(names) + " | 좋은 방향 |",
             "|---|---|" + "---:|" * len(names) + "---|"]
    for key, entry in first.items():
        values = " | ".join(fmt({"자릿수": digits, **columns[n][key]}) for n in names)
        lines.append(f"| {entry['문제']} | {entry['설명']} | {values} | {entry['좋은 방향']} |")
    return "\n".join(lines)


def as_dict(result) -> dict:
    """측정 결과 데이터클래스 → 숫자만 담은 사전 (그림용 텐서는 뺌)."""
    if not is_dataclass(result) or isinstance(result, type):
        raise ArgumentError(f"as_dict는 측정 결과(class_areas, prior_coverage 등이 돌려준 것)를 받습니다. "
                            f"받은 값: {validate.describe(result)}.",
                            f"as_dict takes a measurement result (as returned by class_areas, prior_coverage, ...), "
                            f"got {validate.describe_en(result)}.")
    return {k: v for k, v in asdict(result).items() if not isinstance(v, torch.Tensor)}

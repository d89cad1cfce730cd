"""샘플링의 세 문제를 하나씩, 서로 독립인 숫자 하나와 그 불확실성(95 % 구간)으로 잽니다.

어떤 모델(오토인코더, VAE, 어떤 잠재 크기든)과 어떤 뽑기(상자, N(0, I), 맞춘 정규분포, 맞춘 혼합 정규분포)에도
같은 코드를 씁니다. 모델은 ``decode(z)``(이미지 [0, 1])와 ``encode(x)``만 있으면 됩니다.

- 문제 1 (임베딩 공간의 크기) — **총변동 거리**: 뽑은 점을 디코딩한 이미지를 분류기가 판정한 클래스 비율과
  "모든 클래스 10 %" 사이의 거리 ½·Σ|p − 0.1| (0이면 고르고, 1에 가까울수록 한 클래스만). 붓스트랩 구간.
- 문제 2 (포인트 선택의 불확실성) — **정규화 에너지 거리**: 뽑은 점들과 "데이터가 있는 곳"(테스트 이미지의
  임베딩) 두 묶음이 같은 분포에서 왔는지 재는 두 표본 거리 (Székely & Rizzo). 0이면 같은 분포, 1에 가까울수록
  다름. 잠재 공간의 눈금과 상관없음. VAE에서 "데이터가 있는 곳"은 **집계 사후 분포**: 이미지마다
  q(z|x) = N(μ, σ²)에서 뽑은 점 하나 (``latents_of``). 붓스트랩 구간.
- 문제 3 (빈 구멍 → 만든 옷의 품질) — **FID 방식 점수**: 판정 분류기의 마지막 은닉층(128개) 특성으로 잰
  프레셰 거리 (Heusel et al. 2017의 FID와 같은 식이지만 Inception이 아니라 이 강좌의 분류기 특성이므로 다른 논문의
  FID와 견줄 수 없음). 기준은 진짜 훈련 이미지. 붓스트랩 구간.
  덧붙여 **빈 곳의 비율**: 가장 가까운 훈련 임베딩까지 τ(훈련 임베딩끼리 최근접 거리의 95 백분위수)보다 먼
  점의 비율, 윌슨 구간. 완벽한 뽑기(테스트 임베딩)의 값이 기준선으로 함께 나옵니다.

모든 무작위는 시드로 고정하고 float64로 계산합니다. 찍는 자릿수는 측정마다 정해 두고(``DIGITS``)
반올림해서 찍으므로 스레드 수나 PyTorch 버전이 달라도 같은 글자가 나옵니다.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from sklearn.mixture import GaussianMixture
from torch import nn

from . import latent, validate
from .errors import ArgumentError, DegenerateDataError, ModelError, ShapeError

NUM_CLASSES = 10
SAMPLERS = ("box", "prior", "gaussian", "mixture")
SAMPLER_NAMES = {"box": "상자", "prior": "N(0, I)", "gaussian": "맞춘 정규분포", "mixture": "맞춘 혼합 정규분포 (10개)"}
MIXTURE_COMPONENTS = 10
DIGITS = {"tv": 2, "energy": 3, "fid": 0, "empty": 0}  # 찍는 소수 자릿수 (빈 곳은 % 단위)
MEASURE_NAMES = {"tv": "문제 1. 클래스 비율의 총변동 거리", "energy": "문제 2. 정규화 에너지 거리",
                 "fid": "문제 3. FID 방식 점수 (분류기 특성)", "empty": "문제 3. 빈 곳의 비율 (%)"}
Z95 = 1.959963984540054  # 표준정규분포의 97.5 백분위수
MAX_BOOT = 100_000  # 붓스트랩 반복 수의 상한
MAX_ENERGY_POINTS = 20_000  # 에너지 거리는 점 쌍의 거리 N×N을 모두 잼: 2만 개면 float64로 3.2 GB


# ---------------------------------------------------------------- 값과 구간


@dataclass(frozen=True)
class Estimate:
    """측정값 하나와 95 % 구간. ``str``은 측정이 버틸 수 있는 자릿수로 반올림한 글자."""

    value: float
    low: float
    high: float
    digits: int
    scale: float = 1.0  # 찍을 때 곱하는 수 (비율을 %로 찍을 때 100)

    def __str__(self) -> str:
        d, s = self.digits, self.scale
        return f"{self.value * s:.{d}f} [{self.low * s:.{d}f}, {self.high * s:.{d}f}]"

    def short(self) -> str:
        return f"{self.value * self.scale:.{self.digits}f}"


def _interval(value: float, boot: torch.Tensor, digits: int, scale: float = 1.0) -> Estimate:
    lo, hi = torch.quantile(boot.double(), torch.tensor([0.025, 0.975], dtype=torch.float64)).tolist()
    return Estimate(float(value), float(lo), float(hi), digits, scale)


def wilson(k: int, n: int, digits: int = DIGITS["empty"]) -> Estimate:
    """n번 중 k번인 비율과 윌슨 95 % 구간 (이항분포). ``n`` ≥ 1, 0 ≤ ``k`` ≤ ``n``인 정수."""
    n = validate.integer(n, "n", minimum=1, kind=ArgumentError)
    k = validate.integer(k, "k", minimum=0, kind=ArgumentError)
    if k > n:
        raise ArgumentError(f"wilson: k={k}가 n={n}보다 큽니다: n번 중 k번이므로 0 ≤ k ≤ n이어야 합니다.",
                            f"wilson: k={k} exceeds n={n}; k counts successes out of n, so 0 <= k <= n.")
    digits = _digits(digits)
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return Estimate(p, low, high, digits, 100.0)


# ---------------------------------------------------------------- 입력 확인


def _points(z, name: str, latents: int | None = None) -> torch.Tensor:
    """유한한 실수 점 (N, D), N ≥ 2, 모두 같은 점이 아님 → float64 CPU 텐서."""
    z = validate.latent_points(z, latents, name, min_points=2).detach().cpu().double()
    if z.ndim != 2 or len(z) < 2:
        raise DegenerateDataError(f"{name}은(는) 2개 이상의 점 (N, D)이어야 합니다. 받은 모양: {tuple(z.shape)}.",
                                  f"{name} must be at least two points shaped (N, D), got {tuple(z.shape)}.")
    if bool((z == z[0]).all()):
        raise DegenerateDataError(
            f"{name}의 점 {len(z)}개가 모두 같은 점입니다: 분포를 잴 수 없습니다. 인코더가 훈련되었는지, 같은 이미지만 넣지 않았는지 확인하세요.",
            f"All {len(z)} points of {name} are identical: no distribution to measure. Check that the encoder is trained "
            f"and the images differ.")
    return z


def _digits(digits) -> int:
    return validate.integer(digits, "digits", minimum=0, kind=ArgumentError)


def _n_boot(n_boot) -> int:
    return validate.count(n_boot, "n_boot", 1, MAX_BOOT, "붓스트랩 표본을 한 번에 메모리에 만들므로",
                         "the bootstrap samples are made in memory at once.")


def _batch_size(batch_size) -> int:
    return validate.integer(batch_size, "batch_size", minimum=1, kind=ArgumentError)


def _classifier(classifier, function: str):
    """판정 분류기: ``judge``가 있고, 층들이 ``classifier.model`` (``nn.Sequential``, 마지막은 ``nn.Linear``)."""
    validate.checked_model(classifier, function, needs=("judge",), name="classifier")
    body = getattr(classifier, "model", None)
    if not isinstance(body, nn.Sequential) or len(body) < 2 or not isinstance(body[-1], nn.Linear):
        raise ModelError(f"{function}의 classifier는 층들이 classifier.model (nn.Sequential, 마지막 층은 nn.Linear)에 있는 "
                         f"분류기여야 합니다 (aelib.classifier.ClothingClassifier). 받은 값: {type(classifier).__name__}.",
                         f"{function} needs a classifier whose layers are classifier.model (an nn.Sequential ending in "
                         f"nn.Linear), such as aelib.classifier.ClothingClassifier; got {type(classifier).__name__}.")
    return classifier


def _features_tensor(feats, name: str = "feats", size: int | None = None, min_rows: int = 2,
                     of=("기준", "the reference has")) -> torch.Tensor:
    """특성 (N, K), N ≥ ``min_rows``: 실수 텐서·배열 → float64 CPU 텐서 (NaN·무한대는 거절, ``size``가 있으면 K = size)."""
    if isinstance(feats, torch.Tensor) and (feats.is_floating_point() or feats.dtype in (torch.int32, torch.int64)):
        f = feats.detach().cpu()
    else:
        try:
            a = np.asarray(feats.detach().cpu() if isinstance(feats, torch.Tensor) else feats)
        except (TypeError, ValueError, RuntimeError):
            a = np.asarray([None])
        if a.dtype.kind not in "iuf":
            raise DegenerateDataError(f"{name}은(는) 실수 특성 (N, K)여야 합니다. 받은 값: {validate.describe(feats)}.",
                                      f"{name} must be real-valued features (N, K), got {validate.describe_en(feats)}.")
        f = torch.from_numpy(np.ascontiguousarray(a))
    f = f.double()
    if f.ndim != 2 or len(f) < min_rows or f.shape[1] < 1:
        raise DegenerateDataError(f"특성은 {min_rows}개 이상의 행 (N, K)이어야 합니다. 받은 모양: {tuple(f.shape)}.",
                                  f"Features must be at least {min_rows} row(s) (N, K), got {tuple(f.shape)}.")
    if not bool(torch.isfinite(f).all()):
        raise DegenerateDataError("특성에 NaN이나 무한대가 있습니다.", "Features contain NaN or infinity.")
    if size is not None and f.shape[1] != size:
        raise ShapeError(f"{name}의 특성 수 {f.shape[1]}개가 {of[0]}의 {size}개와 다릅니다: 같은 분류기의 특성"
                         "(features(...))을 주세요.",
                         f"{name} has {f.shape[1]} features but {of[1]} {size}: use features(...) of the "
                         "same classifier.")
    return f


def _feature_stats_arg(stats, name: str) -> "FeatureStats":
    if not isinstance(stats, FeatureStats):
        raise ArgumentError(f"{name}은(는) feature_stats(...)가 돌려준 FeatureStats여야 합니다. 받은 값: {type(stats).__name__}.",
                            f"{name} must be a FeatureStats from feature_stats(...), got {type(stats).__name__}.")
    k = np.shape(stats.mean)
    if len(k) != 1 or np.shape(stats.cov) != (k[0], k[0]):
        raise ShapeError(f"{name}의 평균 {np.shape(stats.mean)}과 공분산 {np.shape(stats.cov)}의 모양이 맞지 않습니다 "
                         "(K,)와 (K, K)여야 합니다.",
                         f"{name} has mean shape {np.shape(stats.mean)} and covariance shape {np.shape(stats.cov)}; "
                         "they must be (K,) and (K, K).")
    return stats


# ---------------------------------------------------------------- 잠재 공간의 "데이터"와 뽑기


@torch.no_grad()
def latents_of(model, images, seed: int = 0, batch_size: int = 1000) -> torch.Tensor:
    """이미지들의 잠재 점 (N, D) float32. 오토인코더는 ``encode(x)``. 분포를 내는 모델(VAE,
    ``encode_distribution``)은 이미지마다 q(z|x)에서 뽑은 점 하나 μ + σ·ε (시드 고정) — 집계 사후 분포의 표본."""
    seed = validate.seed(seed)
    batch_size = _batch_size(batch_size)
    if not hasattr(model, "encode_distribution"):
        return latent.embed(model, images, batch_size)
    validate.checked_model(model, "latents_of", needs=("encode",))
    if not callable(model.encode_distribution):
        raise ModelError("latents_of: model.encode_distribution은 호출할 수 있는 메서드여야 합니다 (VAE).",
                         "latents_of: model.encode_distribution must be a callable method (as in VAE).")
    validate.image_batch(images, "images", allow_empty=False)
    model.eval()
    g = torch.Generator().manual_seed(seed)
    out = []
    for i in range(0, len(images), batch_size):
        mean, log_var = model.encode_distribution(images[i : i + batch_size])
        eps = torch.randn(mean.shape, generator=g)
        out.append(mean + torch.exp(0.5 * log_var) * eps)
    return torch.cat(out)


def fit_mixture(z_train, components: int = MIXTURE_COMPONENTS, seed: int = 0) -> GaussianMixture:
    """훈련 임베딩에 정규분포 ``components``개의 혼합(scikit-learn ``GaussianMixture``, 공분산 전체)을 맞춥니다.
    1개면 평균과 공분산을 맞춘 정규분포 하나. 시작점은 k-means++ 시드(시드 고정, 스레드와 무관)."""
    z = _points(z_train, "z_train").numpy()
    components = validate.integer(components, "components", minimum=1, kind=ArgumentError)
    if components > len(z):
        raise ArgumentError(f"components({components})가 점의 수({len(z)})보다 많습니다. 더 적게 고르세요.",
                            f"components ({components}) exceeds the number of points ({len(z)}); choose fewer.")
    gm = GaussianMixture(n_components=components, covariance_type="full", init_params="k-means++",
                         random_state=validate.seed(seed), max_iter=200, reg_covar=1e-6)
    return gm.fit(z)


def _sampler(sampler) -> str:
    if not isinstance(sampler, str) or sampler not in SAMPLERS:
        raise ArgumentError(f"sampler는 {SAMPLERS} 중 하나여야 합니다. 받은 값: {sampler!r}.",
                            f"sampler must be one of {SAMPLERS}, got {sampler!r}.")
    return sampler


def _mixture(mixture, dims: int) -> GaussianMixture:
    """맞춘 혼합 정규분포: ``fit_mixture``가 돌려준 것 (공분산 전체), 차원은 임베딩과 같음."""
    if not isinstance(mixture, GaussianMixture) or not hasattr(mixture, "means_"):
        raise ArgumentError(f"mixture는 fit_mixture(...)가 돌려준 (맞춘) GaussianMixture여야 합니다. 받은 값: {type(mixture).__name__}.",
                            f"mixture must be a fitted GaussianMixture from fit_mixture(...), got {type(mixture).__name__}.")
    if mixture.covariance_type != "full" or mixture.means_.shape[1] != dims:
        raise ShapeError(f"mixture는 {mixture.means_.shape[1]}차원, 공분산 {mixture.covariance_type!r}입니다: "
                         f"{dims}차원 임베딩에 fit_mixture(...)로 맞춘 것(공분산 'full')을 주세요.",
                         f"mixture is {mixture.means_.shape[1]}-D with covariance {mixture.covariance_type!r}; pass one "
                         f"fitted by fit_mixture(...) on these {dims}-D embeddings (covariance 'full').")
    return mixture


def draw(z_train, sampler: str, n: int = 2000, seed: int = 0, mixture: GaussianMixture | None = None) -> torch.Tensor:
    """잠재 공간에서 ``n``개를 뽑습니다 (시드 고정, float32 (n, D)).

    - ``"box"``: 훈련 임베딩을 감싸는 상자에서 균일하게 (책의 방법)
    - ``"prior"``: N(0, I) (VAE의 방법)
    - ``"gaussian"``: 훈련 임베딩에 맞춘 정규분포 하나 (평균과 공분산)
    - ``"mixture"``: 훈련 임베딩에 맞춘 정규분포 10개의 혼합 (Ghosh et al. 2020의 사후 밀도 맞추기).
      ``mixture``에 이미 맞춘 것을 주면 다시 맞추지 않습니다.
    """
    n = validate.count(n, "n", 1, latent.MAX_POINTS, "점을 한 번에 모두 메모리에 만들므로",
                      "all points are made in memory at once.")
    seed = validate.seed(seed)
    _sampler(sampler)
    z = _points(z_train, "z_train")
    if mixture is not None and sampler in ("gaussian", "mixture"):
        _mixture(mixture, z.shape[1])
    g = torch.Generator().manual_seed(seed)
    if sampler == "box":
        lo, hi = z.min(0).values, z.max(0).values
        return (lo + (hi - lo) * torch.rand(n, z.shape[1], generator=g, dtype=torch.float64)).float()
    if sampler == "prior":
        return torch.randn(n, z.shape[1], generator=g)
    if mixture is None:
        mixture = fit_mixture(z, 1 if sampler == "gaussian" else MIXTURE_COMPONENTS, seed)
    # 성분을 고르고(다항분포) 그 성분의 정규분포에서 뽑기: μ_k + L_k ε (모두 torch 시드 하나로)
    weights = torch.from_numpy(mixture.weights_).double()
    comp = torch.multinomial(weights, n, replacement=True, generator=g)
    eps = torch.randn(n, z.shape[1], generator=g, dtype=torch.float64)
    means = torch.from_numpy(mixture.means_).double()
    chol = torch.linalg.cholesky(torch.from_numpy(mixture.covariances_).double())
    return (means[comp] + torch.einsum("nij,nj->ni", chol[comp], eps)).float()


# ---------------------------------------------------------------- 문제 1: 클래스 비율


def class_tv(predicted, seed: int = 0, n_boot: int = 1000) -> Estimate:
    """판정된 클래스 (N,)의 비율과 10 %씩 사이의 총변동 거리 ½·Σ|p − 0.1|, 붓스트랩(백분위수) 95 % 구간.

    표본이 유한하면 총변동 거리는 0보다 크게 나옵니다 (클래스가 정말 10 %씩이어도 2,000장이면 ≈ 0.03).
    그래서 진짜 이미지의 값(바닥)과 함께 읽습니다."""
    labels = torch.from_numpy(validate.class_labels(predicted, None, "predicted")).long()
    n = len(labels)
    if n < 2:
        raise ArgumentError(f"predicted는 2개 이상이어야 합니다. 받은 개수: {n}.", f"predicted needs at least 2 labels, got {n}.")
    n_boot = _n_boot(n_boot)
    g = torch.Generator().manual_seed(validate.seed(seed))

    def tv(lab):  # lab (B, n) → (B,)
        counts = torch.zeros(lab.shape[0], NUM_CLASSES, dtype=torch.float64).scatter_add_(
            1, lab, torch.ones(lab.shape, dtype=torch.float64))
        return 0.5 * (counts / n - 1.0 / NUM_CLASSES).abs().sum(1)

    boot = tv(labels[torch.randint(n, (n_boot, n), generator=g)])
    return _interval(float(tv(labels[None])[0]), boot, DIGITS["tv"])


def class_shares(predicted) -> list[float]:
    """판정된 클래스 (N,)의 비율, 클래스 0–9마다 하나 (합 1). 레이블이 하나도 없으면 ``ArgumentError``."""
    labels = torch.as_tensor(validate.class_labels(predicted, None, "predicted")).long()
    if len(labels) == 0:
        raise ArgumentError("class_shares의 predicted가 비어 있습니다 (0개): 비율을 낼 수 없습니다 (0으로 나누기).",
                            "class_shares: predicted is empty (0 labels), so there are no shares (division by zero).")
    return (torch.bincount(labels, minlength=NUM_CLASSES).double() / len(labels)).tolist()


# ---------------------------------------------------------------- 문제 2: 에너지 거리


def energy_distance(x, y, seed: int = 0, n_boot: int = 200) -> Estimate:
    """두 점 묶음 x (N, D), y (M, D)의 정규화 에너지 거리 H = D² / (2·E|X − Y|), 0 ≤ H ≤ 1.

    D² = 2·E|X − Y| − E|X − X'| − E|Y − Y'| (Székely & Rizzo의 에너지 거리, V-통계량). 두 묶음이 같은 분포에서
    왔으면 0에 가깝고(유한 표본이라 아주 작은 양수), 분포가 다를수록 1에 가까워집니다. 눈금을 바꿔도 같은 값이라
    모델끼리 견줄 수 있습니다. 구간은 두 묶음을 각각 다시 뽑는 붓스트랩(가중치 다항분포)."""
    x, y = _points(x, "x"), _points(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ArgumentError(f"x와 y의 차원이 다릅니다: {x.shape[1]}와 {y.shape[1]}.",
                            f"x and y have different dimensions: {x.shape[1]} and {y.shape[1]}.")
    for name, pts in (("x", x), ("y", y)):
        if len(pts) > MAX_ENERGY_POINTS:
            raise ArgumentError(f"energy_distance의 {name}에 점이 {len(pts):,}개 있습니다: 점 쌍의 거리를 모두 재므로 "
                                f"{MAX_ENERGY_POINTS:,}개 이하로 주세요 (예: {name}[:2000]).",
                                f"energy_distance: {name} holds {len(pts):,} points; all pairwise distances are "
                                f"computed, so use at most {MAX_ENERGY_POINTS:,} (e.g. {name}[:2000]).")
    n_boot = _n_boot(n_boot)
    seed = validate.seed(seed)
    dxy, dxx, dyy = torch.cdist(x, y), torch.cdist(x, x), torch.cdist(y, y)
    g = torch.Generator().manual_seed(validate.seed(seed))
    wx = torch.cat([torch.ones(1, len(x), dtype=torch.float64),
                    _boot_weights(len(x), n_boot, g)])
    wy = torch.cat([torch.ones(1, len(y), dtype=torch.float64),
                    _boot_weights(len(y), n_boot, g)])
    exy = ((wx @ dxy) * wy).sum(1) / (len(x) * len(y))
    exx = ((wx @ dxx) * wx).sum(1) / len(x) ** 2
    eyy = ((wy @ dyy) * wy).sum(1) / len(y) ** 2
    h = (2 * exy - exx - eyy) / (2 * exy)
    return _interval(float(h[0]), h[1:], DIGITS["energy"])


def _boot_weights(n: int, reps: int, g: torch.Generator) -> torch.Tensor:
    """붓스트랩 한 번 = n개를 복원 추출했을 때 점마다 뽑힌 횟수 (reps, n)."""
    idx = torch.randint(n, (reps, n), generator=g)
    return torch.zeros(reps, n, dtype=torch.float64).scatter_add_(1, idx, torch.ones(reps, n, dtype=torch.float64))


# ---------------------------------------------------------------- 문제 3: FID 방식 점수와 빈 곳


@torch.no_grad()
def features(classifier, images, batch_size: int = 1000) -> torch.Tensor:
    """판정 분류기의 마지막 은닉층(ReLU 뒤 128개) 특성 (N, 128) float64."""
    validate.image_batch(images, "images", allow_empty=False)
    _classifier(classifier, "features")
    batch_size = _batch_size(batch_size)
    classifier.eval()
    body = classifier.model[:-1]
    return torch.cat([body(images[i : i + batch_size]) for i in range(0, len(images), batch_size)]).double()


@dataclass
class FeatureStats:
    """특성의 평균과 공분산 (프레셰 거리의 한쪽)."""

    mean: np.ndarray
    cov: np.ndarray
    n: int


def predicted_from(classifier, feats) -> torch.Tensor:
    """특성 (N, 128)에서 분류기의 마지막 층으로 판정한 클래스 (N,) — ``classifier.judge``와 같은 답, 합성곱을 다시 돌리지 않음."""
    last = _classifier(classifier, "predicted_from").model[-1]
    _features_tensor(feats, "feats", last.in_features, min_rows=1,
                     of=("분류기 마지막 층", "the classifier's last layer takes"))
    with torch.no_grad():
        return classifier.model[-1](torch.as_tensor(feats).float()).argmax(1)


def feature_stats(feats) -> FeatureStats:
    """특성 (N, K), N ≥ 2의 평균과 공분산."""
    f = _features_tensor(feats)
    return FeatureStats(f.mean(0).numpy(), torch.cov(f.T).numpy(), len(f))


def frechet(a: FeatureStats, b: FeatureStats) -> float:
    """두 정규분포 근사 사이의 프레셰 거리 |μa − μb|² + tr(Σa + Σb − 2(ΣaΣb)^½).

    tr((ΣaΣb)^½)는 대칭 행렬 Σa^½ Σb Σa^½의 고윳값의 제곱근의 합과 같아서 대칭 고윳값 분해(``torch.linalg.eigh``)로
    계산합니다. ``scipy.linalg.sqrtm``으로 잰 값과 같고(테스트가 확인), 죽은 ReLU 특성 때문에 공분산이 특이
    행렬이어도 안정적이고 빠릅니다."""
    _feature_stats_arg(a, "a"), _feature_stats_arg(b, "b")
    if len(a.mean) != len(b.mean):
        raise ShapeError(f"frechet: a의 특성 수 {len(a.mean)}개와 b의 {len(b.mean)}개가 다릅니다: 같은 분류기의 특성으로 "
                         "잰 통계끼리 견주세요.",
                         f"frechet: a has {len(a.mean)} features and b has {len(b.mean)}; compare statistics of "
                         "features from the same classifier.")
    ca, cb = torch.from_numpy(a.cov), torch.from_numpy(b.cov)
    w, v = torch.linalg.eigh(ca)
    root_a = (v * w.clamp(min=0).sqrt()) @ v.T
    inner = torch.linalg.eigvalsh(root_a @ cb @ root_a)
    d = float(((torch.from_numpy(a.mean) - torch.from_numpy(b.mean)) ** 2).sum() + ca.trace() + cb.trace()
              - 2 * inner.clamp(min=0).sqrt().sum())
    return max(d, 0.0)


def fid_score(feats, reference: FeatureStats, seed: int = 0, n_boot: int = 30) -> Estimate:
    """특성 (N, 128)과 기준(진짜 훈련 이미지의 특성 통계) 사이의 FID 방식 점수, 붓스트랩 95 % 구간."""
    reference = _feature_stats_arg(reference, "reference")
    f = _features_tensor(feats, "feats", len(reference.mean))
    n_boot = _n_boot(n_boot)
    g = torch.Generator().manual_seed(validate.seed(seed))
    value = frechet(feature_stats(f), reference)
    boot = torch.tensor([frechet(feature_stats(f[torch.randint(len(f), (len(f),), generator=g)]), reference)
                         for _ in range(n_boot)], dtype=torch.float64)
    return _interval(value, boot, DIGITS["fid"])


def data_threshold(z_train, quantile: float = 0.95) -> float:
    """τ: 훈련 임베딩마다 가장 가까운 *다른* 훈련 임베딩까지의 거리의 ``quantile`` 백분위수."""
    quantile = validate.real(quantile, "quantile", positive=True, kind=ArgumentError)
    if quantile > 1:
        raise ArgumentError(f"quantile은(는) 0보다 크고 1 이하인 비율이어야 합니다 (95 백분위수는 0.95). 받은 값: {quantile:g}.",
                            f"quantile must be a fraction in (0, 1] (0.95 for the 95th percentile), got {quantile:g}.")
    z = _points(z_train, "z_train")
    nearest = []
    for i in range(0, len(z), 2048):
        d = torch.cdist(z[i : i + 2048], z)
        rows = torch.arange(len(d))
        d[rows, rows + i] = float("inf")
        nearest.append(d.min(1).values)
    tau = float(torch.quantile(torch.cat(nearest), quantile))
    if tau == 0.0:
        raise DegenerateDataError(
            f"data_threshold: z_train 점의 {quantile:.0%} 이상이 다른 점과 정확히 겹쳐 문턱 τ가 0입니다: \"데이터가 있는 곳\"을 "
            "정할 수 없습니다. 서로 다른 이미지의 임베딩을 주세요.",
            f"data_threshold: at least {quantile:.0%} of the points of z_train coincide exactly with another point, so "
            "the threshold τ is 0 and \"where the data is\" cannot be defined. Pass embeddings of different images.")
    return tau


def empty_share(points, z_train, tau: float) -> Estimate:
    """점 중 가장 가까운 훈련 임베딩까지 τ보다 먼 점의 비율 (%), 윌슨 95 % 구간. ``tau``: 0보다 큰 유한한 거리."""
    tau = validate.real(tau, "tau", positive=True, kind=ArgumentError)
    dist, _ = latent.nearest(_points(points, "points"), _points(z_train, "z_train"))
    return wilson(int((dist > tau).sum()), len(dist))


# ---------------------------------------------------------------- 한 모델의 기준과 뽑기마다의 측정


@dataclass
class Reference:
    """한 모델의 측정 기준: 훈련 임베딩(뽑기를 맞추는 곳, τ), 테스트 임베딩(문제 2의 "데이터가 있는 곳"),
    진짜 훈련 이미지의 특성 통계(문제 3의 기준), 그리고 완벽한 뽑기와 재구성의 값(바닥)."""

    z_train: torch.Tensor
    z_test: torch.Tensor
    tau: float
    real_stats: FeatureStats
    floor: dict  # 진짜 데이터: tv(진짜 테스트 이미지), energy(훈련 ↔ 테스트 임베딩), fid(진짜 테스트 이미지), empty(테스트 임베딩)
    recon: dict  # 테스트 이미지의 재구성: tv, fid
    mixtures: dict = field(default_factory=dict)


@torch.no_grad()
def reference(model, classifier, train_images, test_images, seed: int = 0, feature_images: int = 5000) -> Reference:
    """``train_images``(뽑기를 맞추고 τ를 잼; 앞 ``feature_images``장으로 특성 기준)와 ``test_images``(한 번도 훈련에
    쓰지 않은 이미지)로 기준을 만듭니다. 테스트 이미지는 뽑는 점의 수와 같은 수(예: 2,000장)를 주세요: 에너지 거리와
    FID는 표본 수에 따라 바닥이 달라지므로, 바닥도 같은 수로 잽니다."""
    seed = validate.seed(seed)
    feature_images = validate.integer(feature_images, "feature_images", minimum=2, kind=ArgumentError)
    validate.checked_model(model, "reference", needs=("encode", "reconstruct"))
    _classifier(classifier, "reference")
    for name, images in (("train_images", train_images), ("test_images", test_images)):
        validate.image_batch(images, name, allow_empty=False)
        if len(images) < 2:
            raise ShapeError(f"reference의 {name}에 이미지가 {len(images)}장 있습니다: 분포를 재려면 2장 이상 필요합니다.",
                             f"reference: {name} holds {len(images)} image(s); at least 2 are needed to measure a "
                             "distribution.")
    z_train = latents_of(model, train_images, seed)
    z_test = latents_of(model, test_images, seed + 1)
    tau = data_threshold(z_train)
    real_stats = feature_stats(features(classifier, train_images[:feature_images]))
    real_test = features(classifier, test_images)
    recon_feats = features(classifier, model.reconstruct(test_images))
    n = len(test_images)
    floor = {"tv": class_tv(predicted_from(classifier, real_test), seed),
             "energy": energy_distance(z_train[:n], z_test, seed),
             "fid": fid_score(real_test, real_stats, seed),
             "empty": empty_share(z_test, z_train, tau)}
    recon = {"tv": class_tv(predicted_from(classifier, recon_feats), seed),
             "fid": fid_score(recon_feats, real_stats, seed)}
    return Reference(z_train, z_test, tau, real_stats, floor, recon)


@dataclass
class Column:
    """뽑기 하나의 네 숫자와, 그림에 쓸 것들 (뽑은 점, 디코딩한 이미지, 판정된 클래스)."""

    tv: Estimate
    energy: Estimate
    fid: Estimate
    empty: Estimate
    points: torch.Tensor
    images: torch.Tensor
    predicted: torch.Tensor

    def estimates(self) -> dict:
        return {"tv": self.tv, "energy": self.energy, "fid": self.fid, "empty": self.empty}


@torch.no_grad()
def measure(model, classifier, ref: Reference, sampler: str, n: int = 2000, seed: int = 0) -> Column:
    """``ref``의 훈련 임베딩에 맞춘 ``sampler``로 ``n``개를 뽑아 네 숫자를 잽니다 (문제마다 독립인 측정)."""
    if not isinstance(ref, Reference):
        raise ArgumentError(f"measure의 ref는 reference(...)가 돌려준 Reference여야 합니다. 받은 값: {type(ref).__name__}.",
                            f"measure: ref must be the Reference returned by reference(...), got {type(ref).__name__}.")
    _sampler(sampler)
    n = validate.count(n, "n", 2, MAX_ENERGY_POINTS, "뽑은 점 사이의 거리를 모두 재므로 (에너지 거리)",
                      "all pairwise distances of the drawn points are computed (energy distance).")
    seed = validate.seed(seed)
    validate.checked_model(model, "measure", needs=("decode",))
    _classifier(classifier, "measure")
    if sampler in ("gaussian", "mixture") and sampler not in ref.mixtures:
        ref.mixtures[sampler] = fit_mixture(ref.z_train, 1 if sampler == "gaussian" else MIXTURE_COMPONENTS, seed)
    points = draw(ref.z_train, sampler, n, seed, ref.mixtures.get(sampler))
    images = latent.decode(model, points)
    feats = features(classifier, images)
    predicted = predicted_from(classifier, feats)
    return Column(tv=class_tv(predicted, seed), energy=energy_distance(points, ref.z_test, seed),
                  fid=fid_score(feats, ref.real_stats, seed),
                  empty=empty_share(points, ref.z_train, ref.tau), points=points, images=images, predicted=predicted)


def table(columns: dict[str, Column], floor: dict | None = None, recon: dict | None = None,
          intervals: bool = True) -> str:
    """``{열 이름: Column}`` (+ 바닥, 재구성) → 마크다운 표: 측정마다 한 줄, 뽑기마다 한 열.
    칸은 "값 [95 % 구간]" (``intervals=False``이면 값만)."""
    if not isinstance(columns, dict) or not columns or not all(isinstance(c, Column) for c in columns.values()):
        raise ArgumentError("table의 columns는 {열 이름: measure(...)가 돌려준 Column} 사전이어야 하고 비어 있으면 안 됩니다. "
                            f"받은 값: {validate.describe(columns)}.",
                            "table: columns must be a non-empty dict {column name: Column returned by measure(...)}, "
                            f"got {validate.describe_en(columns)}.")
    for name, extra_cells in (("floor", floor), ("recon", recon)):
        if extra_cells is not None and (not isinstance(extra_cells, dict) or not all(
                k in MEASURE_NAMES and isinstance(v, Estimate) for k, v in extra_cells.items())):
            raise ArgumentError(f"table의 {name}은(는) None이거나 {{측정 키: Estimate}} 사전이어야 합니다 "
                                f"(예: ref.{name}). 받은 값: {validate.describe(extra_cells)}.",
                                f"table: {name} must be None or a dict {{measure key: Estimate}} (e.g. ref.{name}), "
                                f"got {validate.describe_en(extra_cells)}.")
    if not isinstance(intervals, (bool, np.bool_)):
        raise ArgumentError(f"table의 intervals는 True 또는 False여야 합니다. 받은 값: {intervals!r}.",
                            f"table: intervals must be True or False, got {intervals!r}.")
    names = list(columns)
    extra = (["진짜 데이터 (바닥)"] if floor else []) + (["재구성"] if recon else [])
    lines = ["| 측정 | " + " | ".join(names + extra) + " |", "|---|" + "---:|" * (len(names) + len(extra))]
    for key, title in MEASURE_NAMES.items():
        cells = [columns[n].estimates()[key] for n in names]
        if floor:
            cells.append(floor.get(key))
        if recon:
            cells.append(recon.get(key))
        text = [("—" if e is None else (str(e) if intervals else e.short())) for e in cells]
        lines.append(f"| {title} | " + " | ".join(text) + " |")
    return "\n".join(lines)

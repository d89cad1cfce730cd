"""잠재 공간 다루기: 데이터셋 임베딩, 격자 만들기, 잠재 벡터 디코딩."""

import numpy as np
import torch
from torch.utils.data import TensorDataset

from . import validate
from .errors import ArgumentError

MAX_GRID = 1000  # 격자 한 변의 점 수 상한: 1000×1000 = 100만 점 (더 크면 메모리가 모자람)
MAX_POINTS = 10_000_000  # 한 번에 뽑는 점 수의 상한 (1,000만 개 × 잠재 크기 × 4바이트)


def _float64(v) -> torch.Tensor:
    """이미 확인한 실수 벡터 → float64 CPU 텐서 (비교용)."""
    t = v.detach().cpu() if isinstance(v, torch.Tensor) else torch.from_numpy(np.asarray(v))
    return t.double().reshape(-1)


def _box(lo, hi, size: int | None, function: str) -> int:
    """상자 [lo, hi]: 같은 길이의 유한한 실수, 축마다 lo < hi. 축의 수를 돌려줍니다 (값은 바꾸지 않음)."""
    lo_t = validate.finite_vector(lo, size, "lo")
    hi_t = validate.finite_vector(hi, len(lo_t), "hi")
    lo64, hi64 = _float64(lo), _float64(hi)  # float64로 비교 (float32로 줄이면 아주 좁은 상자가 폭 0이 됨)
    bad = (lo64 >= hi64).nonzero().flatten().tolist()
    if bad:
        axis = bad[0]
        raise ArgumentError(
            f"{function}의 상자가 비어 있습니다: 축 {axis}에서 lo={float(lo64[axis]):g} ≥ hi={float(hi64[axis]):g}. "
            "축마다 lo < hi여야 합니다 (lo와 hi를 바꿔 넣지 않았는지, 폭이 0이 아닌지 확인하세요; "
            "예: lo, hi = latent.bounds(z)).",
            f"{function}: the box is empty, on axis {axis} lo={float(lo64[axis]):g} >= hi={float(hi64[axis]):g}. "
            "Each axis needs lo < hi (check that lo and hi are not swapped and the width is not 0; "
            "e.g. lo, hi = latent.bounds(z)).")
    return len(lo_t)


@torch.no_grad()
def embed(model, dataset: TensorDataset | torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """이미지 전부를 인코더로 옮긴 잠재 벡터 (N, latents) float32.

    ``dataset``: ``TensorDataset``(이미지, 레이블) 또는 이미지 텐서 (N, 1, 32, 32), 실수, 값은 [0, 1].
    0–255 이미지·NaN·정수 자료형은 계산을 시작하기 전에 ``ImageValueError``로 거절합니다.
    """
    validate.checked_model(model, "embed", needs=("encode",))
    images = dataset.tensors[0] if isinstance(dataset, TensorDataset) else dataset
    validate.image_batch(images, "dataset", allow_empty=False)
    batch_size = validate.integer(batch_size, "batch_size", minimum=1, kind=ArgumentError)
    model.eval()
    return torch.cat([model.encode(images[i : i + batch_size]) for i in range(0, len(images), batch_size)])


@torch.no_grad()
def decode(model, z, batch_size: int = 1000) -> torch.Tensor:
    """잠재 벡터 (N, latents) → 이미지 (N, 1, 32, 32) float32, 값은 [0, 1].

    ``z``: 텐서·numpy 배열·숫자 목록, 잠재 크기는 ``model.latents``. float64와 정수는 float32로 바꿉니다.
    NaN·무한대, bool·문자열은 ``LatentValueError``, 다른 모양(점 하나 (latents,) 포함)은 ``ShapeError``.
    """
    validate.checked_model(model, "decode", needs=("decode",))
    z = validate.latent_points(z, getattr(model, "latents", None), "z")
    batch_size = validate.integer(batch_size, "batch_size", minimum=1, kind=ArgumentError)
    model.eval()
    return torch.cat([model.decode(z[i : i + batch_size]) for i in range(0, len(z), batch_size)])


def bounds(z: torch.Tensor, margin: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """임베딩 (N, d)를 감싸는 상자 (최솟값 (d,), 최댓값 (d,)), 각 변을 폭의 ``margin`` 비율만큼 넓힘."""
    z = validate.latent_points(z, None, "z")
    margin = validate.real(margin, "margin", minimum=0.0, kind=ArgumentError)  # 음수면 lo > hi가 될 수 있음
    lo, hi = z.min(dim=0).values, z.max(dim=0).values
    pad = (hi - lo) * margin
    return lo - pad, hi + pad


def grid(lo, hi, n: int) -> torch.Tensor:
    """2차원 상자 안의 n×n 격자점 (n*n, 2) float32. 행은 z₂가 큰 쪽(위)부터, 열은 z₁이 작은 쪽부터.

    ``lo``, ``hi``: 유한한 실수 2개씩 (텐서·목록), ``n``: 1 이상의 정수.
    """
    _box(lo, hi, 2, "grid")  # 값은 받은 그대로 씀 (float64도)
    n = validate.count(n, "n", 1, MAX_GRID, "격자는 n×n 점이라", "the grid holds n×n points.")
    z1 = torch.linspace(float(lo[0]), float(hi[0]), n)
    z2_top_first = torch.linspace(float(hi[1]), float(lo[1]), n)
    return _grid_from_axes(z1, z2_top_first)


def uniform_in_box(lo, hi, n: int, seed: int = 0) -> torch.Tensor:
    """상자 [lo, hi] 안에서 균일하게 뽑은 점 n개 (n, d) (lo·hi 텐서의 자료형). ``lo``, ``hi``: 같은 길이 d의 유한한 실수."""
    _box(lo, hi, None, "uniform_in_box")
    n = validate.count(n, "n", 0, MAX_POINTS, "점을 한 번에 모두 메모리에 만들므로", "all points are made in memory at once.")
    g = torch.Generator().manual_seed(validate.seed(seed))
    lo, hi = torch.as_tensor(lo), torch.as_tensor(hi)
    return lo + (hi - lo) * torch.rand(n, len(lo), generator=g)


def nearest(z_points: torch.Tensor, z_data: torch.Tensor, chunk: int = 4096) -> tuple[torch.Tensor, torch.Tensor]:
    """각 점 (M, d)에서 가장 가까운 임베딩 (N, d)까지의 (거리 (M,), 그 임베딩의 번호 (M,)). 거리는 float64.

    가장 가까운 임베딩을 고르는 일은 경계 위의 점에서 마지막 비트에 따라 결과가 바뀝니다. float32의
    ``cdist``는 ‖a‖² − 2a·b + ‖b‖²로 계산해 1e-5 정도의 오차가 나므로, float64로 계산해 PyTorch 버전이나
    CPU가 달라도 같은 레이블이 나오게 합니다 (남는 차이는 임베딩 자체의 마지막 비트뿐)."""
    z_data = validate.latent_points(z_data, None, "z_data")
    z_points = validate.latent_points(z_points, z_data.shape[1], "z_points")
    chunk = validate.integer(chunk, "chunk", minimum=1, kind=ArgumentError)
    z_data = z_data.double()
    dists, idx = [], []
    for i in range(0, len(z_points), chunk):
        d = torch.cdist(torch.as_tensor(z_points[i : i + chunk]).double(), z_data)
        m = d.min(dim=1)
        dists.append(m.values)
        idx.append(m.indices)
    return torch.cat(dists), torch.cat(idx)


def normal_grid(n: int, p_lo: float = 0.01, p_hi: float = 0.99, dims: int = 2) -> torch.Tensor:
    """표준정규분포의 분위수로 만든 2차원 n×n 격자 (n*n, 2): 축마다 확률 p_lo … p_hi를 고르게 나눈 값의
    분위수 Φ⁻¹(p). 칸마다 N(0, I)의 확률이 같아서, 원점 근처는 촘촘하고 바깥은 성깁니다.
    순서는 ``grid``와 같습니다 (행은 z₂가 큰 쪽부터, 열은 z₁이 작은 쪽부터)."""
    n = validate.count(n, "n", 1, MAX_GRID, "격자는 n×n 점이라", "the grid holds n×n points.")
    if dims != 2:
        raise ArgumentError(f"normal_grid는 2차원 격자만 만듭니다. 받은 값: dims={dims!r}. dims=2로 부르세요.",
                            f"normal_grid makes 2-D grids only, got dims={dims!r}. Call it with dims=2.")
    p_lo = validate.real(p_lo, "p_lo", kind=ArgumentError)
    p_hi = validate.real(p_hi, "p_hi", kind=ArgumentError)
    if not 0.0 < p_lo < p_hi < 1.0:
        raise ArgumentError(f"확률은 0 < p_lo < p_hi < 1이어야 합니다. 받은 값: p_lo={p_lo:g}, p_hi={p_hi:g}.",
                            f"The probabilities must satisfy 0 < p_lo < p_hi < 1, got p_lo={p_lo:g}, p_hi={p_hi:g}.")
    q = torch.distributions.Normal(0.0, 1.0).icdf(torch.linspace(p_lo, p_hi, n, dtype=torch.float64)).float()
    return _grid_from_axes(q, q.flip(0))


def _grid_from_axes(z1: torch.Tensor, z2_top_first: torch.Tensor) -> torch.Tensor:
    """z₁ 값(왼쪽부터)과 z₂ 값(위 행부터) → 격자점 (행 우선, ``grid``의 순서)."""
    rows, cols = torch.meshgrid(z2_top_first, z1, indexing="ij")
    return torch.stack([cols.flatten(), rows.flatten()], dim=1)

"""그릴 수 없는 잠재 공간 보기: 임베딩의 주성분 분석(PCA)과, 주성분 평면의 점을 디코딩하는 모델.

계산은 float64의 정확한 고윳값 분해로 합니다 (``torch.pca_lowrank``는 무작위 알고리즘이라 실행마다
마지막 자리가 조금씩 다름). 주성분의 부호는 성분마다 절댓값이 가장 큰 좌표가 양수가 되도록 정합니다.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from . import validate
from .errors import ArgumentError, ShapeError


@dataclass
class PCA:
    """평균 ``mean`` (D,), 주성분 ``components`` (k, D, 행마다 단위 벡터), 성분마다 분산과 설명하는 비율."""

    mean: torch.Tensor
    components: torch.Tensor
    variance: torch.Tensor  # (k,) 각 주성분 방향의 분산
    explained_ratio: torch.Tensor  # (k,) 전체 분산 중 그 방향이 설명하는 비율
    total_variance: float

    def project(self, z) -> torch.Tensor:
        """임베딩 (N, D) → 주성분 좌표 (N, k). NaN·무한대·다른 잠재 크기는 거절."""
        validate.latent_points(z, self.components.shape[1], "z")  # 확인만 (값은 받은 자료형 그대로 float64로)
        z = torch.as_tensor(z).double()
        return ((z - self.mean) @ self.components.T).float()

    def lift(self, coords) -> torch.Tensor:
        """주성분 좌표 (N, k) → 원래 공간의 점 (N, D): 평균 + Σ 좌표 × 주성분 (나머지 방향은 평균 그대로)."""
        validate.latent_points(coords, self.components.shape[0], "coords")  # 확인만
        coords = torch.as_tensor(coords).double()
        return (self.mean + coords @ self.components).float()


def fit_pca(z, k: int = 2) -> PCA:
    """임베딩 ``z`` (N, D)의 주성분 ``k``개. NaN·무한대가 있거나 모두 같은 점(분산 0)이면 ``LatentValueError``."""
    if not isinstance(z, torch.Tensor):
        try:
            z = torch.as_tensor(z)
        except (TypeError, ValueError, RuntimeError):
            validate.spread_points(z, "fit_pca")  # 문자열·길이가 다른 목록 등: 알아듣게 거절
            raise
    if z.dtype == torch.bool or z.is_complex():
        validate.spread_points(z, "fit_pca")  # bool·복소수는 좌표가 아님
    z = z.detach().cpu()
    if z.ndim == 2 and len(z) >= 2 and z.shape[1] >= 1:
        z = validate.spread_points(z, "fit_pca")
    z = z.double()
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or z.ndim != 2 or len(z) < 2 or not 1 <= k <= z.shape[1]:
        raise ShapeError(
            f"PCA에는 (N, D) 임베딩(N ≥ 2)과 1 ≤ k ≤ D가 필요합니다. 받은 모양: {tuple(z.shape)}, k={k}.",
            f"PCA needs embeddings shaped (N, D) with N >= 2 and 1 <= k <= D, got {tuple(z.shape)}, k={k}.",
        )
    k = int(k)
    mean = z.mean(dim=0)
    cov = torch.cov((z - mean).T).reshape(z.shape[1], z.shape[1])
    values, vectors = torch.linalg.eigh(cov)  # 오름차순
    order = torch.argsort(values, descending=True)[:k]
    values, vectors = values[order], vectors[:, order].T
    signs = torch.sign(vectors.gather(1, vectors.abs().argmax(dim=1, keepdim=True)))
    vectors = vectors * signs
    total = float(torch.diagonal(cov).sum())
    return PCA(mean=mean, components=vectors, variance=values, explained_ratio=values / total,
               total_variance=total)


class _PlaneImages(nn.Module):
    """주성분 좌표 (N, k) → [0, 1] 이미지: 평면을 원래 공간으로 올리는 선형 층(가중치 = 주성분, 편향 = 평균)과
    모델의 디코더. ``PlaneDecoder.decode``와 같은 계산을 float32 층으로만 해서 ONNX로 내보낼 수 있습니다."""

    def __init__(self, decoder: nn.Module, pca: PCA):
        super().__init__()
        k, dims = pca.components.shape
        self.lift = nn.Linear(k, dims)
        with torch.no_grad():
            self.lift.weight.copy_(pca.components.T.float())
            self.lift.bias.copy_(pca.mean.float())
        self.decoder = decoder
        self.latents = k

    def images(self, coords: torch.Tensor) -> torch.Tensor:
        return self.decoder.images(self.lift(coords))


class PlaneDecoder(nn.Module):
    """주성분 평면의 2차원 좌표를 원래 잠재 공간으로 올려 ``model``의 디코더에 넣는 모델.

    ``decode(좌표)``만 있으므로 2차원 모델을 받는 도구(예: ``aelib.explorer.LatentExplorer``)에
    그대로 넘길 수 있습니다. 평면 밖의 방향은 모두 임베딩의 평균에 둡니다.
    """

    def __init__(self, model: nn.Module, pca: PCA):
        validate.checked_model(model, "PlaneDecoder", needs=("decode", "decoder"))
        if not isinstance(pca, PCA):
            raise ArgumentError(f"PlaneDecoder의 pca는 fit_pca(...)가 돌려준 PCA여야 합니다. 받은 값: {type(pca).__name__}.",
                                f"PlaneDecoder's pca must be a PCA from fit_pca(...), got {type(pca).__name__}.")
        if pca.components.shape[1] != getattr(model, "latents", pca.components.shape[1]):
            raise ShapeError(f"PCA는 {pca.components.shape[1]}차원 임베딩에서 구했는데 모델의 잠재 크기는 {model.latents}입니다: "
                             "같은 모델의 임베딩으로 fit_pca를 부르세요.",
                             f"The PCA was fitted on {pca.components.shape[1]}-D embeddings but the model has "
                             f"{model.latents} latents: fit it on this model's embeddings.")
        super().__init__()
        self.model = model
        self.pca = pca
        self.latents = pca.components.shape[0]
        self.decoder = _PlaneImages(model.decoder, pca)  # 탐색기가 브라우저로 보낼 ONNX 디코더의 몸통

    def decode(self, coords: torch.Tensor) -> torch.Tensor:
        return self.model.decode(self.pca.lift(coords))

"""변이형 오토인코더(VAE): 오토인코더와 같은 합성곱 몸통, 점 대신 분포를 내는 인코더.

인코더는 입력마다 정규분포 N(평균, 분산)을 내고, 재매개변수화 트릭으로 그 분포에서 z를 뽑아 디코더에
넘깁니다. 손실 = β · 재구성 BCE(픽셀 평균) + KL(N(평균, 분산) ‖ N(0, I)). 책: β = 500, Adam 5e-4, 5 에포크.
"""

import torch
import torch.nn.functional as F
from torch import nn

from . import validate
from .errors import ArgumentError, LatentValueError, ShapeError
from .model import Decoder, Encoder, check_latent_size, check_not_empty


class VAE(nn.Module):
    """``encoder``는 노트의 인코더에서 마지막 Linear만 2배 넓힌 것(평균 ``latents``개 + 로그 분산 ``latents``개),
    ``decoder``는 오토인코더의 디코더 그대로입니다."""

    def __init__(self, latents: int = 2, beta: float = 500.0):
        super().__init__()
        self.latents = latents = check_latent_size(latents, type(self).__name__)
        self.beta = check_beta(beta, type(self).__name__)
        self.encoder = Encoder(2 * latents)  # Linear(2048 → 평균, 로그 분산)
        self.decoder = Decoder(latents)

    def encode_distribution(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """이미지 (N, 1, 32, 32) 실수 [0, 1] → (평균, 로그 분산), 각각 (N, latents) float32.

        0–255 이미지·NaN·정수 자료형은 ``ImageValueError``, 다른 모양은 ``ShapeError``."""
        mean, log_var = self.encoder(x).chunk(2, dim=1)
        return mean, log_var

    @staticmethod
    def reparameterize(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
        """재매개변수화 트릭: z = 평균 + 표준편차 · ε, ε ~ N(0, I). 잡음 밖의 경로로 기울기가 흐릅니다."""
        check_distribution(mean, log_var, "reparameterize")
        return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """재구성 로짓, 평균, 로그 분산 (z는 분포에서 새로 뽑음)."""
        mean, log_var = self.encode_distribution(x)
        return self.decoder(self.reparameterize(mean, log_var)), mean, log_var

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """이미지 (N, 1, 32, 32) [0, 1] → 잠재 공간의 위치 (N, latents): 분포의 평균 (잡음 없이, 그림과 측정용)."""
        return self.encode_distribution(x)[0]

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """잠재 벡터 (N, latents) → [0, 1] 이미지 (N, 1, 32, 32) (오토인코더와 같은 디코더).

        텐서·numpy·목록을 받고 float64·정수는 float32로 바꿉니다. NaN·무한대는 ``LatentValueError``."""
        return self.decoder.images(z)

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """평균 위치를 디코딩한 재구성."""
        return self.decode(self.encode(x))

    def losses(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """전체 손실(최적화할 값), β·재구성 손실, KL 발산 — 모두 이미지당 평균.

        ``x``는 입력이자 BCE의 정답이라 (N, 1, 32, 32) [0, 1] 실수여야 합니다 (0–255 이미지는 ``ImageValueError``,
        빈 배치는 평균이 NaN이라 ``ShapeError``)."""
        check_not_empty(x, f"{type(self).__name__}.losses")
        logits, mean, log_var = self(x)
        bce = F.binary_cross_entropy_with_logits(logits.float(), x, reduction="none").mean(dim=(1, 2, 3))
        reconstruction = self.beta * bce.mean()
        kl = kl_to_standard_normal(mean, log_var).mean()
        return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}


def kl_to_standard_normal(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """입력마다 KL(N(평균, 분산) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), 모양 (N,).

    ``mean``, ``log_var``: 같은 모양 (N, latents)의 실수 텐서 (아니면 ``ShapeError``·``LatentValueError``)."""
    check_distribution(mean, log_var, "kl_to_standard_normal")
    return (-0.5 * (1 + log_var - mean.square() - log_var.exp())).sum(dim=1)


def check_beta(beta, model: str) -> float:
    """재구성 손실의 무게 β: 0보다 큰 유한한 실수 (0 이하면 이미지를 배우지 않고, NaN이면 손실이 NaN)."""
    try:
        return validate.real(beta, "beta", positive=True, kind=ArgumentError)
    except ArgumentError as err:
        raise ArgumentError(f"{model}: {err.korean} β는 재구성 손실의 무게입니다 (책: {model}(beta=500.0)).",
                            f"{model}: {err.english} beta weighs the reconstruction loss "
                            f"(the book uses {model}(beta=500.0)).") from None


def check_distribution(mean, log_var, function: str) -> None:
    """정규분포의 (평균, 로그 분산): 둘 다 실수 텐서, 같은 모양 (N, latents). 값은 보지 않음 (훈련 스텝마다 불림)."""
    for name, t in (("mean", mean), ("log_var", log_var)):
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            validate.fail(LatentValueError,
                          f"{function}의 {name}은(는) 실수 텐서여야 합니다. 받은 값: {validate.describe(t)}. "
                          f"torch.as_tensor({name}, dtype=torch.float32)로 바꾸세요.",
                          f"{function}: {name} must be a real-valued tensor, got {validate.describe_en(t)}. "
                          f"Convert it with torch.as_tensor({name}, dtype=torch.float32).")
        if t.ndim != 2:
            raise ShapeError(f"{function}의 {name}은(는) (N, latents) 모양이어야 합니다 (입력마다 한 줄). "
                             f"받은 모양: {tuple(t.shape)}.",
                             f"{function}: {name} must be shaped (N, latents), one row per input; "
                             f"got shape {tuple(t.shape)}.")
    if mean.shape != log_var.shape:
        raise ShapeError(f"{function}의 mean과 log_var의 모양이 다릅니다: {tuple(mean.shape)} vs {tuple(log_var.shape)}. "
                         "둘은 같은 분포의 평균과 로그 분산이라 모양이 같아야 합니다 (VAE.encode_distribution의 결과).",
                         f"{function}: mean and log_var differ in shape: {tuple(mean.shape)} vs "
                         f"{tuple(log_var.shape)}. "
                         "They are the mean and log-variance of one distribution and must match "
                         "(as returned by VAE.encode_distribution).")

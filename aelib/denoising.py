"""잡음 제거 오토인코더: 노트의 인코더·디코더 그대로, 손상된 입력에서 깨끗한 원본을 재구성하도록 훈련.

훈련할 때마다 이미지마다 잡음의 표준편차 σ를 0에서 ``max_sigma`` 사이에서 고르게 뽑아 가우스 잡음을
더하고, 손실은 재구성과 **깨끗한** 원본 사이의 이진 크로스 엔트로피입니다. 인코딩·디코딩·재구성은
오토인코더와 똑같습니다 (손상은 손실 안에서만 일어남).
"""

import torch
import torch.nn.functional as F

from .corruption import gaussian_noise
from .model import Autoencoder


class DenoisingAutoencoder(Autoencoder):
    def __init__(self, latents: int = 32, max_sigma: float = 0.5):
        super().__init__(latents)
        self.max_sigma = max_sigma

    def losses(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """잡음 낀 입력 → 재구성, 깨끗한 ``x``와의 픽셀 평균 BCE (잡음은 torch 전역 난수에서)."""
        sigma = torch.rand(len(x)) * self.max_sigma
        logits = self(gaussian_noise(x, sigma))
        return {"bce": F.binary_cross_entropy_with_logits(logits.float(), x)}

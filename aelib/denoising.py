"""잡음 제거 오토인코더: 노트의 인코더·디코더 그대로, 손상된 입력에서 깨끗한 원본을 재구성하도록 훈련.

훈련할 때마다 이미지마다 잡음의 표준편차 σ를 0에서 ``max_sigma`` 사이에서 고르게 뽑아 가우스 잡음을
더하고, 손실은 재구성과 **깨끗한** 원본 사이의 이진 크로스 엔트로피입니다. 인코딩·디코딩·재구성은
오토인코더와 똑같습니다 (손상은 손실 안에서만 일어남).
"""

import torch
import torch.nn.functional as F

from . import validate
from .corruption import gaussian_noise
from .errors import ArgumentError
from .model import Autoencoder, check_images, check_not_empty

MAX_SIGMA = 10.0  # aelib.corruption.gaussian_noise가 받는 가장 큰 σ


class DenoisingAutoencoder(Autoencoder):
    def __init__(self, latents: int = 32, max_sigma: float = 0.5):
        super().__init__(latents)
        self.max_sigma = check_max_sigma(max_sigma)

    def losses(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """잡음 낀 입력 → 재구성, 깨끗한 ``x``와의 픽셀 평균 BCE (잡음은 torch 전역 난수에서).

        ``x``: (N, 1, 32, 32) [0, 1] 실수, N ≥ 1 (모양·빈 배치는 ``ShapeError``, 값·자료형은 ``ImageValueError``)."""
        check_not_empty(x, f"{type(self).__name__}.losses")
        check_images(x, self.encoder.model[0].weight.dtype)  # 잡음을 더하기 전에 (정답도 x)
        sigma = torch.rand(len(x)) * self.max_sigma
        logits = self(gaussian_noise(x, sigma))
        return {"bce": F.binary_cross_entropy_with_logits(logits.float(), x)}


def check_max_sigma(max_sigma) -> float:
    """가장 센 잡음의 표준편차: 0 이상 ``MAX_SIGMA`` 이하의 유한한 실수 (σ는 [0, 1] 눈금의 값)."""
    try:
        max_sigma = validate.real(max_sigma, "max_sigma", minimum=0.0, kind=ArgumentError)
        if max_sigma > MAX_SIGMA:
            raise ArgumentError(f"max_sigma은(는) {MAX_SIGMA:g} 이하여야 합니다. 받은 값: {max_sigma:g}.",
                                f"max_sigma must be at most {MAX_SIGMA:g}, got {max_sigma:g}.")
    except ArgumentError as err:
        raise ArgumentError(f"DenoisingAutoencoder: {err.korean} max_sigma는 [0, 1] 이미지에 더할 잡음의 가장 큰 "
                            "표준편차입니다 (예: max_sigma=0.5).",
                            f"DenoisingAutoencoder: {err.english} max_sigma is the largest standard deviation of the "
                            "noise added to [0, 1] images (e.g. max_sigma=0.5).") from None
    return max_sigma

"""디코더가 만든 이미지를 "판정"하는 작은 의류 분류기 (샘플링 문제를 측정할 때 씀)."""

import torch
import torch.nn.functional as F
from torch import nn

from . import validate
from .errors import ArgumentError
from .model import check_images


class ClothingClassifier(nn.Module):
    """32×32 이미지 → 10개 클래스 로짓. 합성곱 두 층 + 완전 연결 두 층."""

    latents = None  # 체크포인트 메타데이터용 (잠재 공간 없음)

    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32→16
            nn.Conv2d(32, 64, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 16→8
            nn.Flatten(),
            nn.Linear(64 * 8 * 8, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x)
        return self.model(x)

    def losses(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """크로스 엔트로피(최적화할 값)와 정확도. ``x``: (N, 1, 32, 32) [0, 1], ``labels``: (N,) 정수 0–9."""
        logits = self(x)
        return {
            "cross_entropy": F.cross_entropy(logits.float(), labels),
            "accuracy": (logits.argmax(1) == labels).float().mean(),
        }

    @torch.no_grad()
    def judge(self, images: torch.Tensor, batch_size: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
        """이미지 (N, 1, 32, 32) 실수 [0, 1]마다 (예측 클래스 (N,) 0–9, 그 확률=확신도 (N,))를 돌려줍니다."""
        validate.image_batch(images, "images", allow_empty=False)
        batch_size = validate.integer(batch_size, "batch_size", minimum=1, kind=ArgumentError)
        self.eval()
        probs = torch.cat([F.softmax(self(images[i : i + batch_size]), dim=1) for i in range(0, len(images), batch_size)])
        confidence, label = probs.max(dim=1)
        return label, confidence

"""디코더가 만든 이미지를 "판정"하는 작은 의류 분류기 (샘플링 문제를 측정할 때 씀)."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import validate
from .errors import ArgumentError, LabelError, ShapeError
from .model import check_images, check_not_empty


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
        check_images(x, self.model[0].weight.dtype)
        return self.model(x)

    def losses(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """크로스 엔트로피(최적화할 값)와 정확도. ``x``: (N, 1, 32, 32) [0, 1], ``labels``: (N,) 정수 0–9.

        빈 배치는 ``ShapeError``, 없거나 틀린 레이블(실수, 0–9 밖, 개수·모양이 다름)은 ``LabelError``·``ShapeError``.
        int32 등 다른 정수 자료형의 레이블은 int64로 바꿔 씁니다."""
        check_not_empty(x, "ClothingClassifier.losses")
        logits = self(x)  # 이미지의 모양·값은 순전파가 확인
        labels = check_labels(labels, len(x), x.device)
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


def check_labels(labels, n: int, device: torch.device) -> torch.Tensor:
    """``losses``의 레이블: 이미지마다 하나인 (N,) 정수 0–9 → 같은 장치의 int64 텐서 (int64 텐서는 그대로)."""
    if labels is None:
        raise LabelError("ClothingClassifier.losses에는 레이블이 필요합니다: losses(x, labels), labels는 이미지마다 "
                         "표 3-3의 번호(0–9) 하나인 (N,) 정수 텐서입니다.",
                         "ClothingClassifier.losses needs labels: losses(x, labels), where labels is an (N,) integer "
                         "tensor holding one Table 3-3 class number (0–9) per image.")
    if isinstance(labels, torch.Tensor) and labels.ndim != 1:
        raise ShapeError(f"ClothingClassifier.losses의 labels는 (N,) 모양이어야 합니다 (이미지마다 번호 하나). "
                         f"받은 모양: {tuple(labels.shape)}. labels.reshape(-1)로 펴세요.",
                         f"ClothingClassifier.losses: labels must be shaped (N,), one class number per image; "
                         f"got shape {tuple(labels.shape)}. Flatten them with labels.reshape(-1).")
    count = len(labels) if isinstance(labels, (torch.Tensor, np.ndarray, list, tuple)) and np.ndim(labels) else None
    if count is not None and count != n:
        raise ShapeError(f"ClothingClassifier.losses: 레이블 수({count})와 이미지 수({n})가 다릅니다. "
                         "이미지마다 레이블이 하나씩 필요합니다.",
                         f"ClothingClassifier.losses: the number of labels ({count}) differs from the number of "
                         f"images ({n}); every image needs one label.")
    checked = validate.class_labels(labels, n, "labels")  # 자료형, 0–9 (int64 numpy)
    is_float = labels.is_floating_point() if isinstance(labels, torch.Tensor) else np.asarray(labels).dtype.kind == "f"
    if is_float:  # 크로스 엔트로피에서 실수 정답은 확률 분포 (N, 10)를 뜻함: 번호는 정수로
        raise LabelError(f"ClothingClassifier.losses의 labels가 실수입니다 ({validate.describe(labels)}): "
                         "레이블은 표 3-3의 정수 번호입니다. labels.long()으로 바꾸세요.",
                         f"ClothingClassifier.losses: labels are floating point ({validate.describe_en(labels)}); "
                         "labels are integer Table 3-3 class numbers. Convert them with labels.long().")
    if isinstance(labels, torch.Tensor):
        return labels.to(device=device, dtype=torch.int64)  # int64이고 같은 장치면 그대로
    return torch.from_numpy(checked).to(device)

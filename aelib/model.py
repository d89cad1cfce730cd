"""노트의 인코더·디코더를 그대로 옮긴 오토인코더.

인코더 = 패션스타 "나": 옷(이미지)을 보고 무한 옷장(잠재 공간)의 위치를 알려 줍니다.
디코더 = 스타일리스트 "브라이언": 옷장의 위치를 받아 그 자리의 옷을 새로 만듭니다.
"""

import torch
import torch.nn.functional as F
from torch import nn

from . import validate
from .errors import ShapeError

IMAGE_SHAPE = (1, 32, 32)


class Encoder(nn.Module):  # 인코더 클래스 정의
    def __init__(self, latents: int = 2):
        super().__init__()
        self.latents = latents  # 임베딩 크기: 2
        self.model = nn.Sequential(  # 순차적 모델 정의
            nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3, stride=2, padding=1),  # 첫 번째 conv2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=32, out_channels=64, kernel_size=3, stride=2, padding=1),  # 두 번째 conv2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=64, out_channels=128, kernel_size=3, stride=2, padding=1),  # 세 번째 conv2d 레이어
            nn.ReLU(),
            nn.Flatten(),  # 평탄화
            nn.Linear(in_features=2048, out_features=self.latents),  # fully connected layer
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # 순전파 함수 정의
        """이미지 (N, 1, 32, 32) 실수 [0, 1] → 잠재 벡터 (N, latents)."""
        check_images(x)
        return self.model(x)  # 입력 x를 모델에 전달하여 출력 반환


class Decoder(nn.Module):  # 디코더 클래스 정의
    def __init__(self, latents: int = 2):
        super().__init__()
        self.latents = latents  # 임베딩 크기: 2
        self.fc = nn.Linear(self.latents, 2048)  # fully connected layer
        self.model = nn.Sequential(  # 순차적 모델 정의
            nn.ConvTranspose2d(in_channels=128, out_channels=128,
                kernel_size=3, stride=2, padding=1, output_padding=1),  # 첫 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.ConvTranspose2d(in_channels=128, out_channels=64,
                kernel_size=3, stride=2, padding=1, output_padding=1),  # 두 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.ConvTranspose2d(in_channels=64, out_channels=32,
                kernel_size=3, stride=2, padding=1, output_padding=1),  # 세 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=32, out_channels=1, kernel_size=3, stride=1, padding=1),  # 출력 conv2d 레이어
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # 순전파 함수 정의: 로짓을 돌려줌
        """잠재 벡터 (N, latents) → 로짓 (N, 1, 32, 32). float64·정수 텐서는 float32로 바꿔 씁니다."""
        z = check_latents(z, self.latents)
        x = self.fc(z)  # fully connected layer 통과
        x = x.reshape(x.shape[0], 128, 4, 4)  # 텐서 형태 재조정
        x = self.model(x)  # 모델에 입력 x 전달하여 출력 반환
        return x  # 최종 출력 반환 (시그모이드 전의 로짓)

    def images(self, z) -> torch.Tensor:
        """잠재 벡터 (N, latents) → [0, 1] 범위의 이미지 (N, 1, 32, 32) float32 (로짓에 시그모이드).

        ``z``: 텐서·numpy 배열·숫자 목록; float64와 정수는 float32로 바꿈. NaN·무한대는 ``LatentValueError``.
        """
        z = validate.latent_points(z, self.latents, "z")
        return torch.sigmoid(self(z.to(self.fc.weight.device)))


class Autoencoder(nn.Module):
    """인코더와 디코더를 잇는 오토인코더. ``forward``는 재구성의 로짓을 돌려줍니다."""

    def __init__(self, latents: int = 2):
        super().__init__()
        self.latents = latents
        self.encoder = Encoder(latents)
        self.decoder = Decoder(latents)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """이미지 (N, 1, 32, 32) 실수 [0, 1] → 잠재 벡터 (N, latents) float32.

        0–255 이미지, NaN·무한대, 정수 자료형은 ``ImageValueError``, 다른 모양은 ``ShapeError``.
        """
        return self.encoder(x)

    def decode(self, z) -> torch.Tensor:
        """잠재 벡터 (N, latents) → 이미지 (N, 1, 32, 32) float32, 값은 [0, 1].

        ``z``: 텐서·numpy 배열·숫자 목록 (float64와 정수는 float32로 바꿈). NaN·무한대는 ``LatentValueError``.
        """
        return self.decoder.images(z)

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """이미지 (N, 1, 32, 32) [0, 1] → 인코딩 → 디코딩한 이미지 (N, 1, 32, 32), 값은 [0, 1]."""
        return self.decode(self.encode(x))

    def losses(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """훈련 손실: 픽셀당 평균 이진 크로스 엔트로피 (레이블은 쓰지 않음). 첫 항목이 최적화할 값.

        ``x``는 입력이자 BCE의 정답이라 [0, 1] 실수여야 합니다 (0–255 이미지는 ``ImageValueError``).
        """
        logits = self(x)
        return {"bce": F.binary_cross_entropy_with_logits(logits.float(), x)}


def check_images(x: torch.Tensor) -> torch.Tensor:
    """이미지 배치의 약속을 확인합니다: 텐서 (N, 1, 32, 32), 실수 자료형, 값은 유한한 [0, 1].

    모양이 틀리면 ``ShapeError``, 자료형·값(0–255 이미지, NaN, 정수 자료형)이 틀리면 ``ImageValueError``.
    """
    return validate.image_batch(x, "x")


def check_latents(z: torch.Tensor, latents: int) -> torch.Tensor:
    """잠재 벡터 배치가 (N, latents)인지 확인하고, float64·정수 텐서는 float32로 바꿔 돌려줍니다.

    값(NaN 등)은 보지 않습니다 (훈련 중에도 불리는 순전파용). 공개 도우미는 ``validate.latent_points``를 씁니다.
    """
    if not isinstance(z, torch.Tensor):
        return validate.latent_points(z, latents, "z")
    if z.ndim != 2 or z.shape[1] != latents:
        raise ShapeError(
            f"디코더 입력은 (N, {latents}) 잠재 벡터 배치여야 합니다. 받은 모양: {tuple(z.shape)}. "
            "점 하나라면 z.reshape(1, -1)처럼 배치 차원을 붙이세요.",
            f"The decoder expects latent vectors shaped (N, {latents}), got {tuple(z.shape)}. "
            "For a single point add the batch dimension, e.g. z.reshape(1, -1).",
        )
    if z.dtype in (torch.float32, torch.float16, torch.bfloat16):
        return z
    if z.dtype == torch.bool or z.is_complex():
        return validate.latent_points(z, latents, "z")  # 알아듣는 오류를 냄
    return z.float()  # float64, 정수: 값 그대로 float32


def summary(model: nn.Module, input_size):
    """케라스의 ``model.summary()``처럼 층마다 출력 모양과 파라미터 수를 표로 (``torchinfo.summary``).

    곱셈-덧셈 수는 단위 없이 개수 그대로 씁니다 (torchinfo 1.8은 파이썬 3.11 이상에서 단위를
    ``Units.MEGABYTES``처럼 열거형 이름으로 찍기 때문입니다).
    """
    from torchinfo import summary as torchinfo_summary
    from torchinfo.enums import Units

    if not isinstance(model, nn.Module):
        validate.fail(validate.ModelError, f"summary에는 torch.nn.Module 모델이 필요합니다. 받은 값: {type(model).__name__}.",
                      f"summary needs a torch.nn.Module, got {type(model).__name__}.")
    validate.checked_model(model, "summary")

    stats = torchinfo_summary(model, input_size=input_size, verbose=0)
    stats.formatting.macs_units = Units.NONE
    return stats

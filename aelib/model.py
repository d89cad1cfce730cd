"""노트의 인코더·디코더를 그대로 옮긴 오토인코더.

인코더 = 패션스타 "나": 옷(이미지)을 보고 무한 옷장(잠재 공간)의 위치를 알려 줍니다.
디코더 = 스타일리스트 "브라이언": 옷장의 위치를 받아 그 자리의 옷을 새로 만듭니다.
"""

import operator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import validate
from .errors import AelibError, ArgumentError, ImageValueError, ShapeError

IMAGE_SHAPE = (1, 32, 32)


class Encoder(nn.Module):  # 인코더 클래스 정의
    def __init__(self, latents: int = 2):
        super().__init__()
        self.latents = check_latent_size(latents, "Encoder")  # 임베딩 크기: 2
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
        check_images(x, self.model[0].weight.dtype)
        return self.model(x)  # 입력 x를 모델에 전달하여 출력 반환


class Decoder(nn.Module):  # 디코더 클래스 정의
    def __init__(self, latents: int = 2):
        super().__init__()
        self.latents = check_latent_size(latents, "Decoder")  # 임베딩 크기: 2
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
        self.latents = latents = check_latent_size(latents, type(self).__name__)
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
        빈 배치는 평균이 NaN이 되므로 ``ShapeError``.
        """
        check_not_empty(x, f"{type(self).__name__}.losses")
        logits = self(x)
        return {"bce": F.binary_cross_entropy_with_logits(logits.float(), x)}


def check_latent_size(latents, model: str) -> int:
    """잠재 크기: 1 이상의 정수 (bool·실수·문자열은 거절). 파이썬 int로 돌려줍니다."""
    try:
        return validate.integer(latents, "latents", minimum=1, kind=ArgumentError)
    except ArgumentError as err:  # 어느 모델의 인자인지와 예를 덧붙임
        raise ArgumentError(f"{model}: {err.korean} 잠재 크기는 1 이상의 정수입니다 (예: {model}(latents=2)).",
                            f"{model}: {err.english} The latent size is a whole number of at least 1 "
                            f"(e.g. {model}(latents=2)).") from None


def check_images(x: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    """이미지 배치의 약속을 확인합니다: 텐서 (N, 1, 32, 32), 실수 자료형, 값은 유한한 [0, 1].

    모양이 틀리면 ``ShapeError``, 자료형·값(0–255 이미지, NaN, 정수 자료형)이 틀리면 ``ImageValueError``.
    ``dtype``(모델 가중치의 자료형)이 있으면 이미지도 그 자료형이어야 합니다 (float16·bfloat16 이미지 → ``.float()``).
    """
    validate.image_batch(x, "x")
    if dtype is not None and x.dtype != dtype:  # 합성곱은 입력과 가중치의 자료형이 같아야 함
        raise ImageValueError(
            f"x의 자료형이 {x.dtype}이지만 모델 가중치는 {dtype}입니다: 모델은 {dtype} 이미지를 받습니다. "
            "x.float()로 바꾸세요.",
            f"x has dtype {x.dtype} but the model weights are {dtype}: the model takes {dtype} images. "
            "Convert them with x.float().",
        )
    return x


def check_not_empty(x, function: str) -> None:
    """손실을 낼 배치에 이미지가 있는지 (빈 배치의 평균은 NaN). 모양·값은 순전파가 확인합니다."""
    if isinstance(x, torch.Tensor) and x.ndim == 4 and len(x) == 0:
        raise ShapeError(
            f"{function}의 x에 이미지가 하나도 없습니다 (모양 {tuple(x.shape)}): 빈 배치의 손실(평균)은 NaN입니다. "
            "이미지가 하나 이상 있는 배치를 주세요.",
            f"{function}: x holds no images (shape {tuple(x.shape)}); the loss (a mean) of an empty batch is NaN. "
            "Pass a batch with at least one image.",
        )


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
    if z.dtype in (torch.float16, torch.bfloat16) and not torch.is_autocast_enabled(z.device.type):
        return z.float()  # autocast 밖의 반정밀도: 값 그대로 float32 (autocast 안에서는 그대로 둠)
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
    input_size = check_input_size(model, input_size)

    try:
        stats = torchinfo_summary(model, input_size=input_size, verbose=0)
    except RuntimeError as exc:  # torchinfo는 모델의 오류를 "Failed to run torchinfo"로 감쌈: 알아듣는 원래 오류를 냄
        if isinstance(exc.__cause__, AelibError):
            raise exc.__cause__ from None
        raise
    stats.formatting.macs_units = Units.NONE
    return stats


def expected_input(model: nn.Module) -> tuple[str, int | None] | None:
    """``summary``에 줄 입력 모양의 약속: (설명, 잠재 크기 또는 이미지면 None). 모르는 모델이면 None."""
    from .classifier import ClothingClassifier  # classifier가 이 모듈을 불러오므로 여기서

    if isinstance(model, Decoder):
        return f"(N, {model.latents})", model.latents
    if isinstance(model, (Encoder, ClothingClassifier)) or isinstance(getattr(model, "encoder", None), Encoder):
        return "(N, 1, 32, 32)", None
    return None


def _whole_numbers(values) -> tuple[int, ...] | None:
    """튜플·목록·torch.Size의 정수들 → int 튜플, 정수가 아닌 것(bool, 실수, 문자열)이 있으면 None."""
    if not isinstance(values, (tuple, list)):
        return None
    sizes = []
    for n in values:
        if isinstance(n, (bool, np.bool_)):
            return None
        try:
            sizes.append(operator.index(n))
        except TypeError:
            return None
    return tuple(sizes)


def check_input_size(model: nn.Module, input_size) -> tuple[int, ...]:
    """``summary``의 ``input_size``: 1 이상의 정수들의 튜플, 모델이 받는 모양 (이미지 (N, 1, 32, 32), 디코더 (N, 잠재 크기))."""
    expected = expected_input(model)
    example = "(1, 1, 32, 32)" if expected is None or expected[1] is None else f"(1, {expected[1]})"
    sizes = _whole_numbers(input_size)
    if sizes is None or not sizes or any(n < 1 for n in sizes):
        raise ArgumentError(
            f"summary의 input_size는 1 이상의 정수들의 튜플(배치 크기를 포함한 입력 모양)이어야 합니다 (예: {example}). "
            f"받은 값: {validate.describe(input_size)}.",
            f"summary: input_size must be a tuple of whole numbers ≥ 1 (the input shape, batch size included), "
            f"e.g. {example}; got {validate.describe_en(input_size)}.")
    if expected is not None:
        latents = expected[1]
        fits = (len(sizes) == 2 and sizes[1] == latents) if latents is not None \
            else len(sizes) == 4 and sizes[1:] == IMAGE_SHAPE
        if not fits:
            hint_ko = " 28×28 이미지는 aelib.data.pad_to_32로 32×32로 만드세요." if sizes[-2:] == (28, 28) else ""
            hint_en = " Pad 28×28 images to 32×32 with aelib.data.pad_to_32." if hint_ko else ""
            raise ShapeError(
                f"summary: {type(model).__name__}의 입력 모양은 {expected[0]}입니다 (N: 배치 크기, 예: {example}). "
                f"받은 input_size: {sizes}.{hint_ko}",
                f"summary: {type(model).__name__} takes inputs shaped {expected[0]} (N: batch size, e.g. {example}), "
                f"got input_size {sizes}.{hint_en}")
    return input_size if all(type(n) is int for n in input_size) else sizes  # 파이썬 int면 받은 그대로 torchinfo에

"""잡음 제거 오토인코더가 쓰는 입력 손상: 가우스 잡음과 가리기(마스킹). 값은 언제나 [0, 1] 안.

같은 ``seed``(또는 같은 상태의 ``generator``)면 같은 잡음이 나옵니다. 시드를 주지 않으면 torch의
전역 난수를 씁니다 (훈련 중에는 ``fit``이 정한 시드).
"""

import torch

from . import validate
from .errors import AelibError


class CorruptionValueError(AelibError, ValueError):
    """잡음 수준이나 가릴 비율이 범위를 벗어남."""


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator | None:
    if seed is not None and generator is not None:
        raise CorruptionValueError("seed와 generator 중 하나만 주세요.", "Pass either seed or generator, not both.")
    return torch.Generator().manual_seed(seed) if seed is not None else generator


def _check_level(name: str, value, lo: float, hi: float, hint: str) -> torch.Tensor:
    level = torch.as_tensor(value, dtype=torch.float32)
    if not torch.isfinite(level).all() or (level < lo).any() or (level > hi).any():
        shown = value if level.ndim == 0 else f"{level.min().item():g}…{level.max().item():g}"
        raise CorruptionValueError(
            f"{name}는 {lo:g}에서 {hi:g} 사이여야 합니다. 받은 값: {shown}. {hint}",
            f"{name} must lie between {lo:g} and {hi:g}, got {shown}.",
        )
    return level


def _per_image(level: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """스칼라 또는 이미지마다 하나인 (N,) 값을 (N, 1, 1, 1)로 펼칩니다."""
    return level.reshape(-1, *([1] * (x.ndim - 1))) if level.ndim == 1 else level


def gaussian_noise(x: torch.Tensor, sigma, seed: int | None = None,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """x + σ·ε (ε ~ N(0, 1)), [0, 1]로 자름. σ는 숫자 하나 또는 이미지마다 하나인 (N,) 텐서.

    ``x``: [0, 1] 실수 이미지 (0–255 이미지·NaN·정수 자료형은 ``ImageValueError``: σ는 [0, 1] 눈금의 값)."""
    validate.image_values(x, "x")
    sigma = _per_image(_check_level("sigma (잡음의 표준편차)", sigma, 0.0, 10.0, "예: sigma=0.3"), x)
    noise = torch.randn(x.shape, generator=_generator(seed, generator), dtype=x.dtype).to(x.device)
    return (x + sigma.to(x) * noise).clamp(0.0, 1.0)


def mask_pixels(x: torch.Tensor, fraction, seed: int | None = None,
                generator: torch.Generator | None = None) -> torch.Tensor:
    """픽셀의 ``fraction``만큼을 무작위로 골라 0(검은색)으로 가립니다. ``x``: [0, 1] 실수 이미지."""
    validate.image_values(x, "x")
    fraction = _per_image(_check_level("fraction (가릴 비율)", fraction, 0.0, 1.0, "예: fraction=0.3"), x)
    keep = torch.rand(x.shape, generator=_generator(seed, generator), dtype=x.dtype).to(x.device) >= fraction.to(x)
    return x * keep


def psnr(clean: torch.Tensor, other: torch.Tensor) -> torch.Tensor:
    """이미지마다의 최대 신호 대 잡음비(PSNR, dB): 10·log10(1 / 평균제곱오차), 값 범위 [0, 1] 기준.
    두 이미지가 똑같으면 무한대입니다."""
    mse = (clean.double() - other.double()).square().flatten(1).mean(dim=1)
    return 10.0 * torch.log10(1.0 / mse)

"""잡음 제거 오토인코더가 쓰는 입력 손상: 가우스 잡음과 가리기(마스킹). 값은 언제나 [0, 1] 안.

같은 ``seed``(또는 같은 상태의 ``generator``)면 같은 잡음이 나옵니다. 시드를 주지 않으면 torch의
전역 난수를 씁니다 (훈련 중에는 ``fit``이 정한 시드).
"""

import numbers

import numpy as np
import torch

from . import validate
from .errors import AelibError, ArgumentError, ShapeError

MAX_SIGMA = 10.0  # gaussian_noise가 받는 σ의 상한 (σ = 10이면 이미지가 거의 0과 1만 남음)


class CorruptionValueError(AelibError, ValueError):
    """잡음 수준이나 가릴 비율이 범위를 벗어남."""


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator | None:
    if seed is not None and generator is not None:
        raise CorruptionValueError("seed와 generator 중 하나만 주세요.", "Pass either seed or generator, not both.")
    if seed is not None:
        seed = validate.seed(seed)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise ArgumentError(f"generator는 torch.Generator(또는 None)여야 합니다. 받은 값: {validate.describe(generator)}. "
                            "시드를 주려면 seed=0처럼 쓰세요.",
                            f"generator must be a torch.Generator (or None), got {validate.describe_en(generator)}. "
                            "To fix the noise, pass seed=0 instead.")
    if generator is not None and generator.device.type != "cpu":
        raise ArgumentError(f"generator는 CPU의 torch.Generator여야 합니다 (잡음은 CPU에서 뽑음). 받은 장치: {generator.device}.",
                            f"generator must be a CPU torch.Generator (the noise is drawn on the CPU), "
                            f"got one on {generator.device}.")
    return torch.Generator().manual_seed(seed) if seed is not None else generator


def _check_level(name: str, value, lo: float, hi: float, hint: str, x: torch.Tensor) -> torch.Tensor:
    """숫자 하나 또는 이미지마다 하나인 (N,) 실수 (텐서·배열·목록), 모두 [lo, hi] 안의 유한한 값."""
    short = name.split()[0]
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)) or value is None:
        ok = False
    elif isinstance(value, numbers.Real):
        ok = True
    else:
        try:
            a = value.detach().cpu() if isinstance(value, torch.Tensor) else np.asarray(value)
            ok = a.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8, torch.int16,
                             torch.int32, torch.int64, torch.uint8) if isinstance(a, torch.Tensor) else \
                a.dtype.kind in "iuf"
        except (TypeError, ValueError, RuntimeError):
            ok = False
    if not ok:
        raise CorruptionValueError(f"{name}는 실수 하나 또는 이미지마다 하나인 실수 (N,) 텐서여야 합니다. "
                                   f"받은 값: {validate.describe(value)}. {hint}",
                                   f"{short} must be a real number or a real (N,) tensor with one value per image, "
                                   f"got {validate.describe_en(value)}.")
    level = torch.as_tensor(value, dtype=torch.float32)
    if level.ndim > 1 or (level.ndim == 1 and x.ndim >= 1 and len(level) not in (1, len(x))):
        raise ShapeError(f"{name}의 모양 {tuple(level.shape)}이(가) 이미지 {tuple(x.shape)}와 맞지 않습니다: 숫자 하나이거나 "
                         f"이미지마다 하나인 ({len(x) if x.ndim else 1},) 텐서여야 합니다.",
                         f"{short} has shape {tuple(level.shape)}, which does not fit the images {tuple(x.shape)}: "
                         f"pass one number or a ({len(x) if x.ndim else 1},) tensor, one value per image.")
    if level.numel() == 0:
        raise ShapeError(f"{name}이(가) 비어 있습니다: 숫자 하나이거나 이미지마다 하나인 텐서여야 합니다.",
                         f"{short} is empty: pass one number or one value per image.")
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
    sigma = _per_image(_check_level("sigma (잡음의 표준편차)", sigma, 0.0, MAX_SIGMA, "예: sigma=0.3", x), x)
    noise = torch.randn(x.shape, generator=_generator(seed, generator), dtype=x.dtype).to(x.device)
    return (x + sigma.to(x) * noise).clamp(0.0, 1.0)


def mask_pixels(x: torch.Tensor, fraction, seed: int | None = None,
                generator: torch.Generator | None = None) -> torch.Tensor:
    """픽셀의 ``fraction``만큼을 무작위로 골라 0(검은색)으로 가립니다. ``x``: [0, 1] 실수 이미지."""
    validate.image_values(x, "x")
    fraction = _per_image(_check_level("fraction (가릴 비율)", fraction, 0.0, 1.0, "예: fraction=0.3", x), x)
    keep = torch.rand(x.shape, generator=_generator(seed, generator), dtype=x.dtype).to(x.device) >= fraction.to(x)
    return x * keep


def psnr(clean: torch.Tensor, other: torch.Tensor) -> torch.Tensor:
    """이미지마다의 최대 신호 대 잡음비(PSNR, dB): 10·log10(1 / 평균제곱오차), 값 범위 [0, 1] 기준.
    두 이미지가 똑같으면 무한대입니다.

    ``clean``, ``other``: 같은 모양 (N, …)의 [0, 1] 실수 이미지 (0–255 이미지·NaN은 ``ImageValueError``)."""
    validate.image_values(clean, "clean")
    validate.image_values(other, "other")
    if clean.shape != other.shape or clean.ndim < 2 or len(clean) == 0:
        raise ShapeError(f"psnr의 clean과 other는 같은 모양의 이미지 배치 (N, …), N ≥ 1이어야 합니다. "
                         f"받은 모양: {tuple(clean.shape)}와 {tuple(other.shape)}. 이미지마다 짝을 맞추세요.",
                         f"psnr needs clean and other to be image batches (N, ...) of the same shape with N >= 1, "
                         f"got {tuple(clean.shape)} and {tuple(other.shape)}. Pair each image with its counterpart.")
    mse = (clean.double() - other.double()).square().flatten(1).mean(dim=1)
    return 10.0 * torch.log10(1.0 / mse)

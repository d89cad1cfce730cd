"""노트북 08의 연습문제: 8.1 가우스 잡음으로 손상시키기, 8.2 PSNR, 8.3 예측 (잡음 제거가 이기기 시작하는 σ)."""

import math

import torch

from .. import corruption
from ._core import Wrong, call, register, register_prediction, same, tensor

MISTAKES_81 = {
    "no_clamp": ("픽셀 값이 [0, 1]을 벗어났습니다: 잡음을 더한 뒤 0~1로 자르세요.",
                 "Pixel values leave [0, 1]: clip to [0, 1] after adding the noise."),
    "variance_as_std": ("잡음의 표준편차가 σ가 아니라 σ²입니다: σ는 표준편차이므로 그대로 곱합니다.",
                        "The noise has standard deviation σ², not σ; σ is the standard deviation, multiply by it."),
    "noise_not_normal": ("잡음이 평균 0, 표준편차 σ인 정규분포가 아닙니다 (`rand`는 0~1의 균등분포).",
                         "The noise is not normal with mean 0 and standard deviation σ (rand is uniform on [0, 1))."),
    "no_noise": ("잡음이 더해지지 않았습니다: 결과가 입력과 같습니다.",
                 "No noise was added: the result equals the input."),
    "input_modified": ("입력 이미지를 제자리에서 바꿨습니다 (`x += …`, `x.add_(…)`): 원본이 망가집니다. 새 텐서를 돌려주세요.",
                       "The input images were modified in place (x += …): return a new tensor and keep the original."),
    "same_noise": ("여러 픽셀이나 이미지가 같은 잡음을 함께 씁니다: 잡음은 입력과 같은 모양으로, 픽셀마다·이미지마다 새로 뽑습니다.",
                   "Several pixels or images share the same noise; draw fresh noise per pixel and per image "
                   "(same shape as the input)."),
    "fixed_seed": ("부를 때마다 같은 잡음이 나옵니다: 함수 안의 시드(`manual_seed`)이나 고정된 생성기를 빼세요. "
                   "잡음 제거 오토인코더는 에포크마다 새 잡음을 봐야 합니다.",
                   "Every call gives the same noise: remove the seed or fixed generator inside the function; the "
                   "denoiser must see fresh noise every epoch."),
    "dtype": ("입력이 {given}인데 결과가 {got}입니다: 잡음의 dtype을 입력에 맞추세요.",
              "The input is {given} but the result is {got}; give the noise the input's dtype."),
}

MISTAKES_82 = {
    "per_image": ("배치 전체의 값 하나를 돌려주었습니다: 이미지마다 하나씩 (모양 (N,)) 계산하세요.",
                  "Returned one value for the whole batch; compute one per image, shape (N,)."),
    "psnr_factor_20": ("평균제곱오차에 20·log10을 썼습니다: 20은 제곱근(RMSE)에 쓰는 계수입니다.",
                       "Used 20·log10 with the mean squared error; 20 goes with the RMSE."),
    "psnr_rmse": ("제곱근(RMSE)에 10·log10을 썼습니다: 값이 정답의 절반입니다.",
                  "Used 10·log10 of the RMSE: the value is half the reference."),
    "psnr_natural_log": ("자연로그를 썼습니다: 데시벨은 상용로그(밑 10)입니다.",
                         "Used the natural log; decibels use the base-10 log."),
    "psnr_sign": ("PSNR의 부호가 반대입니다: 잡음이 작을수록(평균제곱오차가 작을수록) PSNR은 커져야 합니다.",
                  "PSNR has the wrong sign: the smaller the mean squared error, the larger the PSNR."),
}


def add_gaussian_noise(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """정답: 픽셀마다 x + σ·ε (ε ~ N(0, 1)), [0, 1]로 자름. 입력은 그대로 둠 (``aelib.corruption.gaussian_noise``)."""
    return corruption.gaussian_noise(x, sigma)


@register("8.1", "가우스 잡음으로 손상시키기", "입력과 같은 모양의 표준정규 잡음을 부를 때마다 새로 뽑아 σ배 해서 더하고, "
          "픽셀 값의 범위를 지키세요. 입력 텐서 자체는 바꾸지 않습니다.", add_gaussian_noise, MISTAKES_81)
def _grade_noise(fn):
    x = torch.full((64, 1, 32, 32), 0.5)
    original = x.clone()
    y = tensor(call(fn, x, 0.2), x.shape)
    if not torch.equal(x, original):
        raise Wrong("input_modified")
    if y.min() < 0 or y.max() > 1:
        raise Wrong("no_clamp")
    noise = (y - 0.5).flatten()
    spread, center = noise.std().item(), noise.mean().item()
    if spread < 1e-6:
        raise Wrong("no_noise")
    inside = y[(y > 0) & (y < 1)]  # 자르지 않은 픽셀: 픽셀마다 새로 뽑은 연속 잡음이면 값이 거의 겹치지 않음
    if torch.unique(inside).numel() < 0.95 * inside.numel() or torch.allclose(y[0], y[1]):
        raise Wrong("same_noise")
    if math.isclose(spread, 0.04, rel_tol=0.1):
        raise Wrong("variance_as_std")
    if not math.isclose(spread, 0.2, rel_tol=0.1) or abs(center) > 0.02:
        raise Wrong("noise_not_normal")
    if torch.equal(tensor(call(fn, x, 0.2), x.shape), y):
        raise Wrong("fixed_seed")
    edge = tensor(call(fn, torch.ones(4, 1, 32, 32), 0.3), (4, 1, 32, 32))
    if edge.max() > 1 or not math.isclose(float(edge.mean()), 1 - 0.3 / math.sqrt(2 * math.pi), abs_tol=0.02):
        raise Wrong("values", "흰 픽셀(1)에 잡음을 더하고 자른 결과가 정답과 다릅니다 / clamping of white pixels differs")
    for shape, dtype in (((1, 1, 28, 28), torch.float32), ((3, 1, 32, 32), torch.float64)):
        other = tensor(call(fn, torch.full(shape, 0.5, dtype=dtype), 0.1), shape)
        if other.dtype != dtype:
            raise Wrong("dtype", given=str(dtype)[6:], got=str(other.dtype)[6:])


def psnr(clean: torch.Tensor, other: torch.Tensor) -> torch.Tensor:
    """정답: 이미지마다의 PSNR(dB) = 10·log10(1 / 평균제곱오차), 모양 (N,) (``aelib.corruption.psnr``)."""
    return corruption.psnr(clean, other)


@register("8.2", "PSNR", "평균제곱오차는 이미지마다 따로, 픽셀 전체에 대해 구합니다 (배치 차원은 남김). "
          "데시벨은 밑이 10인 로그로 재고, 최댓값 1과 평균제곱오차의 비율을 씁니다.", psnr, MISTAKES_82)
def _grade_psnr(fn):
    for n, dtype in ((5, torch.float64), (1, torch.float32)):
        clean = torch.rand(n, 1, 32, 32, dtype=dtype)
        scale = torch.arange(1, n + 1, dtype=dtype).reshape(n, 1, 1, 1)
        other = (clean + 0.1 * torch.randn_like(clean) * scale).clamp(0, 1)
        out = tensor(call(fn, clean, other))
        expected = psnr(clean, other)
        if out.numel() == 1 and n > 1 and not same(out.reshape(-1), expected[:1]):
            raise Wrong("per_image")
        if tuple(out.shape) != (n,):
            raise Wrong("shape", f"이미지마다 하나 ({n},)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected ({n},)")
        if same(out, expected, rtol=1e-3):
            continue
        for mistake, factor in (("psnr_factor_20", 2.0), ("psnr_rmse", 0.5), ("psnr_natural_log", math.log(10)),
                                ("psnr_sign", -1.0)):
            if same(out, factor * expected, rtol=1e-3):
                raise Wrong(mistake)
        raise Wrong("values")


register_prediction("8.3", "잡음 제거가 잡음 낀 입력을 이기기 시작하는 σ", tolerance=0.05)

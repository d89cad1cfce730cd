"""노트북 01의 연습문제: 1.1 28×28 → 32×32 패딩, 1.2 예측 (값이 정확히 0인 픽셀의 비율)."""

import torch
import torch.nn.functional as F

from ._core import Wrong, call, register, register_prediction, same, tensor

MISTAKES = {
    "pad_one_side": ("한쪽에만 덧댔습니다: 옷이 가운데에 있도록 위·아래·왼쪽·오른쪽에 2픽셀씩 덧댑니다.",
                     "Padded on one side only; pad 2 pixels on every side so the garment stays centred."),
    "pad_amount": ("덧댄 양이 다릅니다: 28 + 2·p = 32가 되는 p를 쓰세요.",
                   "Wrong amount of padding: choose p so that 28 + 2·p = 32."),
    "not_zero": ("테두리가 0(빈 배경)이 아닙니다: 덧대는 값은 0입니다.",
                 "The border is not 0 (empty background); pad with zeros."),
    "dtype": ("dtype이 바뀌었습니다: 입력이 {given}이면 결과도 {given}이어야 합니다.",
              "The dtype changed: a {given} input must give a {given} result."),
    "input_modified": ("입력 이미지를 제자리에서 바꿨습니다: 새 텐서를 돌려주세요.",
                       "The input images were modified in place; return a new tensor."),
}


def pad_to_32(images: torch.Tensor) -> torch.Tensor:
    """정답: (N, 1, 28, 28) → (N, 1, 32, 32), 둘레에 0을 2픽셀씩."""
    return F.pad(images, (2, 2, 2, 2))


@register("1.1", "28×28을 32×32로", "한 변이 28에서 32가 되려면 양쪽에 몇 픽셀씩 필요한지 먼저 세어 보세요. "
          "`torch.nn.functional.pad`의 두 번째 인자는 마지막 차원부터 (왼쪽, 오른쪽, 위, 아래) 순서입니다.",
          pad_to_32, MISTAKES)
def _grade_pad(fn):
    for n, dtype in ((1, torch.float32), (3, torch.float32), (2, torch.float64)):
        x = torch.rand(n, 1, 28, 28, dtype=dtype) + 0.01
        original = x.clone()
        out = tensor(call(fn, x))
        if not torch.equal(x, original):
            raise Wrong("input_modified")
        if tuple(out.shape) != (n, 1, 32, 32):
            if tuple(out.shape[-2:]) == (32, 32) or out.dim() != 4:
                raise Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답 {(n, 1, 32, 32)} / got {tuple(out.shape)}")
            raise Wrong("pad_amount", f"받은 모양 {tuple(out.shape)} / got {tuple(out.shape)}")
        if out.dtype != dtype:
            raise Wrong("dtype", given=str(dtype).replace("torch.", ""))
        if same(out, pad_to_32(x)):
            continue
        if same(out, F.pad(x, (0, 4, 0, 4))) or same(out, F.pad(x, (4, 0, 4, 0))):
            raise Wrong("pad_one_side")
        if same(out[..., 2:30, 2:30], x):
            raise Wrong("not_zero")
        raise Wrong("values")


register_prediction("1.2", "값이 정확히 0인 픽셀의 비율", tolerance=0.1)

"""노트북 03의 연습문제: 3.1 전치 합성곱 출력의 크기, 3.2 설계 (28×28을 만드는 output_padding),
3.3 디코더의 forward."""

import torch
import torch.nn.functional as F
from torch import nn

from .. import illustrations
from ._core import Wrong, call, match, register, register_prediction, value
from ._modules import grade_module

MISTAKES_31 = {
    "not_int": ("결과가 정수(int)가 아니라 실수({got!r})입니다: 한 변의 픽셀 수는 정수이므로 정수로 계산하거나 "
                "`int(…)`로 바꾸세요.",
                "The result is a float ({got!r}), not an int; a side length in pixels is an integer."),
    "missing_output_padding": ("`output_padding`을 빠뜨렸습니다: 디코더의 층에서 4가 8이 아니라 7이 됩니다.",
                               "Missing output_padding: the decoder's layer turns 4 into 7 instead of 8."),
    "transposed_padding_sign": ("패딩의 부호가 반대입니다: 전치 합성곱에서는 패딩만큼 가장자리를 잘라 냅니다.",
                                "Padding has the wrong sign: a transposed convolution crops the padding."),
    "transposed_no_minus_one": ("`(n − 1)·stride`가 아니라 `n·stride`를 썼습니다: 도장 n개의 첫 자리는 "
                                "0, s, …, (n − 1)·s입니다.",
                                "Used n·stride instead of (n − 1)·stride."),
}

MISTAKES_33 = {
    "missing_relu": ("층 사이의 ReLU를 빠뜨렸습니다: 전치 합성곱 층마다 뒤에 ReLU가 있어야 합니다.",
                     "A ReLU between layers is missing: each transposed convolution is followed by a ReLU."),
    "sigmoid_in_forward": ("디코더가 시그모이드를 씌웠습니다: `forward`는 로짓을 돌려주고, 손실 "
                           "(`binary_cross_entropy_with_logits`)이 시그모이드를 씌우므로 두 번이 됩니다.",
                           "The decoder applies a sigmoid: forward returns logits, and the loss "
                           "(binary_cross_entropy_with_logits) applies the sigmoid again — twice in total."),
    "relu_at_output": ("마지막 Conv2d 뒤에 ReLU를 씌웠습니다: 로짓은 음수(배경)도 되어야 합니다.",
                       "ReLU after the output Conv2d: logits must be able to be negative (background)."),
}


def transposed_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                           output_padding: int = 1) -> int:
    """정답: 전치 합성곱 출력의 한 변 (n − 1)·s − 2p + k + output_padding."""
    return illustrations.conv_transpose_output_size(n, kernel_size, stride, padding, output_padding)


def _transposed_cases():
    g = torch.Generator().manual_seed(3)
    cases = [(4, 3, 2, 1, 1), (8, 3, 2, 1, 1), (16, 3, 2, 1, 1), (2, 3, 2, 1, 0)]
    while len(cases) < 60:
        n, k, s, p = (int(torch.randint(lo, hi, (1,), generator=g)) for lo, hi in ((1, 33), (1, 8), (1, 4), (0, 3)))
        op = int(torch.randint(0, s, (1,), generator=g))
        cases.append((n, k, s, p, op))
    return cases


@register("3.1", "전치 합성곱 출력의 크기", "2절의 흩뿌리기 그림을 떠올리세요: 도장 n개를 s칸 간격으로 찍은 캔버스의 "
          "너비를 먼저 세고, 그다음 output_padding과 패딩이 각각 캔버스를 어떻게 바꾸는지 더하고 빼 보세요.",
          transposed_output_size, MISTAKES_31)
def _grade_transposed(fn):
    first = value(call(fn, *_transposed_cases()[0]))
    if isinstance(first, float) or (isinstance(first, torch.Tensor) and first.is_floating_point()):
        raise Wrong("not_int", got=first)
    match(fn, _transposed_cases(), {
        "missing_output_padding": lambda n, k, s, p, op: (n - 1) * s - 2 * p + k,
        "transposed_padding_sign": lambda n, k, s, p, op: (n - 1) * s + 2 * p + k + op,
        "transposed_no_minus_one": lambda n, k, s, p, op: n * s - 2 * p + k + op,
    }, transposed_output_size, close=lambda o, r: not isinstance(o, float) and int(o) == r,
        keywords=("kernel_size", "stride", "padding", "output_padding"))


register_prediction("3.2", "28×28을 만드는 output_padding")


class DecoderLayers(nn.Module):
    """연습문제 3.3의 층들 (노트의 디코더와 같은 층, 이름만 붙임). ``forward``를 쓰는 것이 연습문제입니다."""

    def __init__(self, latents: int = 2):
        super().__init__()
        self.fc = nn.Linear(latents, 2048)
        self.up1 = nn.ConvTranspose2d(128, 128, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(128, 64, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.up3 = nn.ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.out = nn.Conv2d(32, 1, kernel_size=3, stride=1, padding=1)


class ReferenceDecoder(DecoderLayers):
    """정답: Linear → (N, 128, 4, 4) → 전치 합성곱 + ReLU 세 번 → Conv2d, 로짓을 돌려줌."""

    def forward(self, z):
        h = self.fc(z).reshape(-1, 128, 4, 4)
        h = F.relu(self.up1(h))
        h = F.relu(self.up2(h))
        h = F.relu(self.up3(h))
        return self.out(h)


def _decoder_variant(ref, z, relu=True, end=None):
    h = ref.fc(z).reshape(-1, 128, 4, 4)
    for up in (ref.up1, ref.up2, ref.up3):
        h = F.relu(up(h)) if relu else up(h)
    out = ref.out(h)
    return end(out) if end else out


@register("3.3", "디코더의 forward", "4절의 모양 표를 따라가세요: 숫자 2개를 늘린 뒤 특성 맵 모양으로 접고, "
          "크기를 키우는 층마다 활성화 함수를 씌우고, 마지막 층의 출력은 6절에서 본 것처럼 로짓 그대로 둡니다.",
          ReferenceDecoder, MISTAKES_33)
def _grade_decoder(cls):
    grade_module(cls, ReferenceDecoder, lambda n: torch.randn(n, 2), (3, 1), [
        ("sigmoid_in_forward", lambda r, z: _decoder_variant(r, z, end=torch.sigmoid)),
        ("relu_at_output", lambda r, z: _decoder_variant(r, z, end=F.relu)),
        ("missing_relu", lambda r, z: _decoder_variant(r, z, relu=False)),
    ])

"""노트북 02의 연습문제: 2.1 합성곱 출력의 크기, 2.2 예측 (인코더가 받는 가장 작은 n),
2.3 인코더의 forward, 2.4 예측 (층 하나를 더 넣을 때 늘어나는 파라미터 수)."""

import torch
import torch.nn.functional as F
from torch import nn

from .. import illustrations
from ._core import Wrong, call, match, register, register_prediction, value
from ._modules import grade_module

MISTAKES_21 = {
    "no_plus_one": ("마지막의 `+ 1`을 빠뜨렸습니다: 커널이 놓이는 첫 자리도 세어야 합니다.",
                    "Missing the final + 1: count the kernel's first position too."),
    "no_padding": ("패딩을 빠뜨렸습니다: 한 변에 패딩이 양쪽으로 붙습니다.",
                   "Padding is missing: it is added on both sides."),
    "padding_once": ("패딩을 한쪽만 더했습니다: 양쪽에 붙습니다.",
                     "Padding counted once; it is added on both sides."),
    "true_division": ("결과가 정수(int)가 아니라 실수입니다: 나눗셈 `/`나 `np.floor`처럼 실수를 돌려주는 계산을 썼습니다. "
                      "자리의 수는 정수이므로 정수 나눗셈(몫) `//`을 쓰거나 `int(…)`로 바꾸세요.",
                      "The result is a float, not an int (true division / or np.floor); the number of positions is "
                      "an integer: use floor division // or int(…)."),
    "ceil": ("올림을 했습니다: 커널이 이미지 밖으로 나가는 자리는 버리므로 내림입니다.",
             "Rounded up; positions where the kernel leaves the image are dropped, so round down."),
    "halving": ("`n // stride`는 이 층(3×3, 패딩 1)에서만 맞는 지름길입니다: 커널 크기와 패딩도 넣으세요.",
                "n // stride only works for this layer; the kernel size and padding matter too."),
}

MISTAKES_23 = {
    "missing_relu": ("층 사이의 ReLU를 빠뜨렸습니다: 합성곱 층마다 뒤에 ReLU가 있어야 합니다.",
                     "A ReLU between layers is missing: each convolution is followed by a ReLU."),
    "relu_at_end": ("마지막 Linear 뒤에도 ReLU를 씌웠습니다: 잠재 공간의 좌표는 음수도 될 수 있어야 합니다.",
                    "ReLU after the last Linear: latent coordinates must be able to be negative."),
}


def conv_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1) -> int:
    """정답: 합성곱 출력의 한 변 ⌊(n + 2p − k)/s⌋ + 1."""
    return illustrations.conv_output_size(n, kernel_size, stride, padding)


def _conv_cases():
    g = torch.Generator().manual_seed(1)
    cases = [(32, 3, 2, 1), (16, 3, 2, 1), (7, 3, 2, 1), (28, 3, 2, 1)]
    while len(cases) < 60:
        n, k, s, p = (int(torch.randint(lo, hi, (1,), generator=g)) for lo, hi in ((1, 65), (1, 8), (1, 4), (0, 4)))
        if n + 2 * p >= k:
            cases.append((n, k, s, p))
    return cases


def _is_float(o):
    return isinstance(o, float) or (isinstance(o, torch.Tensor) and o.is_floating_point())


@register("2.1", "합성곱 출력의 크기", "패딩을 붙인 한 변 위에서 커널의 왼쪽 끝이 놓일 수 있는 자리를 세어 보세요: "
          "첫 자리에서 시작해 스트라이드만큼씩 옮겨 가며, 커널이 밖으로 나가기 전까지.", conv_output_size, MISTAKES_21)
def _grade_conv_output_size(fn):
    outs = [value(call(fn, *c)) for c in _conv_cases()[:4]]
    if any(_is_float(o) for o in outs):
        raise Wrong("true_division")
    _match_int = lambda o, r: not _is_float(o) and int(o) == r  # noqa: E731
    match(fn, _conv_cases(), {
        "no_plus_one": lambda n, k, s, p: (n + 2 * p - k) // s,
        "no_padding": lambda n, k, s, p: (n - k) // s + 1,
        "padding_once": lambda n, k, s, p: (n + p - k) // s + 1,
        "ceil": lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
        "halving": lambda n, k, s, p: n // s,
    }, conv_output_size, close=_match_int, keywords=("kernel_size", "stride", "padding"))


register_prediction("2.2", "인코더가 받는 가장 작은 이미지")


class EncoderLayers(nn.Module):
    """연습문제 2.3의 층들 (노트의 인코더와 같은 층, 이름만 붙임). ``forward``를 쓰는 것이 연습문제입니다."""

    def __init__(self, latents: int = 2):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(64, 128, kernel_size=3, stride=2, padding=1)
        self.fc = nn.Linear(2048, latents)


class ReferenceEncoder(EncoderLayers):
    """정답: conv → ReLU 세 번, 펼치기, Linear."""

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.relu(self.conv3(x))
        return self.fc(x.flatten(start_dim=1))


def _encoder_without(ref, x, relu_at=(1, 2, 3), end_relu=False):
    h = x
    for i, conv in enumerate((ref.conv1, ref.conv2, ref.conv3), start=1):
        h = conv(h)
        h = F.relu(h) if i in relu_at else h
    out = ref.fc(h.flatten(start_dim=1))
    return F.relu(out) if end_relu else out


@register("2.3", "인코더의 forward", "층을 위에서 아래로 한 번씩 지나고, 합성곱 뒤마다 활성화 함수를 씌웁니다. "
          "Linear에 넣기 전에 펼칠 때 어느 차원은 남겨야 할까요? 배치가 1장일 때도 모양이 (1, 2)인지 보세요.",
          ReferenceEncoder, MISTAKES_23)
def _grade_encoder(cls):
    grade_module(cls, ReferenceEncoder, lambda n: torch.rand(n, 1, 32, 32), (3, 1), [
        ("relu_at_end", lambda r, x: _encoder_without(r, x, end_relu=True)),
        ("missing_relu", lambda r, x: _encoder_without(r, x, relu_at=())),
        *[("missing_relu", lambda r, x, i=i: _encoder_without(r, x, relu_at=tuple({1, 2, 3} - {i})))
          for i in (1, 2, 3)],
    ])


register_prediction("2.4", "층 하나를 더 넣을 때 늘어나는 파라미터 수")

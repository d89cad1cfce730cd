"""CPU 훈련을 빠르게: 노트의 합성곱 층을 같은 파라미터로, 같은 수식의 더 빠른 oneDNN 커널 조합으로 계산합니다.

``fit``이 CPU에서 기본으로 씁니다 (``kernels="fast"``). 모델의 정의·파라미터·``state_dict``는 그대로이고,
``with fast_cpu_kernels(model):`` 블록 안에서만 합성곱 층의 ``forward``가 바뀝니다. 결과는 PyTorch의 기본
커널과 float 반올림 오차 안에서 같습니다 (``tests/test_cpu_kernels.py``).

무엇이 느렸고 무엇으로 바꿨는지 (2코어 CPU, 배치 100, ``benchmarks/train_speed.py``):

- 활성값을 channels_last(NHWC) 메모리 배치로: oneDNN의 합성곱·전치 합성곱 순전파가 NCHW보다 빠릅니다.
- ``ConvTranspose2d``의 가중치 기울기: oneDNN의 전치 합성곱(deconvolution) 역전파 커널이 느립니다
  (NHWC에서 8–10 ms). 같은 값은 역할을 바꾼 *보통 합성곱*의 가중치 기울기이기도 해서 그 커널로 계산합니다
  (3.7 ms, 비트까지 같은 결과). 입력 기울기는 보통 합성곱 그대로입니다.
- 출력 ``Conv2d(32→1, 3×3)``: 출력 채널이 하나라 oneDNN이 행렬곱 성능을 내지 못합니다. 9개 탭의 행렬곱
  하나(픽셀 × 32 → 픽셀 × 9)와 9번의 자리 옮겨 더하기로 바꿉니다 (순전파 3.3 → 1.0 ms).
- 합성곱 바로 뒤의 ReLU는 그 자리에서 (``inplace=True``): 큰 텐서 하나를 새로 만들고 쓰는 일이 줄어듭니다.

bf16(``fit(..., precision="bf16")``)에서는 채널이 많은 합성곱만 bf16으로 계산하고, 채널이 하나인 첫·마지막
합성곱과 ``Linear``(잠재 벡터를 만들고 받는 층)는 fp32로 둡니다: 계산은 적고 정밀도는 결과를 가르는 층입니다.
"""

import contextlib

import torch
import torch.nn.functional as F
from torch import nn

CHANNELS_LAST = torch.channels_last
aten = torch.ops.aten


class _ConvTranspose2d(torch.autograd.Function):
    """``F.conv_transpose2d``와 같은 값 (groups=1, dilation=1). 가중치 기울기는 보통 합성곱의 커널로."""

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, output_padding):
        x = x.contiguous(memory_format=CHANNELS_LAST)
        ctx.save_for_backward(x, weight)
        ctx.conf = (stride, padding, bias is not None)
        return aten.convolution(x, weight, bias, stride, padding, [1, 1], True, output_padding, 1)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        stride, padding, has_bias = ctx.conf
        grad = grad.contiguous(memory_format=CHANNELS_LAST)
        # 전치 합성곱 y = T(x)의 입력 기울기는 보통 합성곱 conv(grad)
        grad_x = F.conv2d(grad, weight, None, stride, padding) if ctx.needs_input_grad[0] else None
        # 가중치 기울기 Σ x·grad는 "grad를 입력으로, x를 출력 기울기로" 둔 보통 합성곱의 가중치 기울기와 같은 식
        grad_w = grad_b = None
        if ctx.needs_input_grad[1]:
            grad_w = aten.convolution_backward(x, grad, weight, None, stride, padding, [1, 1], False, [0, 0], 1,
                                               [False, True, False])[1]
        if has_bias and ctx.needs_input_grad[2]:
            grad_b = grad.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None, None, None


def _overlap(tap: int, size: int) -> tuple[slice, slice]:
    """3×3 커널의 한 탭(0, 1, 2 → 자리 옮김 −1, 0, +1)이 잇는 (출력 구간, 입력 구간). 덧댄 0은 건너뜀."""
    shift = tap - 1
    return slice(max(0, -shift), size - max(0, shift)), slice(max(0, shift), size + min(0, shift))


class _ConvToOneChannel(torch.autograd.Function):
    """``Conv2d(C→1, 3×3, stride 1, padding 1)``과 같은 값: 탭 9개의 행렬곱 하나 + 자리 옮겨 더하기 9번."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        x = x.contiguous(memory_format=CHANNELS_LAST)
        n, c, h, w = x.shape
        pixels = x.permute(0, 2, 3, 1).reshape(-1, c)  # (N·H·W, C), 복사 없는 보기
        taps = weight[0].permute(1, 2, 0).reshape(9, c)  # (탭, C)
        per_tap = (taps @ pixels.t()).view(9, n, h, w)  # 탭마다 그 자리 픽셀의 채널 합
        out = per_tap[4].clone()  # 가운데 탭부터
        for k in (0, 1, 2, 3, 5, 6, 7, 8):
            (out_h, in_h), (out_w, in_w) = _overlap(k // 3, h), _overlap(k % 3, w)
            out[:, out_h, out_w] += per_tap[k, :, in_h, in_w]
        if bias is not None:
            out += bias
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        return out.unsqueeze(1)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        n, c, h, w = x.shape
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = aten.convolution_backward(grad, x, weight, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1,
                                               [True, False, False])[0]
        grad_w = grad_b = None
        if ctx.needs_input_grad[1]:
            # 탭 k의 가중치 기울기 = Σ 픽셀 × (그 탭만큼 옮긴 출력 기울기): 옮긴 기울기 9장을 쌓아 행렬곱 하나로
            shifted = grad.new_zeros(9, n, h, w)
            for k in range(9):
                (out_h, in_h), (out_w, in_w) = _overlap(k // 3, h), _overlap(k % 3, w)
                shifted[k, :, in_h, in_w] = grad[:, 0, out_h, out_w]
            grad_taps = shifted.view(9, -1) @ x.permute(0, 2, 3, 1).reshape(-1, c)  # (탭, C)
            grad_w = grad_taps.t().reshape(1, c, 3, 3)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_b = grad.sum((0, 2, 3))
        return grad_x, grad_w, grad_b


def _with_autocast(function):
    """autocast(bf16) 안이면 입력·가중치를 그 자료형으로 바꿔 부릅니다 (기울기는 fp32 파라미터로 돌아감)."""

    def call(x, weight, bias, *rest):
        if torch.is_autocast_enabled("cpu"):
            dtype = torch.get_autocast_dtype("cpu")
            with torch.autocast("cpu", enabled=False):
                return function(x.to(dtype), weight.to(dtype), None if bias is None else bias.to(dtype), *rest)
        return function(x, weight, bias, *rest)

    return call


def _in_fp32(function):
    """autocast(bf16) 안에서도 fp32로 계산합니다: 채널이 하나인 첫·마지막 합성곱과 잠재 벡터를 만드는 Linear.

    계산량은 작지만 정밀도가 결과를 가르는 층입니다 (bf16의 유효 숫자는 약 3자리: 픽셀 값 k/255와 2차원
    잠재 좌표, 손실에 바로 들어가는 로짓).
    """

    def call(x, *rest):
        if torch.is_autocast_enabled("cpu"):
            with torch.autocast("cpu", enabled=False):
                return function(x.float(), *rest)
        return function(x, *rest)

    return call


def _conv2d_nhwc(x, weight, bias, stride, padding):
    return F.conv2d(x.contiguous(memory_format=CHANNELS_LAST), weight, bias, stride, padding)


conv_transpose2d = _with_autocast(_ConvTranspose2d.apply)
conv_to_one_channel = _in_fp32(_ConvToOneChannel.apply)
conv2d = _conv2d_nhwc
conv2d_from_one_channel = _in_fp32(_conv2d_nhwc)
linear = _in_fp32(F.linear)


def _plain(module: nn.Module) -> bool:
    return (module.groups == 1 and module.dilation == (1, 1) and module.padding_mode == "zeros"
            and not isinstance(module.padding, str))


def fast_forward(module: nn.Module):
    """이 층을 빠르게 계산하는 forward 함수, 바꿀 층이 아니면 None."""
    if isinstance(module, nn.Linear):
        return lambda x: linear(x, module.weight, module.bias)
    if isinstance(module, nn.ConvTranspose2d) and _plain(module):
        return lambda x: conv_transpose2d(x, module.weight, module.bias, list(module.stride),
                                          list(module.padding), list(module.output_padding))
    if isinstance(module, nn.Conv2d) and _plain(module):
        if (module.out_channels == 1 and module.kernel_size == (3, 3) and module.stride == (1, 1)
                and module.padding == (1, 1)):
            return lambda x: conv_to_one_channel(x, module.weight, module.bias)
        conv = conv2d_from_one_channel if module.in_channels == 1 else conv2d
        return lambda x: conv(x, module.weight, module.bias, module.stride, module.padding)
    return None


def _relus_after(model: nn.Module, layers: list[nn.Module]) -> list[nn.ReLU]:
    """``nn.Sequential`` 안에서 바꾼 합성곱 층 바로 뒤에 오는 ReLU들 (그 자리에서 계산해도 되는 것)."""
    found = []
    for seq in model.modules():
        if isinstance(seq, nn.Sequential):
            for before, relu in zip(seq, list(seq)[1:]):
                if isinstance(relu, nn.ReLU) and not relu.inplace and any(before is m for m in layers):
                    found.append(relu)
    return found


@contextlib.contextmanager
def fast_cpu_kernels(model: nn.Module):
    """블록 안에서 ``model``의 합성곱 층을 빠른 CPU 커널로 계산합니다. 나가면 원래대로 (파라미터는 같은 것).

    합성곱 바로 뒤의 ReLU는 새 텐서를 만들지 않고 그 자리에서 계산합니다 (``inplace=True``, 같은 값):
    합성곱의 역전파는 자기 입력만 쓰고 출력은 쓰지 않으므로 덮어써도 됩니다.
    """
    patched, relus = [], []
    try:
        for module in model.modules():
            forward = fast_forward(module)
            if forward is not None and "forward" not in vars(module):
                module.forward = forward
                patched.append(module)
        for relu in _relus_after(model, patched):
            relu.inplace = True
            relus.append(relu)
        yield model
    finally:
        for module in patched:
            del module.forward
        for relu in relus:
            relu.inplace = False

"""강의용 설명 그림과 그 그림의 계산.

- 그림 3-4 정신의 오토인코더 구조도: :func:`draw_autoencoder_diagram`
- 그림 2-12 정신의 3×3, 스트라이드 2 합성곱 창: :func:`draw_strided_conv`
- 그림 2-13 / 3-13 정신의 층별 텐서 모양: :func:`draw_layer_stack`
- 그림 3-5 정신의 전치 합성곱: :func:`draw_transposed_conv` (값을 흩뿌려 더하기),
  :func:`draw_transposed_conv_as_conv` (0을 끼워 넣은 입력 위의 보통 합성곱)
- 표 3-3을 색 견본과 함께 HTML로: :func:`class_table_html`
- 손으로 만든 커널의 효과, 이미지 여러 줄 비교: :func:`plot_kernel_effect`, :func:`plot_image_rows`

그림 함수는 모두 matplotlib ``Figure``를 돌려줍니다. 계산 함수(출력 크기 공식, 전치 합성곱의
참조 구현)는 ``torch.nn.functional``과 같은 값을 내는지 테스트로 확인합니다.
"""

import html

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from . import validate
from .errors import ArgumentError, ShapeError
from .fonts import use_korean_font
from .labels import table_rows

use_korean_font()

# Dumoulin & Visin 그림의 색: 입력 파랑, 출력 초록, 커널 회색, 덧댄 0은 흰 칸.
INPUT_COLOR = "#9ecae1"
OUTPUT_COLOR = "#a1d99b"
HIGHLIGHT_COLOR = "#31a354"
KERNEL_COLOR = "#636363"
PAD_COLOR = "#ffffff"
ENCODER_COLOR = "#c6dbef"
DECODER_COLOR = "#fdd0a2"


# ---------------------------------------------------------------------------------------------
# 계산: 출력 크기 공식과 전치 합성곱의 참조 구현
# ---------------------------------------------------------------------------------------------


def _layer_settings(n, kernel_size, stride, padding) -> tuple[int, int, int, int]:
    """합성곱 층의 설정: 한 변 n ≥ 1, 커널 ≥ 1, 스트라이드 ≥ 1, 패딩 ≥ 0 (모두 정수)."""
    return (validate.integer(n, "n", minimum=1, kind=ArgumentError),
            validate.integer(kernel_size, "kernel_size", minimum=1, kind=ArgumentError),
            validate.integer(stride, "stride", minimum=1, kind=ArgumentError),
            validate.integer(padding, "padding", minimum=0, kind=ArgumentError))


def _output_padding(output_padding, stride: int) -> int:
    """전치 합성곱의 output_padding: 0 ≤ output_padding < stride (PyTorch의 ConvTranspose2d와 같은 규칙)."""
    output_padding = validate.integer(output_padding, "output_padding", minimum=0, kind=ArgumentError)
    if output_padding >= stride:
        raise ArgumentError(f"output_padding({output_padding})은 stride({stride})보다 작아야 합니다 "
                            "(PyTorch의 ConvTranspose2d와 같은 규칙): 0 – stride − 1 중에서 고르세요.",
                            f"output_padding ({output_padding}) must be smaller than stride ({stride}), "
                            "as in PyTorch's ConvTranspose2d; choose 0 to stride - 1.")
    return output_padding


def conv_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1) -> int:
    """합성곱 출력의 한 변: ⌊(n + 2p − k) / s⌋ + 1.

    ``n`` ≥ 1, ``kernel_size`` ≥ 1, ``stride`` ≥ 1, ``padding`` ≥ 0 (정수), 그리고 커널이 패딩한 입력 안에 들어가야
    합니다 (n + 2p ≥ k). 아니면 ``ArgumentError``."""
    n, kernel_size, stride, padding = _layer_settings(n, kernel_size, stride, padding)
    if n + 2 * padding < kernel_size:
        raise ArgumentError(f"커널({kernel_size}×{kernel_size})이 패딩한 입력(한 변 n + 2·padding = {n + 2 * padding})보다 "
                            "커서 놓일 자리가 없습니다: n이나 padding을 늘리거나 kernel_size를 줄이세요.",
                            f"The kernel ({kernel_size}) is larger than the padded input (n + 2*padding = "
                            f"{n + 2 * padding}), so it fits nowhere: increase n or padding, or lower kernel_size.")
    return (n + 2 * padding - kernel_size) // stride + 1


def conv_transpose_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                               output_padding: int = 0) -> int:
    """전치 합성곱 출력의 한 변: (n − 1)·s − 2p + k + output_padding.

    ``n`` ≥ 1, ``kernel_size`` ≥ 1, ``stride`` ≥ 1, ``padding`` ≥ 0, 0 ≤ ``output_padding`` < ``stride`` (정수),
    그리고 출력이 한 칸 이상이어야 합니다. 아니면 ``ArgumentError``."""
    n, kernel_size, stride, padding = _layer_settings(n, kernel_size, stride, padding)
    output_padding = _output_padding(output_padding, stride)
    size = (n - 1) * stride - 2 * padding + kernel_size + output_padding
    if size < 1:
        raise ArgumentError(f"전치 합성곱의 출력 한 변이 {size}입니다: 패딩({padding})이 캔버스(한 변 "
                            f"{size + 2 * padding})의 절반 이상을 잘라 냅니다. padding을 줄이세요.",
                            f"The transposed convolution's output side would be {size}: padding ({padding}) cuts "
                            f"away at least half of the canvas (side {size + 2 * padding}). Lower padding.")
    return size


def _as_2d(a, name: str = "x") -> np.ndarray:
    """유한한 실수의 2차원 배열 (행렬) → float64 numpy 배열 (빈 배열·글자·NaN은 거절)."""
    try:  # 목록은 예전처럼 torch 텐서를 거쳐서 (같은 값)
        a = np.asarray(torch.as_tensor(a).detach().cpu(), dtype=np.float64)
    except (TypeError, ValueError, RuntimeError):
        raise ArgumentError(f"{name}은(는) 실수의 2차원 배열(행렬)이어야 합니다. 받은 값: {validate.describe(a)}.",
                            f"{name} must be a 2-D array of real numbers, got {validate.describe_en(a)}.") from None
    if a.ndim != 2:
        raise ShapeError(f"{name}은(는) 2차원 배열(행렬)이어야 하는데 모양이 {tuple(a.shape)}입니다. "
                         "점마다 한 줄인 (N, D) 배열을 넘기세요.",
                         f"Expected {name} to be a 2-D (N, D) array, got shape {tuple(a.shape)}.")
    if a.size == 0:
        raise ShapeError(f"{name}이(가) 비어 있습니다 (모양 {tuple(a.shape)}): 한 칸 이상의 행렬을 주세요.",
                         f"{name} is empty (shape {tuple(a.shape)}); pass a matrix with at least one cell.")
    if not np.isfinite(a).all():
        raise ArgumentError(f"{name}에 NaN 또는 무한대가 있습니다: 유한한 실수를 주세요.",
                            f"{name} contains NaN or infinity; pass finite numbers.")
    return a


def _square_kernel(kernel) -> np.ndarray:
    """정사각형 커널 (k, k)."""
    kernel = _as_2d(kernel, "kernel")
    if kernel.shape[0] != kernel.shape[1]:
        raise ShapeError(f"kernel은 정사각형(k×k)이어야 합니다. 받은 모양: {kernel.shape}.",
                         f"kernel must be square (k x k), got shape {kernel.shape}.")
    return kernel


def _transposed_inputs(x, kernel, stride, padding, output_padding):
    """전치 합성곱 계산·그림의 인자: x (행렬), 정사각형 커널, 설정, 출력이 한 칸 이상."""
    x, kernel = _as_2d(x, "x"), _square_kernel(kernel)
    k = kernel.shape[0]
    _, _, stride, padding = _layer_settings(1, k, stride, padding)
    output_padding = _output_padding(output_padding, stride)
    for n in x.shape:
        conv_transpose_output_size(n, k, stride, padding, output_padding)  # 출력이 한 칸 이상인지
    return x, kernel, stride, padding, output_padding


def transposed_conv_stamps(x, kernel, stride: int = 2, output_padding: int = 0) -> np.ndarray:
    """입력 칸 하나하나의 '도장': 값 × 커널을 큰 캔버스의 (i·s, j·s) 자리에 찍은 배열.

    돌려주는 모양은 (입력 행, 입력 열, 캔버스 행, 캔버스 열)이고 캔버스 한 변은 (n − 1)·s + k + output_padding.
    모든 도장을 더하고 가장자리에서 padding만큼 잘라 내면 전치 합성곱의 출력입니다.
    """
    x, kernel = _as_2d(x, "x"), _square_kernel(kernel)
    stride = validate.integer(stride, "stride", minimum=1, kind=ArgumentError)
    output_padding = _output_padding(output_padding, stride)
    k = kernel.shape[0]
    rows = (x.shape[0] - 1) * stride + k + output_padding
    cols = (x.shape[1] - 1) * stride + k + output_padding
    stamps = np.zeros((x.shape[0], x.shape[1], rows, cols))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            stamps[i, j, i * stride:i * stride + k, j * stride:j * stride + k] = x[i, j] * kernel
    return stamps


def conv_transpose2d_scatter(x, kernel, stride: int = 2, padding: int = 1, output_padding: int = 0) -> np.ndarray:
    """전치 합성곱(채널 하나)을 '흩뿌려 더하기'로 계산합니다.

    ``F.conv_transpose2d(x[None, None], kernel[None, None], stride=, padding=, output_padding=)``와 같은 값.
    """
    x, kernel, stride, padding, output_padding = _transposed_inputs(x, kernel, stride, padding, output_padding)
    canvas = transposed_conv_stamps(x, kernel, stride, output_padding).sum(axis=(0, 1))
    return canvas[padding:canvas.shape[0] - padding, padding:canvas.shape[1] - padding]


def zero_inserted_input(x, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                        output_padding: int = 0) -> np.ndarray:
    """그림 3-5의 입력: 값 사이에 0을 (s − 1)개씩 끼우고 둘레에 0을 덧댄 배열.

    위·왼쪽에는 k − 1 − p개, 아래·오른쪽에는 k − 1 − p + output_padding개를 덧댑니다.
    ``padding``은 0 – k − 1 (덧대는 수가 음수가 되지 않게).
    """
    x = _as_2d(x, "x")
    _, kernel_size, stride, padding = _layer_settings(1, kernel_size, stride, padding)
    output_padding = _output_padding(output_padding, stride)
    if padding > kernel_size - 1:
        raise ArgumentError(f"padding({padding})은 kernel_size − 1 = {kernel_size - 1} 이하여야 합니다: 0을 끼운 입력의 "
                            f"둘레에 k − 1 − p = {kernel_size - 1 - padding}개를 덧댈 수 없습니다.",
                            f"padding ({padding}) must be at most kernel_size - 1 = {kernel_size - 1}: the zero-inserted "
                            f"input cannot be padded by k - 1 - p = {kernel_size - 1 - padding}.")
    dilated = np.zeros(((x.shape[0] - 1) * stride + 1, (x.shape[1] - 1) * stride + 1))
    dilated[::stride, ::stride] = x
    before = kernel_size - 1 - padding
    after = before + output_padding
    return np.pad(dilated, ((before, after), (before, after)))


def conv_transpose2d_by_zero_insertion(x, kernel, stride: int = 2, padding: int = 1,
                                       output_padding: int = 0) -> np.ndarray:
    """같은 전치 합성곱을 '0을 끼운 입력 위를 뒤집은 커널로 스트라이드 1 합성곱'으로 계산합니다."""
    x, kernel, stride, padding, output_padding = _transposed_inputs(x, kernel, stride, padding, output_padding)
    k = kernel.shape[0]
    big = zero_inserted_input(x, k, stride, padding, output_padding)
    flipped = kernel[::-1, ::-1]
    n_out = big.shape[0] - k + 1, big.shape[1] - k + 1
    out = np.zeros(n_out)
    for r in range(n_out[0]):
        for c in range(n_out[1]):
            out[r, c] = (big[r:r + k, c:c + k] * flipped).sum()
    return out


# ---------------------------------------------------------------------------------------------
# 그리기 도우미
# ---------------------------------------------------------------------------------------------


def _cells(ax, x0, y0, nrows, ncols, facecolor, values=None, fmt="{:g}", fontsize=9, edgecolor="#555555",
           lw=0.8, mask=None, mask_color=PAD_COLOR, linestyle="-"):
    """(x0, y0)이 왼쪽 위인 격자 (y축은 아래로 커짐). ``mask``가 True인 칸은 ``mask_color``."""
    for r in range(nrows):
        for c in range(ncols):
            color = mask_color if mask is not None and mask[r, c] else facecolor
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=color, edgecolor=edgecolor, lw=lw,
                                   linestyle=linestyle if mask is not None and mask[r, c] else "-"))
            if values is not None:
                v = values[r, c]
                if v != 0 or mask is None or not mask[r, c]:
                    ax.text(x0 + c + 0.5, y0 + r + 0.5, fmt.format(v).replace("-", "\u2212"), ha="center", va="center",
                            fontsize=fontsize, color="#222222")


def _num(v) -> str:
    """음수에 진짜 마이너스 기호(U+2212)를 씁니다."""
    return f"{v:g}".replace("-", "\u2212")


def point_label(z, digits: int = 1) -> str:
    """잠재 공간의 점을 그림 제목용 글자로: ``(−0.9, 1.7)`` (진짜 마이너스 기호).

    ``z``: 유한한 실수의 1차원 목록 (텐서·배열), ``digits``: 0 이상의 정수."""
    digits = validate.integer(digits, "digits", minimum=0, kind=ArgumentError)
    ndim = z.ndim if isinstance(z, (torch.Tensor, np.ndarray)) else (1 if isinstance(z, (list, tuple)) else 0)
    if ndim != 1:
        raise ShapeError(f"z는 점 하나의 좌표 목록(1차원, 예: [−0.9, 1.7])이어야 합니다. 받은 값: {validate.describe(z)}.",
                         f"z must be the coordinates of one point (1-D, e.g. [-0.9, 1.7]), got {validate.describe_en(z)}.")
    validate.finite_vector(z, None, "z")  # 확인만: 글자는 받은 값 그대로 반올림
    return "(" + ", ".join(_num(round(float(v), digits)) for v in z) + ")"


def _title(v, name: str = "title", optional: bool = False) -> None:
    if not (isinstance(v, str) or (optional and v is None)):
        also_ko, also_en = (" 또는 None", " or None") if optional else ("", "")
        raise ArgumentError(f"{name}은(는) 글자(str){also_ko}여야 합니다. 받은 값: {validate.describe(v)}.",
                            f"{name} must be a string{also_en}, got {validate.describe_en(v)}.")


def _positions(positions, m: int) -> list[tuple[int, int]]:
    """그릴 출력 칸 (행, 열)의 목록: 하나 이상, 모두 0 – m − 1 (출력 m×m 안)."""
    if isinstance(positions, (str, bytes)) or not hasattr(positions, "__len__") or not len(positions):
        raise ArgumentError(f"positions는 출력 칸 (행, 열)의 목록이어야 합니다 (하나 이상). 받은 값: {validate.describe(positions)}.",
                            f"positions must be a non-empty list of output cells (row, column), got {validate.describe_en(positions)}.")
    out = []
    for i, cell in enumerate(positions):
        if isinstance(cell, (str, bytes)) or not hasattr(cell, "__len__") or len(cell) != 2:
            raise ArgumentError(f"positions[{i}]은(는) (행, 열) 두 정수여야 합니다. 받은 값: {validate.describe(cell)}.",
                                f"positions[{i}] must be two integers (row, column), got {validate.describe_en(cell)}.")
        r = validate.integer(cell[0], f"positions[{i}][0]", minimum=0, kind=ArgumentError)
        c = validate.integer(cell[1], f"positions[{i}][1]", minimum=0, kind=ArgumentError)
        if r >= m or c >= m:
            raise ArgumentError(f"positions[{i}] = ({r}, {c})은(는) 출력 {m}×{m} 밖입니다: 행과 열은 0 – {m - 1}.",
                                f"positions[{i}] = ({r}, {c}) lies outside the {m}x{m} output; rows and columns are 0 to {m - 1}.")
        out.append((r, c))
    return out


def _window(ax, x0, y0, size, color=KERNEL_COLOR, alpha=0.35):
    ax.add_patch(Rectangle((x0, y0), size, size, facecolor=color, alpha=alpha, edgecolor="none"))
    ax.add_patch(Rectangle((x0, y0), size, size, facecolor="none", edgecolor="#000000", lw=2.2))


def _outline(ax, x0, y0, w, h, color="#d62728", lw=2.2, ls="--"):
    ax.add_patch(Rectangle((x0, y0), w, h, facecolor="none", edgecolor=color, lw=lw, linestyle=ls))


def _arrow(ax, start, end, color="#444444", lw=1.6, style="-|>", mutation_scale=16, **kw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, color=color, lw=lw,
                                 mutation_scale=mutation_scale, **kw))


def _grid_axes(ax, width, height, margin=0.4):
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(height + margin, -margin)  # 위가 0번 행
    ax.set_aspect("equal")
    ax.axis("off")


# ---------------------------------------------------------------------------------------------
# 그림 3-4: 오토인코더 구조
# ---------------------------------------------------------------------------------------------


def draw_autoencoder_diagram(image=None, reconstruction=None, z=None, title: str = "오토인코더의 구조"):
    """입력 이미지 → 인코더 → 2차원 잠재 공간의 점 → 디코더 → 재구성 이미지 (그림 3-4).

    ``image``, ``reconstruction``: (1, 32, 32) 또는 (32, 32) 이미지 (없으면 빈 상자),
    ``z``: 잠재 벡터 두 값 (있으면 점의 좌표를 함께 적음). 축 하나짜리 ``Figure``를 돌려줍니다.
    """
    for name, img in (("image", image), ("reconstruction", reconstruction)):
        if img is not None:  # 값은 [0, 1] 실수 (0–255 이미지는 그리기 전에 거절)
            if not isinstance(img, (torch.Tensor, np.ndarray)):
                raise ShapeError(f"{name}은(는) (1, 32, 32) 또는 (32, 32) 이미지 텐서여야 합니다. 받은 값: {validate.describe(img)}.",
                                 f"{name} must be an image tensor shaped (1, 32, 32) or (32, 32), got {validate.describe_en(img)}.")
            validate.image_values(torch.as_tensor(img), name)
            if np.asarray(torch.as_tensor(img).detach().cpu()).squeeze().ndim != 2:
                raise ShapeError(f"{name}은(는) 이미지 한 장 (1, 32, 32) 또는 (32, 32)여야 합니다. 받은 모양: {tuple(img.shape)}.",
                                 f"{name} must be one image shaped (1, 32, 32) or (32, 32), got shape {tuple(img.shape)}.")
    if z is not None:
        if not (isinstance(z, (torch.Tensor, np.ndarray)) and z.ndim == 1 or isinstance(z, (list, tuple))):
            raise ShapeError(f"z는 잠재 벡터 하나 (z₁, z₂)여야 합니다. 받은 값: {validate.describe(z)}.",
                             f"z must be one latent vector (z1, z2), got {validate.describe_en(z)}.")
        validate.finite_vector(z, 2, "z")
    _title(title)
    fig, ax = plt.subplots(figsize=(12, 4.0))
    ax.set_xlim(0, 16)
    ax.set_ylim(0.2, 6)
    ax.set_aspect("equal")
    ax.axis("off")

    def picture(img, x0, label):
        extent = (x0, x0 + 2.5, 1.75, 4.25)
        if img is None:
            ax.add_patch(Rectangle((x0, 1.75), 2.5, 2.5, facecolor="#eeeeee", edgecolor="#555555"))
            ax.text(x0 + 1.25, 3.0, "이미지", ha="center", va="center", fontsize=11, color="#555555")
        else:
            img = np.asarray(torch.as_tensor(img).detach().cpu()).squeeze()
            ax.imshow(img, cmap="gray_r", vmin=0, vmax=1, extent=extent, interpolation="nearest", zorder=2)
            ax.add_patch(Rectangle((x0, 1.75), 2.5, 2.5, facecolor="none", edgecolor="#555555", zorder=3))
        ax.text(x0 + 1.25, 1.35, label, ha="center", va="top", fontsize=11)

    picture(image, 0.3, "입력 이미지\n32×32×1")
    picture(reconstruction, 13.2, "재구성 이미지\n32×32×1")

    ax.add_patch(Polygon([(3.4, 0.9), (3.4, 5.1), (6.2, 3.8), (6.2, 2.2)], closed=True,
                         facecolor=ENCODER_COLOR, edgecolor="#3182bd", lw=1.5))
    ax.text(4.75, 3.35, "인코더", ha="center", va="center", fontsize=14)
    ax.text(4.75, 2.65, '패션스타 "나"', ha="center", va="center", fontsize=10.5)
    ax.add_patch(Polygon([(9.8, 2.2), (9.8, 3.8), (12.6, 5.1), (12.6, 0.9)], closed=True,
                         facecolor=DECODER_COLOR, edgecolor="#e6550d", lw=1.5))
    ax.text(11.25, 3.35, "디코더", ha="center", va="center", fontsize=14)
    ax.text(11.25, 2.65, '스타일리스트\n"브라이언"', ha="center", va="center", fontsize=10.5)

    # 잠재 공간: 작은 좌표 평면 위의 점 하나
    cx, cy, half = 8.0, 3.0, 1.1
    ax.add_patch(Rectangle((cx - half, cy - half), 2 * half, 2 * half, facecolor="#f7f7f7",
                           edgecolor="#555555"))
    ax.plot([cx - half, cx + half], [cy, cy], color="#aaaaaa", lw=0.8)
    ax.plot([cx, cx], [cy - half, cy + half], color="#aaaaaa", lw=0.8)
    if z is None:
        dot = np.array([0.45, 0.35])
    else:  # 점의 방향은 z의 부호와 비율을 따름 (눈금 없는 그림이므로 크기는 상자 안에 맞춤)
        zz = np.array([float(z[0]), float(z[1])])
        dot = zz / max(np.abs(zz).max(), 1.0) * 0.75 * half
    ax.plot([cx + dot[0]], [cy + dot[1]], "o", color="#d62728", markersize=9, zorder=4)
    ax.text(cx, cy + half + 0.25, "잠재 공간 (무한 옷장)", ha="center", va="bottom", fontsize=11)
    # 아래 첨자는 mathtext로 (유니코드 ₁ ₂는 한글 글꼴에서 작게 뭉개짐), 두 줄은 따로 놓아 겹치지 않게
    point = r"$z = (z_1,\ z_2)$" if z is None else f"z = ({_num(round(float(z[0]), 2))}, {_num(round(float(z[1]), 2))})"
    ax.text(cx, cy - half - 0.3, point, ha="center", va="top", fontsize=12)
    ax.text(cx, cy - half - 0.95, "옷장 속 위치", ha="center", va="top", fontsize=11)

    for start, end in [((2.85, 3.0), (3.35, 3.0)), ((6.25, 3.0), (6.85, 3.0)),
                       ((9.15, 3.0), (9.75, 3.0)), ((12.65, 3.0), (13.15, 3.0))]:
        _arrow(ax, start, end)
    ax.text(4.8, 5.45, "압축 (인코딩)", ha="center", fontsize=10.5, color="#3182bd")
    ax.text(11.2, 5.45, "재구성 (디코딩)", ha="center", fontsize=10.5, color="#e6550d")
    ax.set_title(title, fontsize=14)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 그림 2-12: 스트라이드 2 합성곱 창
# ---------------------------------------------------------------------------------------------


def draw_strided_conv(n: int = 8, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                      positions=((0, 0), (0, 1), (1, 0), (3, 3)), ncols: int = 2):
    """n×n 입력(파랑) 둘레에 0을 덧대고(흰 칸) 3×3 창(회색)을 ``stride``칸씩 옮기며 출력(초록)을 만듭니다.

    ``positions``의 출력 칸마다 그 칸을 만드는 창의 자리를 그린 패널 하나. 패널 수만큼의 축을 가진 ``Figure``.
    """
    m = conv_output_size(n, kernel_size, stride, padding)  # 설정을 확인함
    positions = _positions(positions, m)
    ncols = validate.integer(ncols, "ncols", minimum=1, kind=ArgumentError)
    big = n + 2 * padding
    mask = np.ones((big, big), dtype=bool)
    mask[padding:padding + n, padding:padding + n] = False
    nrows = -(-len(positions) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 4.6 * nrows), squeeze=False)
    gap = 2.5
    for ax, (r, c) in zip(axes.flat, positions):
        _cells(ax, 0, 0, big, big, INPUT_COLOR, mask=mask, linestyle="--", lw=0.6)
        _window(ax, c * stride, r * stride, kernel_size)
        ox, oy = big + gap, (big - m) / 2
        _cells(ax, ox, oy, m, m, OUTPUT_COLOR)
        ax.add_patch(Rectangle((ox + c, oy + r), 1, 1, facecolor=HIGHLIGHT_COLOR, edgecolor="#000000", lw=2))
        _arrow(ax, (c * stride + kernel_size, r * stride + kernel_size / 2), (ox + c, oy + r + 0.5),
               color="#000000", lw=1.2, connectionstyle="arc3,rad=-0.15")
        ax.text(big / 2, big + 0.5, f"입력 {n}×{n} (+ 둘레 0 패딩 {padding}칸)", ha="center", va="top",
                fontsize=10)
        ax.text(ox + m / 2, oy + m + 0.5, f"출력 {m}×{m}", ha="center", va="top", fontsize=10)
        r0, c0 = r * stride - padding, c * stride - padding
        ax.set_title(f"출력 ({r}, {c}): 입력의 행 {_num(r0)}~{_num(r0 + kernel_size - 1)}, "
                     f"열 {_num(c0)}~{_num(c0 + kernel_size - 1)}을 봄", fontsize=11)
        _grid_axes(ax, ox + m, big + 1.3)
    for ax in list(axes.flat)[len(positions):]:
        fig.delaxes(ax)
    fig.suptitle(f"{kernel_size}×{kernel_size} 커널, 스트라이드 {stride}, 패딩 {padding}: "
                 f"창이 {stride}칸씩 움직여 한 변이 {n}" + r" $\rightarrow$ " + f"{m}", fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


# ---------------------------------------------------------------------------------------------
# 그림 2-13 / 3-13: 층별 텐서 모양
# ---------------------------------------------------------------------------------------------


def draw_layer_stack(shapes, layer_names, title: str = ""):
    """텐서 모양의 흐름을 상자로 그립니다: (C, H, W)는 입체 상자, (D,)는 세로 막대.

    ``shapes``: 텐서 모양 목록 (배치 차원 없이), ``layer_names``: 상자 사이 화살표 아래 글 (len(shapes) − 1개).
    상자 높이는 한 변 H에, 두께는 채널 수의 로그에 비례합니다. 축 하나짜리 ``Figure``.
    """
    if isinstance(shapes, (str, bytes)) or not hasattr(shapes, "__len__") or not len(shapes):
        raise ArgumentError(f"shapes는 텐서 모양 (C, H, W) 또는 (D,)의 목록이어야 합니다 (하나 이상). 받은 값: {validate.describe(shapes)}.",
                            f"shapes must be a non-empty list of tensor shapes (C, H, W) or (D,), got {validate.describe_en(shapes)}.")
    for i, shape in enumerate(shapes):
        if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) not in (1, 3):
            raise ShapeError(f"shapes[{i}]은(는) (C, H, W) 또는 (D,) 모양이어야 합니다 (배치 차원 없이). 받은 값: {validate.describe(shape)}.",
                             f"shapes[{i}] must be a shape (C, H, W) or (D,) without the batch dimension, "
                             f"got {validate.describe_en(shape)}.")
        for j, size in enumerate(shape):
            validate.integer(size, f"shapes[{i}][{j}]", minimum=1, kind=ArgumentError)
    if isinstance(layer_names, (str, bytes)) or not hasattr(layer_names, "__len__"):
        raise ArgumentError(f"layer_names는 화살표마다 글자 하나씩인 목록이어야 합니다. 받은 값: {validate.describe(layer_names)}.",
                            f"layer_names must be a list with one string per arrow, got {validate.describe_en(layer_names)}.")
    if len(layer_names) != len(shapes) - 1:
        raise ArgumentError(f"layer_names는 shapes보다 하나 적어야 합니다 (상자 사이 화살표마다 하나): "
                            f"shapes {len(shapes)}개, layer_names {len(layer_names)}개.",
                            f"layer_names needs len(shapes) - 1 = {len(shapes) - 1} names, got {len(layer_names)}.")
    for i, name in enumerate(layer_names):
        _title(name, f"layer_names[{i}]")
    _title(title)
    fig, ax = plt.subplots(figsize=(2.1 * len(shapes) + 1.0, 4.2))
    x = 0.0
    centers = []
    for shape in shapes:
        if len(shape) == 3:
            ch, h, w = shape
            side = 0.5 + 2.5 * h / 32
            depth = 0.1 + 0.3 * np.log2(ch)
            dx, dy = depth * 0.75, depth * 0.5
            y0 = -side / 2 - dy / 2
            ax.add_patch(Polygon([(x, y0 + side), (x + dx, y0 + side + dy), (x + dx + side, y0 + side + dy),
                                  (x + side, y0 + side)], closed=True, facecolor="#c6dbef", edgecolor="#333333"))
            ax.add_patch(Polygon([(x + side, y0), (x + side + dx, y0 + dy), (x + side + dx, y0 + side + dy),
                                  (x + side, y0 + side)], closed=True, facecolor="#6baed6", edgecolor="#333333"))
            ax.add_patch(Rectangle((x, y0), side, side, facecolor=INPUT_COLOR, edgecolor="#333333"))
            width = side + dx
            label = f"{h}×{w}×{ch}"
            top = y0 + side + dy
        else:
            (d,) = shape
            side = 0.5 + 2.4 * np.log2(d) / 11
            width = 0.3
            ax.add_patch(Rectangle((x, -side / 2), width, side, facecolor=OUTPUT_COLOR if d <= 2 else "#fdd0a2",
                                   edgecolor="#333333"))
            label = f"{d}"
            top = side / 2
        ax.text(x + width / 2, top + 0.15, label, ha="center", va="bottom", fontsize=10.5)
        centers.append((x, x + width))
        x += width + 1.75
    for (a, b), name in zip(zip(centers[:-1], centers[1:]), layer_names):
        _arrow(ax, (a[1] + 0.1, 0), (b[0] - 0.1, 0), mutation_scale=12, lw=1.3)
        ax.text((a[1] + b[0]) / 2, -0.25, name, ha="center", va="top", fontsize=9.5, color="#333333")
    ax.set_xlim(-0.3, x - 1.45)
    ax.set_ylim(-2.3, 2.7)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=13)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 그림 3-5: 전치 합성곱
# ---------------------------------------------------------------------------------------------


def draw_transposed_conv(x, kernel, stride: int = 2, padding: int = 1, output_padding: int = 1):
    """전치 합성곱을 '흩뿌려 더하기'로 그립니다.

    위 줄: 입력, 커널, 최종 출력. 아래 줄: 입력 칸마다 (값 × 커널) 도장을 캔버스의 (i·s, j·s)에 찍은 패널과
    그 합. 빨간 점선 안(가장자리에서 padding만큼 뺀 부분)이 출력입니다. 입력 칸 수 + 4개의 축.
    """
    x, kernel, stride, padding, output_padding = _transposed_inputs(x, kernel, stride, padding, output_padding)
    stamps = transposed_conv_stamps(x, kernel, stride, output_padding)
    canvas = stamps.sum(axis=(0, 1))
    out = conv_transpose2d_scatter(x, kernel, stride, padding, output_padding)
    size = canvas.shape[0]
    n_in = x.shape[0] * x.shape[1]
    ncols = n_in + 1
    fig = plt.figure(figsize=(2.75 * ncols, 5.6))
    grid = fig.add_gridspec(2, ncols, height_ratios=[0.75, 1])
    small = max(x.shape[0], kernel.shape[0], out.shape[0])
    top = [fig.add_subplot(grid[0, i]) for i in (0, 1, ncols - 1)]

    ax = top[0]
    _cells(ax, 0, 0, *x.shape, INPUT_COLOR, values=x, fontsize=13)
    _grid_axes(ax, small, small)
    ax.set_title(f"입력 {x.shape[0]}×{x.shape[1]}", fontsize=11)
    ax = top[1]
    _cells(ax, 0, 0, *kernel.shape, "#d9d9d9", values=kernel, fontsize=12)
    _grid_axes(ax, small, small)
    ax.set_title(f"커널 {kernel.shape[0]}×{kernel.shape[1]}", fontsize=11)
    ax = top[2]
    _cells(ax, 0, 0, *out.shape, OUTPUT_COLOR, values=out, fontsize=12)
    _grid_axes(ax, small, small)
    ax.set_title(f"출력 {out.shape[0]}×{out.shape[1]} (빨간 점선 안)", fontsize=11)
    fig.text(0.5, 0.955, f"스트라이드 {stride}: 입력 한 칸이 출력에서 {stride}칸씩 떨어진 자리에 커널을 찍습니다",
             ha="center", fontsize=11)

    def panel(ax, values, touched, title):
        mask = ~touched
        _cells(ax, 0, 0, size, size, INPUT_COLOR if touched.any() else OUTPUT_COLOR, values=values,
               mask=mask, fontsize=10, linestyle="-")
        _outline(ax, padding, padding, size - 2 * padding, size - 2 * padding)
        _grid_axes(ax, size, size)
        ax.set_title(title, fontsize=10.5)

    for k, ax_idx in enumerate(range(n_in)):
        i, j = divmod(k, x.shape[1])
        ax = fig.add_subplot(grid[1, ax_idx])
        touched = np.zeros((size, size), dtype=bool)
        touched[i * stride:i * stride + kernel.shape[0], j * stride:j * stride + kernel.shape[1]] = True
        panel(ax, stamps[i, j], touched, f"입력[{i},{j}] = {_num(x[i, j])}" + r" $\rightarrow$ " + f"{_num(x[i, j])} × 커널")
    ax = fig.add_subplot(grid[1, n_in])
    _cells(ax, 0, 0, size, size, OUTPUT_COLOR, values=canvas, fontsize=10)
    _outline(ax, padding, padding, size - 2 * padding, size - 2 * padding)
    _grid_axes(ax, size, size)
    ax.set_title(f"모두 더한 캔버스 {size}×{size}", fontsize=10.5)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.02, wspace=0.15, hspace=0.3)
    return fig


def draw_transposed_conv_as_conv(n: int = 2, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                                 output_padding: int = 1, positions=((0, 0), (0, 1), (3, 3))):
    """그림 3-5처럼: 입력 값(파랑) 사이에 0(흰 칸)을 끼우고 둘레를 덧댄 뒤, 3×3 창을 1칸씩 옮겨 출력(초록)을 만듭니다.

    ``positions``의 출력 칸마다 패널 하나 (축 수 = len(positions)).
    """
    m = conv_transpose_output_size(n, kernel_size, stride, padding, output_padding)  # 설정을 확인함
    positions = _positions(positions, m)
    ones = np.arange(1, n * n + 1, dtype=float).reshape(n, n)
    big = zero_inserted_input(ones, kernel_size, stride, padding, output_padding)
    mask = big == 0
    m = conv_transpose_output_size(n, kernel_size, stride, padding, output_padding)
    labels = np.zeros_like(big)
    labels[~mask] = big[~mask]
    fig, axes = plt.subplots(1, len(positions), figsize=(4.8 * len(positions), 4.2), squeeze=False)
    gap = 1.8
    size = big.shape[0]
    for ax, (r, c) in zip(axes.flat, positions):
        _cells(ax, 0, 0, size, size, INPUT_COLOR, values=labels, mask=mask, linestyle="--", lw=0.6,
               fmt="x{:.0f}", fontsize=9)
        _window(ax, c, r, kernel_size)
        ox, oy = size + gap, (size - m) / 2
        _cells(ax, ox, oy, m, m, OUTPUT_COLOR)
        ax.add_patch(Rectangle((ox + c, oy + r), 1, 1, facecolor=HIGHLIGHT_COLOR, edgecolor="#000000", lw=2))
        _arrow(ax, (c + kernel_size, r + kernel_size / 2), (ox + c, oy + r + 0.5), color="#000000", lw=1.2,
               connectionstyle="arc3,rad=-0.15")
        ax.set_title(f"출력 ({r}, {c})", fontsize=11)
        ax.text(size / 2, size + 0.4, f"0을 끼운 입력 {size}×{size}", ha="center", va="top", fontsize=10)
        ax.text(ox + m / 2, oy + m + 0.4, f"출력 {m}×{m}", ha="center", va="top", fontsize=10)
        _grid_axes(ax, ox + m, size + 1.1)
    fig.suptitle(f"같은 전치 합성곱을 보통 합성곱으로: 입력 {n}×{n}의 값 사이에 0을 {stride - 1}개씩 끼우고 "
                 f"둘레를 덧댄 뒤 창을 1칸씩", fontsize=12)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# 표 3-3, 커널 효과, 이미지 줄 비교
# ---------------------------------------------------------------------------------------------


def class_table_html() -> str:
    """표 3-3: 번호, 영어 이름, 한국어 이름, 그림에 쓰는 색(견본과 16진 코드)을 HTML 표로."""
    head = "<tr><th>번호</th><th>영어 레이블</th><th>한국어 이름</th><th>색</th></tr>"
    rows = []
    for id_, english, korean, color in table_rows():
        swatch = (f'<span style="display:inline-block;width:1.6em;height:1em;background:{color};'
                  f'vertical-align:middle;border:1px solid #555"></span> <code>{color}</code>')
        rows.append(f"<tr><td>{id_}</td><td>{html.escape(english)}</td><td>{html.escape(korean)}</td>"
                    f"<td>{swatch}</td></tr>")
    return ('<table style="border-collapse:collapse">'
            "<caption>표 3-3. Fashion-MNIST 레이블</caption>" + head + "".join(rows) + "</table>")


def plot_kernel_effect(image, kernel, kernel_name: str = "커널", padding: int = 1):
    """이미지 하나에 손으로 만든 커널을 스트라이드 1과 2로 적용한 특성 맵 (축 4개).

    특성 맵은 양수 빨강, 음수 파랑, 0 흰색으로 칠합니다.
    """
    if not isinstance(image, (torch.Tensor, np.ndarray)):
        raise ShapeError(f"image는 (H, W) 이미지 텐서여야 합니다. 받은 값: {validate.describe(image)}.",
                         f"image must be an image tensor shaped (H, W), got {validate.describe_en(image)}.")
    validate.image_values(torch.as_tensor(image), "image")  # (H, W) [0, 1] 실수
    shape = tuple(image.shape)
    if len(shape) < 2 or int(np.prod(shape[:-2], dtype=np.int64)) != 1 or min(shape[-2:]) < 1:
        raise ShapeError(f"image는 이미지 한 장 (H, W)이어야 합니다 (예: x[0, 0]). 받은 모양: {shape}.",
                         f"image must be one image shaped (H, W), e.g. x[0, 0]; got shape {shape}.")
    kernel_np = _square_kernel(kernel)
    padding = validate.integer(padding, "padding", minimum=0, kind=ArgumentError)
    if kernel_np.shape[0] > min(shape[-2:]) + 2 * padding:
        raise ArgumentError(f"kernel({kernel_np.shape[0]}×{kernel_np.shape[0]})이 패딩한 이미지"
                            f"({shape[-2] + 2 * padding}×{shape[-1] + 2 * padding})보다 큽니다: 더 작은 커널을 주세요.",
                            f"kernel ({kernel_np.shape[0]}x{kernel_np.shape[0]}) is larger than the padded image "
                            f"({shape[-2] + 2 * padding}x{shape[-1] + 2 * padding}); pass a smaller kernel.")
    _title(kernel_name, "kernel_name")
    img = torch.as_tensor(image, dtype=torch.float32).reshape(1, 1, *np.asarray(image).shape[-2:])
    w = torch.as_tensor(np.asarray(kernel), dtype=torch.float32).reshape(1, 1, *np.asarray(kernel).shape)
    maps = [F.conv2d(img, w, stride=s, padding=padding)[0, 0] for s in (1, 2)]
    limit = max(float(m.abs().max()) for m in maps) or 1.0
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6))
    axes[0].imshow(img[0, 0].numpy(), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    axes[0].set_title(f"입력 {img.shape[-2]}×{img.shape[-1]}")
    k = w[0, 0].numpy()
    axes[1].imshow(k, cmap="bwr", vmin=-2 * np.abs(k).max(), vmax=2 * np.abs(k).max())
    for (r, c), v in np.ndenumerate(k):
        axes[1].text(c, r, _num(v), ha="center", va="center", fontsize=13)
    axes[1].set_title(kernel_name)
    for ax, m, s in zip(axes[2:], maps, (1, 2)):
        ax.imshow(m.numpy(), cmap="bwr", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(f"스트라이드 {s}" + r" $\rightarrow$ " + f"{m.shape[0]}×{m.shape[1]} 특성 맵")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_image_rows(rows: dict, col_titles=None, size: float = 1.3, title: str | None = None):
    """여러 줄의 이미지 비교: ``rows``는 {줄 이름: 이미지 (N, 1, 32, 32) [0, 1]}, 줄마다 같은 N. 축 수 = 줄 수 × N."""
    if not isinstance(rows, dict) or not rows:
        raise ArgumentError(f"rows는 {{줄 이름: 이미지}} 사전이어야 합니다 (줄 하나 이상). 받은 값: {validate.describe(rows)}.",
                            f"rows must be a dict {{row name: images}} with at least one row, got {validate.describe_en(rows)}.")
    rows = {name: validate.plot_images(images, f"rows[{name!r}]") for name, images in rows.items()}
    names = list(rows)
    n = len(rows[names[0]])
    if any(len(images) != n for images in rows.values()):
        raise ShapeError(f"rows의 줄마다 이미지 수가 같아야 합니다: {[len(v) for v in rows.values()]}.",
                         f"Every row in rows needs the same number of images, got {[len(v) for v in rows.values()]}.")
    if n == 0:
        raise ShapeError("rows의 줄에 이미지가 하나도 없습니다: 그릴 것이 없습니다.",
                         "The rows hold no images: there is nothing to draw.")
    for name in names:
        _title(name, "rows의 줄 이름 / row name")
    if col_titles is not None and (isinstance(col_titles, (str, bytes)) or not hasattr(col_titles, "__len__")
                                   or len(col_titles) != n):
        count = len(col_titles) if hasattr(col_titles, "__len__") and not isinstance(col_titles, (str, bytes)) \
            else validate.describe(col_titles)
        raise ShapeError(f"col_titles는 열마다 하나씩 {n}개여야 합니다 (또는 None). 받은 것: {count}.",
                         f"col_titles needs one title per column ({n}) or None, got {count}.")
    size = validate.real(size, "size", positive=True, kind=ArgumentError)
    _title(title, optional=True)
    fig, axes = plt.subplots(len(names), n, figsize=(n * size + 1.8, len(names) * size * 1.2 + 0.4),
                             squeeze=False)
    for r, name in enumerate(names):
        images = torch.as_tensor(rows[name]).detach().cpu()
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c].squeeze().numpy(), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and col_titles is not None:
                ax.set_title(col_titles[c], fontsize=9)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=11)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig

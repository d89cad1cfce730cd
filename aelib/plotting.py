"""노트북이 함께 쓰는 그림: 이미지 격자, 손실 곡선, 재구성, 잠재 공간 산점도와 디코딩 격자."""

import json
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import latent, validate
from .errors import ArgumentError, DegenerateDataError, ShapeError
from .fonts import use_korean_font
from .labels import CLASSES, LABEL_CMAP

use_korean_font()


# ---------------------------------------------------------------------------- 그림 인자 확인 (그림을 만들기 전에)


def _positive(v, name: str) -> float:
    """0보다 큰 유한한 실수 (크기·글자 크기 등)."""
    return validate.real(v, name, positive=True, kind=ArgumentError)


def _figsize(figsize, name: str = "figsize") -> tuple[float, float]:
    """그림 크기 (너비, 높이) 인치: 0보다 큰 유한한 실수 두 개."""
    if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
        validate.fail(ArgumentError, f"{name}은(는) (너비, 높이) 인치 두 개여야 합니다 (예: (7.5, 6)). "
                                     f"받은 값: {validate.describe(figsize)}.",
                      f"{name} must be two numbers (width, height) in inches, e.g. (7.5, 6), "
                      f"got {validate.describe_en(figsize)}.")
    return _positive(figsize[0], f"{name}[0]"), _positive(figsize[1], f"{name}[1]")


def _text(v, name: str, optional: bool = False) -> None:
    """제목 같은 글자 (``optional``이면 None도)."""
    if not (isinstance(v, str) or (optional and v is None)):
        also_ko, also_en = (" 또는 None", " or None") if optional else ("", "")
        validate.fail(ArgumentError, f"{name}은(는) 글자(str){also_ko}여야 합니다. 받은 값: {validate.describe(v)}.",
                      f"{name} must be a string{also_en}, got {validate.describe_en(v)}.")


def _flag(v, name: str) -> bool:
    """켜고 끄는 인자: True 또는 False."""
    if not isinstance(v, (bool, np.bool_)):
        validate.fail(ArgumentError, f"{name}은(는) True 또는 False여야 합니다. 받은 값: {validate.describe(v)}.",
                      f"{name} must be True or False, got {validate.describe_en(v)}.")
    return bool(v)


def _color(v, name: str = "color") -> None:
    """matplotlib이 아는 색 (예: "black", "#555555", (0, 0, 1))."""
    if not is_color_like(v):
        validate.fail(ArgumentError, f"{name} {validate.describe(v)}은(는) matplotlib이 아는 색이 아닙니다. "
                                     "\"black\", \"#555555\"처럼 색 이름이나 16진 코드를 주세요.",
                      f"{name} {validate.describe_en(v)} is not a matplotlib colour. "
                      "Pass a colour name or hex code such as \"black\" or \"#555555\".")


def _axes(ax, name: str = "ax") -> Axes:
    """그릴 matplotlib 축 (``fig, ax = plt.subplots()``의 ax)."""
    if not isinstance(ax, Axes):
        validate.fail(ArgumentError, f"{name}은(는) matplotlib 축(Axes)이어야 합니다 (fig, ax = plt.subplots()의 ax). "
                                     f"받은 값: {validate.describe(ax)}.",
                      f"{name} must be a matplotlib Axes (the ax of fig, ax = plt.subplots()), "
                      f"got {validate.describe_en(ax)}.")
    return ax


def _spread_box(z: torch.Tensor, name: str, function: str) -> None:
    """점들을 감싸는 상자가 두 축 모두 폭이 있는지: 한 축에서 모든 점이 같은 값이면 상자(축 범위·격자·표준화)가
    0으로 나누기가 되거나 한 점으로 줄어듭니다."""
    flat = [axis for axis in range(z.shape[1]) if bool((z[:, axis] == z[0, axis]).all())]
    if flat:
        axes = ", ".join(f"z{axis + 1}" for axis in flat)
        validate.fail(DegenerateDataError,
                      f"{function}의 {name}은(는) {len(z)}개 점이 {axes} 방향으로 모두 같은 값이라 감싸는 상자의 폭이 "
                      "0입니다: 그릴 범위를 정할 수 없습니다. 서로 다른 이미지의 임베딩을 주세요 "
                      "(모두 같다면 인코더가 망가졌을 수 있습니다).",
                      f"{function}: all {len(z)} points of {name} share the same {axes} value, so the box around "
                      "them has zero width and no plot range can be set. Pass embeddings of different images "
                      "(if they are all equal, the encoder may be broken).")


def compact_png(fig) -> bytes | None:
    """노트북에 저장되는 인라인 그림: matplotlib의 PNG를 256색 팔레트 PNG로 (파일이 약 40 %로 줄고, 선·글자·회색
    이미지는 그대로 보임). PNG 메타데이터(클래스 이름 표시)는 그대로 옮깁니다. 빈 그림은 ``None``(IPython과 같음)."""
    import io

    from IPython.core.pylabtools import print_figure
    from PIL import Image, PngImagePlugin

    if not isinstance(fig, Figure):
        validate.fail(ArgumentError, f"compact_png의 fig는 matplotlib Figure여야 합니다. 받은 값: {validate.describe(fig)}.",
                      f"compact_png needs a matplotlib Figure, got {validate.describe_en(fig)}.")
    raw = print_figure(fig, "png", bbox_inches="tight")
    if raw is None:
        return None
    image = Image.open(io.BytesIO(raw))
    info = PngImagePlugin.PngInfo()
    for key, value in image.text.items():
        info.add_text(key, value)
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def _use_compact_png() -> None:
    """IPython 커널 안이면 인라인 그림의 PNG를 ``compact_png``로 (인라인 백엔드가 먼저 자리 잡은 뒤에 등록)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter") or "inline" not in plt.get_backend():
        return
    import matplotlib_inline.backend_inline  # noqa: F401  인라인 형식 등록이 끝나게 (뒤에서 덮어쓰지 않도록)
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, compact_png)


_use_compact_png()

LOSS_NAMES = {"bce": "이진 크로스 엔트로피", "cross_entropy": "크로스 엔트로피", "accuracy": "정확도",
              "loss": "전체 손실", "reconstruction": "재구성 손실", "kl": "KL 발산"}


MINUS = "\u2212"  # 그림의 눈금과 같은 마이너스 기호 (붙임표 "-"가 아님)


def signed(value: float, digits: int = 2) -> str:
    """그림에 쓰는 숫자: 음수에는 눈금과 같은 마이너스 기호 −를 씁니다 (``signed(-0.5) == "−0.50"``).
    ``value``: 유한한 실수, ``digits``: 0 이상의 정수 (소수 자리 수)."""
    value = validate.real(value, "value", kind=ArgumentError)
    digits = validate.integer(digits, "digits", minimum=0, kind=ArgumentError)
    text = f"{value:.{digits}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # −0.00은 0.00으로
    return text.replace("-", MINUS)


def _gray(ax, image, title=None, color=None):
    ax.imshow(np.asarray(image).squeeze(), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9, color=color or "black")


def show_images(images, titles=None, ncols: int = 10, size: float = 1.2, suptitle: str | None = None):
    """이미지 (N, 1, H, W) 또는 (N, H, W), 실수 [0, 1]을 격자로 그립니다 (흰 바탕에 검은 옷, 책처럼).

    0–255 이미지·NaN·정수 자료형은 그리기 전에 ``ImageValueError``로 거절합니다 (그대로 그리면 온통 검게 보임).
    ``titles``는 이미지마다 하나 (또는 None).
    """
    images = validate.plot_images(images, "images")
    if len(images) == 0:
        raise ShapeError(f"images에 이미지가 하나도 없습니다 (모양 {tuple(images.shape)}): 그릴 것이 없습니다.",
                         f"images holds no images (shape {tuple(images.shape)}): there is nothing to draw.")
    ncols = validate.integer(ncols, "ncols", minimum=1, kind=ArgumentError)
    size = _positive(size, "size")
    _text(suptitle, "suptitle", optional=True)
    if titles is not None and (isinstance(titles, (str, bytes)) or not hasattr(titles, "__len__")):
        raise ArgumentError(f"titles는 이미지마다 글자 하나씩인 목록(또는 None)이어야 합니다. 받은 값: {validate.describe(titles)}.",
                            f"titles must be a list with one string per image (or None), got {validate.describe_en(titles)}.")
    if titles is not None and len(titles) != len(images):
        raise ShapeError(f"titles는 이미지마다 하나씩 {len(images)}개여야 합니다. 받은 개수: {len(titles)}.",
                         f"titles needs one entry per image ({len(images)}), got {len(titles)}.")
    nrows = -(-len(images) // ncols)
    lines = max((str(t).count("\n") + 1 for t in titles), default=0) if titles else 0
    # 제목 줄 수만큼 줄 높이를 늘리고 constrained 배치로 제목이 위 줄의 테두리에 닿지 않게 합니다
    height = nrows * size * (1.05 + 0.16 * lines) + (0.4 if suptitle else 0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, height), squeeze=False, layout="constrained")
    for i, ax in enumerate(axes.flat):
        if i < len(images):
            _gray(ax, images[i], titles[i] if titles else None)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_class_examples(dataset, per_class: int = 8, size: float = 1.0):
    """클래스마다 한 줄: 왼쪽에 표 3-3의 번호·한국어 이름·색, 오른쪽에 예시 ``per_class``장.

    ``dataset``: ``TensorDataset``(이미지 (N, 1, 32, 32) [0, 1], 레이블 (N,) 0–9), 클래스마다 ``per_class``장 이상.
    """
    validate.dataset(dataset, "dataset")
    per_class = validate.integer(per_class, "per_class", minimum=1, kind=ArgumentError)
    size = _positive(size, "size")
    images, labels = dataset.tensors
    counts = torch.bincount(labels.long().flatten(), minlength=10)
    if int(counts.min()) < per_class:
        c = int(counts.argmin())
        raise ArgumentError(f"클래스 {c}({CLASSES[c].korean})의 이미지가 {int(counts[c])}장뿐입니다: per_class={per_class}보다 "
                            "적습니다. per_class를 줄이세요.",
                            f"Class {c} has only {int(counts[c])} images, fewer than per_class={per_class}. "
                            "Lower per_class.")
    fig, axes = plt.subplots(10, per_class, figsize=(per_class * size + 1.6, 10 * size), squeeze=False)
    for c in CLASSES:
        idx = torch.nonzero(labels == c.id).flatten()[:per_class]
        for j, ax in enumerate(axes[c.id]):
            _gray(ax, images[idx[j]])
            for spine in ax.spines.values():
                spine.set_edgecolor(c.color)
                spine.set_linewidth(2.5)
        # 이름은 검정 (rainbow의 연한 색 글씨는 흰 바탕에서 읽기 어려움), 클래스 색은 굵은 테두리와 이름 옆의 원으로
        axes[c.id, 0].set_ylabel(f"{c.id} {c.korean}", rotation=0, ha="right", va="center", fontsize=11, labelpad=22)
        axes[c.id, 0].plot([-0.12], [0.5], "o", transform=axes[c.id, 0].transAxes, clip_on=False, markersize=11,
                           color=c.color, markeredgecolor="#333333")
    _record_class_names(fig, [c.id for c in CLASSES], [c.korean for c in CLASSES])  # 이름은 줄마다 왼쪽에
    fig.tight_layout()
    return fig


def plot_history(history, title: str = "손실 곡선"):
    """에포크마다의 훈련·검증 손실 (손실 종류마다 칸 하나). ``history``: ``fit``이 돌려준 ``History``."""
    if (not isinstance(getattr(history, "train", None), dict) or not history.train
            or not isinstance(getattr(history, "val", None), dict)
            or not all(hasattr(v, "__len__") and len(v) for v in history.train.values())):
        raise ArgumentError(f"history는 에포크가 하나 이상 기록된 aelib.train.History여야 합니다. 받은 값: {type(history).__name__}.",
                            f"history must be an aelib.train.History with at least one epoch, got {type(history).__name__}.")
    _text(title, "title")
    names = list(history.train)
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5), squeeze=False)
    for ax, name in zip(axes.flat, names):
        epochs = np.arange(1, len(history.train[name]) + 1)
        ax.plot(epochs, history.train[name], "o-", label="훈련")
        if name in history.val:
            ax.plot(epochs[: len(history.val[name])], history.val[name], "s--", label="검증")
        ax.set_xlabel("에포크")
        ax.set_ylabel(LOSS_NAMES.get(name, name))
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_reconstructions(model, images, title: str = "위: 원본 / 아래: 재구성", size: float = 1.2):
    """원본(위 줄)과 오토인코더의 재구성(아래 줄). ``images``: (N, 1, 32, 32) 실수 [0, 1], N ≥ 1."""
    validate.checked_model(model, "plot_reconstructions", needs=("reconstruct",))
    images = validate.image_batch(images, "images", allow_empty=False)
    _text(title, "title")
    size = _positive(size, "size")
    with torch.no_grad():
        model.eval()
        recon = model.reconstruct(images)
    n = len(images)
    fig, axes = plt.subplots(2, n, figsize=(n * size, 2.4 * size), squeeze=False)
    for i in range(n):
        _gray(axes[0, i], images[i])
        _gray(axes[1, i], recon[i])
    axes[0, 0].set_ylabel("원본", rotation=0, ha="right", va="center")
    axes[1, 0].set_ylabel("재구성", rotation=0, ha="right", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def class_legend_handles(markersize: float = 7) -> list[Line2D]:
    """표 3-3의 색과 한국어 이름으로 된 범례 항목. ``markersize``: 0보다 큰 실수."""
    markersize = _positive(markersize, "markersize")
    return [Line2D([], [], marker="o", linestyle="", color=c.color, markersize=markersize,
                   label=f"{c.id} {c.korean}") for c in CLASSES]


EMBEDDING_GRAY = "#555555"  # 레이블 색 없이 찍는 임베딩 (책처럼 파란 샘플 점 아래에는 무채색)


CLASS_NAMES_KEY = "aelib:class-names"  # PNG 메타데이터(tEXt) 열쇠: 그림 안의 클래스 산점도마다 {"classes", "names"}


def _png_format(args, kwargs) -> bool:
    fmt = kwargs.get("format")
    if fmt is None and args and isinstance(args[0], (str, os.PathLike)):
        fmt = os.path.splitext(os.fspath(args[0]))[1]
    if fmt is None:
        fmt = plt.rcParams["savefig.format"]
    return str(fmt).lower().lstrip(".") == "png"


def _record_class_names(fig, classes: list[int], names: list[str]) -> None:
    """클래스 색 산점도를 그렸다는 표시를 그림에 남기고, 그림이 PNG로 저장될 때(노트북의 인라인 출력 포함)
    그 표시를 PNG 메타데이터 ``CLASS_NAMES_KEY``에 JSON으로 씁니다. 테스트가 저장된 출력에서 읽습니다."""
    marks = fig.__dict__.setdefault("_aelib_class_names", [])
    marks.append({"classes": classes, "names": names})
    canvas = fig.canvas
    if getattr(canvas, "_aelib_records_class_names", False):
        return
    original = canvas.print_figure

    def print_figure(*args, **kwargs):
        if _png_format(args, kwargs):
            kwargs["metadata"] = {**(kwargs.get("metadata") or {}),
                                  CLASS_NAMES_KEY: json.dumps(fig.__dict__.get("_aelib_class_names", []))}
        return original(*args, **kwargs)

    canvas.print_figure = print_figure
    canvas._aelib_records_class_names = True


def name_clusters(ax, z, labels, fontsize: float = 10, draw: bool = True) -> list:
    """클래스마다 임베딩의 중앙값(무리의 가운데) 옆에 한국어 이름을 씁니다: 색을 구별하지 못해도 지도를 읽도록.

    글자는 검정에 흰 테두리(어떤 점 위에서도 읽힘), 이름끼리 겹치지 않는 쪽을 골라 놓습니다 (``annotate_points``).
    놓은 ``Text`` 목록을 돌려줍니다. ``draw``: ``annotate_points``와 같음.
    """
    _axes(ax)
    n = len(validate.latent_points(z, 2, "z"))  # 확인만: 계산은 받은 정밀도 그대로 (float64 그대로)
    validate.class_labels(labels, n, "labels")
    fontsize = _positive(fontsize, "fontsize")
    draw = _flag(draw, "draw")
    z = np.asarray(z.detach().cpu() if isinstance(z, torch.Tensor) else z, dtype=float)
    labels = np.asarray(labels.detach().cpu() if isinstance(labels, torch.Tensor) else labels)
    present = [c for c in CLASSES if np.any(labels == c.id)]
    centres = [np.median(z[labels == c.id], axis=0) for c in present]
    texts = annotate_points(ax, centres, [c.korean for c in present], fontsize=fontsize,
                            stroke=3.5, offsets=_NAME_OFFSETS, draw=draw)
    _record_class_names(ax.figure, [c.id for c in present], [t.get_text() for t in texts])
    return texts


def scatter_latent(ax, z, labels, size: float = 3, alpha: float = 0.6, legend: bool = True,
                   color: str | None = None, names: bool = True):
    """잠재 벡터 (N, 2) 유한한 실수를 레이블 (N,) 0–9의 색(표 3-3)으로 찍습니다 (그림 3-8).

    ``names``(기본 True): 무리의 가운데에 클래스 이름을 씁니다 (``name_clusters``). 색만으로 클래스를 구별하지
    않게 하려는 것입니다 (예: 가방의 주황빛 빨강과 앵클 부츠의 빨강은 적록 색각 이상에서 거의 같은 색).
    ``color``를 주면(예: ``EMBEDDING_GRAY``) 레이블과 상관없이 그 한 색으로 찍고 범례도 이름도 달지 않습니다.
    다른 색(예: 파란 샘플 점)을 위에 겹쳐 그릴 때 클래스 색과 섞이지 않게 하려는 것입니다.
    """
    _axes(ax)
    z = validate.latent_points(z, 2, "z").detach().cpu().numpy()
    labels = validate.class_labels(labels, len(z), "labels")
    size = _positive(size, "size")
    alpha = validate.real(alpha, "alpha", minimum=0.0, kind=ArgumentError)
    if alpha > 1:
        raise ArgumentError(f"alpha(투명도)는 0–1 사이여야 합니다. 받은 값: {alpha:g}.",
                            f"alpha (opacity) must lie in [0, 1], got {alpha:g}.")
    legend, names = _flag(legend, "legend"), _flag(names, "names")
    if color is not None:
        _color(color)
        ax.scatter(z[:, 0], z[:, 1], color=color, s=size, alpha=alpha, linewidths=0)
        legend = names = False
    else:
        ax.scatter(z[:, 0], z[:, 1], c=labels, cmap=LABEL_CMAP, vmin=-0.5, vmax=9.5,
                   s=size, alpha=alpha, linewidths=0)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if legend:
        ax.legend(handles=class_legend_handles(), title="레이블", loc="center left",
                  bbox_to_anchor=(1.01, 0.5), frameon=False)
    if color is None:
        if names:
            name_clusters(ax, z, np.asarray(labels))
        else:  # 이름 없는 클래스 산점도도 표시를 남겨 테스트가 찾아냄
            _record_class_names(ax.figure, sorted({int(v) for v in np.asarray(labels)}), [])
    return ax


def plot_latent_space(z, labels, title: str = "잠재 공간 (레이블 색)", figsize=(7.5, 6), color: str | None = None):
    """그림 3-8: 테스트 이미지의 임베딩 (N, 2)을 레이블 (N,) 0–9의 색으로 (``color``를 주면 그 한 색으로, 그림 3-7처럼)."""
    z = validate.latent_points(z, 2, "z").detach().cpu()  # 그림을 만들기 전에 확인
    labels = validate.class_labels(labels, len(z), "labels")
    _text(title, "title")
    _figsize(figsize)
    if color is not None:
        _color(color)
    fig, ax = plt.subplots(figsize=figsize)
    scatter_latent(ax, z, labels, size=5, alpha=0.8, color=color)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_decoded_grid(model, z, labels, n: int = 12, margin: float = 0.0, figsize=(9, 9)):
    """그림 3-9: 임베딩 (N, 2)(배경)을 덮는 n×n 격자점마다 디코딩한 이미지를 그 자리에 그립니다.

    ``z``: 유한한 실수 (N, 2), ``labels``: (N,) 0–9, ``n``: 1 이상의 정수. 잘못된 값은 그리기 전에 거절합니다.
    """
    validate.checked_model(model, "plot_decoded_grid", needs=("decode",))
    z = validate.latent_points(z, 2, "z").detach().cpu()
    validate.class_labels(labels, len(z), "labels")
    n = validate.integer(n, "n", minimum=1, kind=ArgumentError)
    margin = validate.real(margin, "margin", minimum=0.0, kind=ArgumentError)  # 음수면 상자가 줄다가 뒤집힘
    _figsize(figsize)
    _spread_box(z, "z", "plot_decoded_grid")
    lo, hi = latent.bounds(z, margin)
    points = latent.grid(lo, hi, n)
    images = latent.decode(model, points).squeeze(1).numpy()
    fig, ax = plt.subplots(figsize=figsize)
    scatter_latent(ax, z, labels, size=7, alpha=0.6)  # 이미지 사이로 보이도록 큼직하게 (책의 그림처럼)
    w, h = (hi - lo).numpy() / n * 0.9
    for (x, y), img in zip(points.numpy(), images):
        # 옷은 불투명하게, 빈 배경은 투명하게: 뒤의 임베딩이 이미지 사이로 보입니다
        ax.imshow(img, cmap="gray_r", vmin=0, vmax=1, alpha=np.clip(img * 2.5, 0, 1), interpolation="nearest",
                  extent=(x - w / 2, x + w / 2, y - h / 2, y + h / 2), zorder=3)
    ax.set_xlim(lo[0] - w, hi[0] + w)
    ax.set_ylim(lo[1] - h, hi[1] + h)
    ax.set_aspect("auto")
    ax.set_title(f"잠재 공간의 {n}×{n} 격자점을 디코딩한 이미지")
    fig.tight_layout()
    return fig


def plot_decoded_mosaic(model, points, n: int, z=None, labels=None, title: str | None = None,
                        tile: float = 0.45):
    """n×n 격자점(``latent.grid``·``latent.normal_grid`` 순서: 행은 z₂가 큰 쪽부터)을 디코딩해 바둑판으로 그립니다.

    ``z``와 ``labels``를 주면 왼쪽에 임베딩 산점도와 격자점(검은 점)을 함께 그립니다 (책의 VAE 그림처럼).
    격자 간격이 고르지 않아도(예: 정규분포 분위수) 이미지는 같은 크기의 칸에 놓입니다.
    """
    validate.checked_model(model, "plot_decoded_mosaic", needs=("decode",))
    n = validate.integer(n, "n", minimum=1, kind=ArgumentError)
    points = validate.latent_points(points, 2, "points").detach().cpu()
    if points.shape != (n * n, 2):
        raise ShapeError(f"격자점 points는 (n*n, 2) = ({n * n}, 2) 모양이어야 합니다. 받은 모양: {tuple(points.shape)}.",
                         f"points must be shaped (n*n, 2) = ({n * n}, 2), got {tuple(points.shape)}.")
    if z is not None:
        validate.class_labels(labels, len(validate.latent_points(z, 2, "z")), "labels")
    elif labels is not None:
        raise ArgumentError("labels는 z(임베딩)와 함께 줄 때만 씁니다: z도 주거나 labels를 빼세요.",
                            "labels is only used together with z (the embeddings): pass z too or leave labels out.")
    _text(title, "title", optional=True)
    tile = _positive(tile, "tile")
    images = latent.decode(model, points).squeeze(1).numpy()
    side = n * tile
    with_scatter = z is not None
    fig = plt.figure(figsize=(side + (side + 0.8 if with_scatter else 0) + 0.4, side + 0.9))
    if with_scatter:
        outer = fig.add_gridspec(1, 2, width_ratios=[1, 1], wspace=0.1, left=0.07, right=0.99, top=0.9, bottom=0.08)
        ax = fig.add_subplot(outer[0])
        scatter_latent(ax, z, labels, size=4, alpha=0.7, legend=False)
        p = points.numpy()
        ax.scatter(p[:, 0], p[:, 1], s=6, color="black", zorder=3)
        ax.set_title("임베딩(색 = 레이블)과 격자점(검은 점)", fontsize=10)
        mosaic = outer[1].subgridspec(n, n, wspace=0.04, hspace=0.04)
    else:
        mosaic = fig.add_gridspec(n, n, wspace=0.04, hspace=0.04, left=0.02, right=0.98, top=0.9, bottom=0.02)
    for i in range(n * n):
        _gray(fig.add_subplot(mosaic[i // n, i % n]), images[i])
    if title:
        fig.suptitle(title)
    return fig


_OFFSETS = [(6, 6), (6, -14), (-14, 6), (-14, -14), (10, -4), (-18, -4), (-4, 10), (-4, -18)]


_NAME_OFFSETS = [(0, 0), (0, 12), (0, -12), (14, 0), (-14, 0), (12, 12), (-12, -12), (12, -12), (-12, 12),
                 (0, 24), (0, -24)]


def annotate_points(ax, points, texts, fontsize: float = 10, color: str = "black", pad: float = 2.0,
                    weight: str = "normal", stroke: float = 3.0, offsets=None, draw: bool = True):
    """점마다 글자(예: 번호)를 붙이되, 이미 놓은 글자와 겹치지 않는 쪽(여덟 방향 중)을 골라 놓습니다.

    글자에는 흰 테두리를 둘러 산점도 위에서도 읽히게 합니다. 놓은 ``Text`` 목록을 돌려줍니다.
    ``draw=False``: 그림의 배치(축 범위·여백)가 이미 정해져 그려져 있을 때, 자리를 재려고 한 번 더 그리지 않음.
    """
    import matplotlib.patheffects as pe

    _axes(ax)
    try:
        where = np.asarray(points.detach().cpu() if isinstance(points, torch.Tensor) else points, dtype=float)
    except (TypeError, ValueError):
        where = None
    if where is None or (where.size and (where.ndim != 2 or where.shape[1] != 2)):
        raise ShapeError(f"points는 (N, 2) 점 목록이어야 합니다. 받은 값: {validate.describe(points)}.",
                         f"points must be a list of (x, y) points shaped (N, 2), got {validate.describe_en(points)}.")
    if not np.isfinite(where).all():
        raise ArgumentError("points에 NaN 또는 무한대가 있습니다: 글자를 놓을 자리는 유한한 좌표여야 합니다.",
                            "points contain NaN or infinity: labels need finite positions.")
    if isinstance(texts, (str, bytes)) or not hasattr(texts, "__len__") or len(texts) != len(where):
        count = len(texts) if hasattr(texts, "__len__") and not isinstance(texts, (str, bytes)) else validate.describe(texts)
        raise ShapeError(f"texts는 점마다 글자 하나씩 {len(where)}개인 목록이어야 합니다. 받은 것: {count}.",
                         f"texts needs one string per point ({len(where)}), got {count}.")
    fontsize = _positive(fontsize, "fontsize")
    _color(color)
    pad = validate.real(pad, "pad", minimum=0.0, kind=ArgumentError)
    stroke = validate.real(stroke, "stroke", minimum=0.0, kind=ArgumentError)
    _text(weight, "weight")
    if offsets is not None:
        try:
            shifts = np.asarray(offsets, dtype=float)
        except (TypeError, ValueError):
            shifts = None
        if shifts is None or shifts.ndim != 2 or shifts.shape[1] != 2 or not len(shifts) or not np.isfinite(shifts).all():
            raise ArgumentError(f"offsets는 (dx, dy) 포인트 쌍의 목록(또는 None)이어야 합니다. 받은 값: {validate.describe(offsets)}.",
                                f"offsets must be a list of (dx, dy) pairs in points (or None), got {validate.describe_en(offsets)}.")
    draw = _flag(draw, "draw")
    fig = ax.figure
    if draw:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed, boxes = [], []
    for (x, y), text in zip(np.asarray(points, dtype=float), texts):
        best = None
        for dx, dy in offsets or _OFFSETS:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                            color=color, zorder=5, weight=weight, ha="center" if offsets else "left",
                            va="center" if offsets else "baseline",
                            path_effects=[pe.withStroke(linewidth=stroke, foreground="white")])
            box = t.get_window_extent(renderer).expanded(1.0, 1.0).padded(pad)
            overlap = sum(max(0, min(box.x1, b.x1) - max(box.x0, b.x0)) * max(0, min(box.y1, b.y1) - max(box.y0, b.y0))
                          for b in boxes)
            if best is None or overlap < best[0]:
                if best is not None:
                    best[1].remove()
                best = (overlap, t, box)
            else:
                t.remove()
            if overlap == 0:
                break
        placed.append(best[1])
        boxes.append(best[2])
    return placed

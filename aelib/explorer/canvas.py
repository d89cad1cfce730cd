"""탐색기가 함께 쓰는 그림: 디코딩한 이미지 ↔ PNG, 한 번 그린 잠재 공간 산점도(``LatentCanvas``).

산점도는 matplotlib(Agg)로 처음에 한 번만 그려 팔레트 이미지로 두고, 데이터 → 픽셀 변환을 기억해 둡니다.
브라우저는 이 바탕 그림(PNG)과 변환(``transform()``)을 받아 과녁·직선을 직접 그리고, 파이썬 쪽은 같은 그림을
PIL로 그립니다 (커널 경로와 시험용).
"""

import io
import numbers

import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from .. import validate
from ..errors import ArgumentError, LatentValueError, ShapeError
from ..fonts import korean_font_files
from ..labels import CLASSES
from ..plotting import name_clusters, scatter_latent  # 가져오면서 한국어 글꼴도 등록됨

IMAGE_PIXELS = 32
DECODED_SCALE = 8  # 32 × 8 = 256 픽셀
ORIGINAL_SCALE = 4  # 보간 위젯의 원본 두 장: 128 픽셀
PNG_LEVEL = 1  # zlib 압축 수준: 빠른 쪽
MAX_SCALE = 64  # 확대 배율의 끝: 32 × 64 = 2048 픽셀
MAX_DPI = 1000


# ---------------------------------------------------------------------------
# 인자 확인 (모두 탐색 위젯용 오류 ``ExplorerValueError``와 그 자식)


def _image01(image01) -> np.ndarray:
    """화면에 보일 이미지 한 장: 실수 [0, 1], 모양 (32, 32) (앞에 크기 1인 차원은 됨: (1, 32, 32) 등)."""
    if isinstance(image01, torch.Tensor):
        t = image01.detach().cpu()
    else:
        try:
            t = torch.as_tensor(np.asarray(image01))
        except (TypeError, ValueError, RuntimeError):
            t = None
        if t is None:
            validate.fail(ShapeError, f"image01은(는) (32, 32) 이미지여야 합니다. 받은 값: {validate.describe(image01)}.",
                          f"image01 must be an image shaped (32, 32), got {validate.describe_en(image01)}.", widget=True)
    shape = tuple(t.shape)
    if len(shape) < 2 or shape[-2:] != (IMAGE_PIXELS, IMAGE_PIXELS) or int(np.prod(shape[:-2], dtype=np.int64)) != 1:
        validate.fail(ShapeError, f"image01은(는) 이미지 한 장 (32, 32)이어야 합니다 (또는 (1, 32, 32)). 받은 모양: {shape}.",
                      f"image01 must be one image shaped (32, 32) (or (1, 32, 32)), got shape {shape}.", widget=True)
    validate.image_values(t, "image01", widget=True)
    return t.numpy()


def _real(v, name: str) -> float:
    """유한한 실수 하나 (bool·글자는 거절)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, torch.Tensor, np.ndarray)):
        validate.fail(LatentValueError, f"{name}은(는) 실수여야 합니다. 받은 값: {validate.describe(v)}.",
                      f"{name} must be a real number, got {validate.describe_en(v)}.", widget=True)
    return validate.real(v, name, kind=LatentValueError, widget=True)


def _drawing(draw) -> None:
    if not isinstance(draw, ImageDraw.ImageDraw):
        validate.fail(ArgumentError, f"draw는 LatentCanvas.start()가 돌려준 그리기 도구여야 합니다. 받은 값: {validate.describe(draw)}.",
                      f"draw must be the drawing tool returned by LatentCanvas.start(), got {validate.describe_en(draw)}.",
                      widget=True)


def to_uint8(image01) -> np.ndarray:
    """[0, 1] 이미지 → 화면에 보이는 uint8 회색조: 책의 그림처럼 흰 바탕(0)에 검은 옷(1).

    값 v는 ``round(255 × (1 − v))``가 됩니다. 0–255 이미지·NaN·모양이 다른 것은 ``ExplorerValueError``.
    """
    a = np.asarray(_image01(image01), dtype=np.float32).reshape(IMAGE_PIXELS, IMAGE_PIXELS)
    return np.rint((1.0 - np.clip(a, 0.0, 1.0)) * 255.0).astype(np.uint8)


def image_png(image01, scale: int = DECODED_SCALE) -> bytes:
    """[0, 1] 32×32 이미지를 ``scale``배 최근접 이웃 확대한 회색조 PNG 바이트로. ``scale``: 1 – 64의 정수."""
    scale = validate.integer(scale, "scale", minimum=1, kind=ArgumentError, widget=True)
    if scale > MAX_SCALE:
        validate.fail(ArgumentError, f"scale {scale}은(는) 너무 큽니다: 1 – {MAX_SCALE} 중에서 고르세요 "
                                     f"({IMAGE_PIXELS} × {MAX_SCALE} = {IMAGE_PIXELS * MAX_SCALE} 픽셀).",
                      f"scale {scale} is too large; choose 1 to {MAX_SCALE} "
                      f"({IMAGE_PIXELS} x {MAX_SCALE} = {IMAGE_PIXELS * MAX_SCALE} pixels).", widget=True)
    pil = Image.fromarray(to_uint8(image01), mode="L")
    pil = pil.resize((IMAGE_PIXELS * scale, IMAGE_PIXELS * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    pil.save(buf, format="PNG", compress_level=PNG_LEVEL)
    return buf.getvalue()


def png_to_array(png: bytes) -> np.ndarray:
    """PNG 바이트 → numpy 배열 (테스트와 확인용). PNG가 아닌 바이트는 ``ExplorerValueError``."""
    if not isinstance(png, (bytes, bytearray, memoryview)):
        validate.fail(ArgumentError, f"png는 PNG 파일의 바이트여야 합니다 (예: explorer.decoded_image.value). "
                                     f"받은 값: {validate.describe(png)}.",
                      f"png must be the bytes of a PNG file (e.g. explorer.decoded_image.value), "
                      f"got {validate.describe_en(png)}.", widget=True)
    try:
        image = Image.open(io.BytesIO(png))
        if image.format != "PNG":
            raise UnidentifiedImageError(image.format)
        return np.asarray(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        validate.fail(ArgumentError, f"png의 바이트({len(png)}바이트)를 PNG 그림으로 읽을 수 없습니다 ({type(exc).__name__}). "
                                     "image_png(...)나 위젯의 그림 값처럼 PNG 바이트를 주세요.",
                      f"The {len(png)} bytes of png cannot be read as a PNG image ({type(exc).__name__}). "
                      "Pass PNG bytes such as those of image_png(...) or a widget's image value.", widget=True)


# ---------------------------------------------------------------------------
# 한 번 그린 산점도 + 그 위에 덧그리기


class LatentCanvas:
    """잠재 공간 산점도를 한 번만 그려 두고, 표시만 덧그려 PNG로 만드는 캔버스.

    바탕 그림은 팔레트(256색) 이미지로 한 번 바꿔 두어 PNG 만들기가 빠르고 (RGB의 약 1/7 시간),
    표시에 쓰는 색(``INK``)은 팔레트 끝에 따로 넣어 둡니다.
    ``pixel(z1, z2)``: 데이터 좌표 → 이미지 픽셀 좌표 (x는 오른쪽, y는 아래쪽으로 증가).
    """

    INK = {"black": (0, 0, 0), "white": (255, 255, 255), "gray": (150, 150, 150)}

    def __init__(self, z, labels, lo, hi, title: str, figsize=(6.4, 4.8), dpi: int = 100, axis_labels=None):
        self._check(z, labels, lo, hi, title, figsize, dpi, axis_labels)
        fig = Figure(figsize=figsize, dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        scatter_latent(ax, z, labels, size=3, alpha=0.5, names=False)  # 클래스 이름은 켜고 끄는 겹쳐 그리기로
        ax.set_xlim(float(lo[0]), float(hi[0]))
        ax.set_ylim(float(lo[1]), float(hi[1]))
        ax.set_title(title, fontsize=11)
        if axis_labels:
            ax.set_xlabel(axis_labels[0])
            ax.set_ylabel(axis_labels[1])
        fig.subplots_adjust(left=0.12, right=0.72, bottom=0.11, top=0.92)
        canvas.draw()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy(), mode="RGB")
        self.base = rgb.quantize(colors=256 - len(self.INK), method=Image.Quantize.MEDIANCUT,
                                 dither=Image.Dither.NONE)
        # 양자화가 쓴 색까지만 (Pillow 10.0은 쓰지 않은 칸까지 256색을 돌려줌) — 그 뒤에 표시용 잉크 색을 붙임
        palette = self.base.getpalette()[: 3 * (256 - len(self.INK))]
        used = len(palette) // 3
        self.ink = {name: used + i for i, name in enumerate(self.INK)}
        self.base.putpalette(palette + [v for rgb_ in self.INK.values() for v in rgb_])
        self.width, self.height = self.base.size
        # 축이 선형이므로 데이터 → 화면 변환은 축마다 a·x + b. matplotlib 화면 좌표는 아래가 0.
        (x0, y0), (x1, y1) = ax.transData.transform([[0.0, 0.0], [1.0, 1.0]])
        self._ax, self._bx = x1 - x0, x0
        self._ay, self._by = y1 - y0, y0
        bbox = ax.get_window_extent()
        self.axes_box = (bbox.x0, self.height - bbox.y1, bbox.x1, self.height - bbox.y0)  # 픽셀 (왼, 위, 오른, 아래)
        self.font = ImageFont.load_default(size=15)
        self.name_points = self._name_points(ax, canvas, z, labels)
        self.named = self._with_names(self.base)

    @staticmethod
    def _check(z, labels, lo, hi, title, figsize, dpi, axis_labels) -> None:
        """그리기 전에: 임베딩 (N, 2)와 레이블 0–9, 축 범위 lo < hi (유한), 제목, 그림 크기, dpi, 축 이름."""
        n = len(validate.latent_points(z, 2, "z", widget=True))
        validate.class_labels(labels, n, "labels", widget=True)
        lo = validate.finite_vector(lo, 2, "lo", widget=True).tolist()
        hi = validate.finite_vector(hi, 2, "hi", widget=True).tolist()
        if not (lo[0] < hi[0] and lo[1] < hi[1]):
            validate.fail(ArgumentError, f"축 범위는 lo < hi여야 합니다 (두 축 모두): lo = {lo}, hi = {hi}. "
                                         "폭이 0이거나 뒤집힌 상자에는 산점도를 그릴 수 없습니다.",
                          f"The axis range needs lo < hi on both axes, got lo = {lo}, hi = {hi}. "
                          "A box of zero width or turned inside out cannot hold the scatter plot.", widget=True)
        if not isinstance(title, str):
            validate.fail(ArgumentError, f"title은 글자(str)여야 합니다. 받은 값: {validate.describe(title)}.",
                          f"title must be a string, got {validate.describe_en(title)}.", widget=True)
        if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
            validate.fail(ArgumentError, f"figsize는 (너비, 높이) 인치 두 개여야 합니다. 받은 값: {validate.describe(figsize)}.",
                          f"figsize must be two numbers (width, height) in inches, got {validate.describe_en(figsize)}.",
                          widget=True)
        for i, v in enumerate(figsize):
            validate.real(v, f"figsize[{i}]", positive=True, kind=ArgumentError, widget=True)
        dpi = validate.integer(dpi, "dpi", minimum=1, kind=ArgumentError, widget=True)
        if dpi > MAX_DPI:
            validate.fail(ArgumentError, f"dpi {dpi}은(는) 너무 큽니다: 1 – {MAX_DPI} 중에서 고르세요.",
                          f"dpi {dpi} is too large; choose 1 to {MAX_DPI}.", widget=True)
        if axis_labels is not None and (not isinstance(axis_labels, (tuple, list)) or len(axis_labels) != 2
                                        or not all(isinstance(a, str) for a in axis_labels)):
            validate.fail(ArgumentError, f"axis_labels는 글자 두 개(또는 None)여야 합니다. 받은 값: {validate.describe(axis_labels)}.",
                          f"axis_labels must be two strings (or None), got {validate.describe_en(axis_labels)}.",
                          widget=True)

    @staticmethod
    def _name_points(ax, canvas, z, labels) -> list:
        """클래스마다 이름 글자의 가운데 (데이터 좌표): 노트북 그림의 ``name_clusters``가 겹치지 않게 고른 자리.
        바탕 그림에는 넣지 않고 (페이지가 켜고 끄며 그림) 자리만 잽니다. 그 클래스가 없으면 None."""
        labels = np.asarray(labels)
        present = [c.id for c in CLASSES if np.any(labels == c.id)]
        texts = name_clusters(ax, np.asarray(z, dtype=float), labels, draw=False)
        renderer = canvas.get_renderer()
        to_data = ax.transData.inverted()
        points = [None] * len(CLASSES)
        for cls, text in zip(present, texts):
            box = text.get_window_extent(renderer)
            points[cls] = to_data.transform([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]).tolist()
            text.remove()
        return points

    def _with_names(self, base: Image.Image) -> Image.Image:
        """파이썬 쪽 그림(커널 경로의 시험용 접근자)에도 페이지처럼 클래스 이름: 검은 글자에 흰 테두리."""
        files = [f for f in korean_font_files() if f.name == "NanumGothicBold.ttf"] or korean_font_files()
        if not files:
            return base  # 한국어 글꼴이 없으면 이름 없이 (글꼴 경고는 matplotlib 쪽에서 이미 냄)
        font = ImageFont.truetype(str(files[0]), 12)
        img = base.copy()
        draw = ImageDraw.Draw(img)
        for c, point in zip(CLASSES, self.name_points):
            if point is not None:
                draw.text(self.pixel(*point), c.korean, fill=self.ink["black"], font=font, anchor="mm",
                          stroke_width=2, stroke_fill=self.ink["white"])
        return img

    def pixel(self, z1: float, z2: float) -> tuple[float, float]:
        """데이터 좌표 (z₁, z₂) → 이미지 픽셀 (x, y). 좌표는 유한한 실수."""
        z1, z2 = _real(z1, "z1"), _real(z2, "z2")
        return self._ax * z1 + self._bx, self.height - (self._ay * z2 + self._by)

    def start(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """바탕 그림(클래스 이름을 쓴 것)의 복사본과 그 위에 그릴 도구."""
        img = self.named.copy()
        return img, ImageDraw.Draw(img)

    def crosshair(self, draw, z1, z2):
        """축 안에 점을 지나는 가는 가로·세로 선."""
        _drawing(draw)
        x, y = self.pixel(z1, z2)
        left, top, right, bottom = self.axes_box
        draw.line([(left, y), (right, y)], fill=self.ink["gray"], width=1)
        draw.line([(x, top), (x, bottom)], fill=self.ink["gray"], width=1)

    def target(self, draw, z1, z2, radius=8):
        """지금 위치 표시: 흰 원, 굵은 검은 테두리, 가운데 검은 점 (표 3-3의 어떤 색과도 헷갈리지 않음)."""
        _drawing(draw)
        radius = validate.real(radius, "radius", positive=True, kind=ArgumentError, widget=True)
        x, y = self.pixel(z1, z2)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius],
                     fill=self.ink["white"], outline=self.ink["black"], width=3)
        draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=self.ink["black"])

    def endpoint(self, draw, z1, z2, text, half=6):
        """끝점 표시: 흰 네모와 글자."""
        _drawing(draw)
        half = validate.real(half, "half", positive=True, kind=ArgumentError, widget=True)
        if not isinstance(text, str):
            validate.fail(ArgumentError, f"text는 글자(str)여야 합니다. 받은 값: {validate.describe(text)}.",
                          f"text must be a string, got {validate.describe_en(text)}.", widget=True)
        x, y = self.pixel(z1, z2)
        draw.rectangle([x - half, y - half, x + half, y + half], fill=self.ink["white"],
                       outline=self.ink["black"], width=2)
        draw.text((x + half + 3, y - half - 14), text, fill=self.ink["black"], font=self.font,
                  stroke_width=2, stroke_fill=self.ink["white"])

    def path(self, draw, a, b):
        """두 점 a, b (각각 (z₁, z₂))를 잇는 검은 선."""
        _drawing(draw)
        for name, point in (("a", a), ("b", b)):
            if isinstance(point, (str, bytes)) or not hasattr(point, "__len__") or len(point) != 2:
                validate.fail(ShapeError, f"{name}은(는) 점 하나 (z₁, z₂)여야 합니다. 받은 값: {validate.describe(point)}.",
                              f"{name} must be one point (z1, z2), got {validate.describe_en(point)}.", widget=True)
        draw.line([self.pixel(*a), self.pixel(*b)], fill=self.ink["black"], width=2)

    def transform(self) -> dict:
        """브라우저가 같은 자리에 그리도록: x = ax·z₁ + bx, y = height − (ay·z₂ + by), 축 상자 (왼, 위, 오른, 아래)."""
        return {"ax": self._ax, "bx": self._bx, "ay": self._ay, "by": self._by, "width": self.width,
                "height": self.height, "box": [float(v) for v in self.axes_box]}

    def base_png(self) -> bytes:
        """표시 없는 바탕 그림 (PNG, 가장 작게 압축: 브라우저로 한 번만 보냄)."""
        buf = io.BytesIO()
        self.base.save(buf, format="PNG", optimize=True)
        return buf.getvalue()

    @staticmethod
    def png(img: Image.Image) -> bytes:
        """그림 (``start()``의 것) → PNG 바이트."""
        if not isinstance(img, Image.Image):
            validate.fail(ArgumentError, f"img는 PIL 그림이어야 합니다 (LatentCanvas.start()의 것). 받은 값: {validate.describe(img)}.",
                          f"img must be a PIL image (from LatentCanvas.start()), got {validate.describe_en(img)}.",
                          widget=True)
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=PNG_LEVEL)
        return buf.getvalue()



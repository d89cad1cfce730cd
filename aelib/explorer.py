"""잠재 공간 탐색 위젯: 슬라이더로 무한 옷장(잠재 공간)의 한 점을 골라 디코더(브라이언)의 옷을 봅니다.

- ``LatentExplorer``: z₁, z₂ 슬라이더 → 산점도 위의 표시 + 디코딩한 이미지 + 가장 가까운 클래스와 거리.
- ``InterpolationExplorer``: 아이템 A와 B를 고르고, t ∈ [0, 1]로 두 임베딩을 잇는 직선 위를 걷습니다.
- ``CompareExplorer``: 같은 (z₁, z₂)를 오토인코더와 VAE의 디코더에 함께 넣어 두 옷을 나란히 봅니다.

빠르고(슬라이더 한 칸에 수 ms) 엄격한 nbval에서도 안정적이도록 그림은 모두 ``widgets.Image``입니다.
산점도는 matplotlib(Agg)로 처음에 한 번만 그려 RGBA 배열로 두고, 데이터 → 픽셀 변환을 기억해 두었다가
슬라이더가 움직일 때마다 그 복사본에 표시만 PIL로 덧그려 PNG로 보냅니다.
디코딩한 32×32 이미지는 최근접 이웃 방식으로 정수 배 확대해 픽셀이 또렷하게 보입니다.
"""

import html
import io
import math

import ipywidgets as widgets
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFont
from torch.utils.data import TensorDataset

from . import latent, validate
from .errors import ExplorerShapeError, ExplorerValueError
from .labels import CLASSES, KOREAN_NAMES
from .plotting import scatter_latent  # 가져오면서 한국어 글꼴도 등록됨
from .problems import data_threshold

IMAGE_PIXELS = 32
DECODED_SCALE = 8  # 32 × 8 = 256 픽셀
ORIGINAL_SCALE = 4  # 보간 위젯의 원본 두 장: 128 픽셀
PNG_LEVEL = 1  # zlib 압축 수준: 빠른 쪽 (크기는 조금 커도 로컬 전송은 충분히 빠름)


# ---------------------------------------------------------------------------
# 이미지 ↔ PNG


def to_uint8(image01) -> np.ndarray:
    """[0, 1] 이미지 → 화면에 보이는 uint8 회색조: 책의 그림처럼 흰 바탕(0)에 검은 옷(1).

    값 v는 ``round(255 × (1 − v))``가 됩니다.
    """
    a = np.asarray(image01, dtype=np.float32).reshape(IMAGE_PIXELS, IMAGE_PIXELS)
    return np.rint((1.0 - np.clip(a, 0.0, 1.0)) * 255.0).astype(np.uint8)


def image_png(image01, scale: int = DECODED_SCALE) -> bytes:
    """[0, 1] 32×32 이미지를 ``scale``배 최근접 이웃 확대한 회색조 PNG 바이트로."""
    pil = Image.fromarray(to_uint8(image01), mode="L")
    pil = pil.resize((IMAGE_PIXELS * scale, IMAGE_PIXELS * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    pil.save(buf, format="PNG", compress_level=PNG_LEVEL)
    return buf.getvalue()


def png_to_array(png: bytes) -> np.ndarray:
    """PNG 바이트 → numpy 배열 (테스트와 확인용)."""
    return np.asarray(Image.open(io.BytesIO(png)))


def _check_point(z1, z2) -> tuple[float, float]:
    try:
        z1, z2 = float(z1), float(z2)
    except (TypeError, ValueError) as exc:
        raise ExplorerValueError(
            f"잠재 공간의 점은 실수 두 개여야 합니다: ({z1!r}, {z2!r})",
            f"A latent point must be two real numbers, got ({z1!r}, {z2!r})",
        ) from exc
    if not (math.isfinite(z1) and math.isfinite(z2)):
        raise ExplorerValueError(
            f"잠재 공간의 점은 유한한 값이어야 합니다 (NaN·무한대 불가): ({z1}, {z2})",
            f"A latent point must be finite (no NaN or infinity), got ({z1}, {z2})",
        )
    return z1, z2


def _as_embeddings(z, name: str = "z") -> torch.Tensor:
    """(N, 2) 유한한 실수 임베딩 (N ≥ 2) → float32 CPU 텐서. float64·정수·numpy·목록은 바꾸고, 나머지는 거절."""
    return validate.latent_points(z, 2, name, widget=True, min_points=2).detach().cpu()


def _as_labels(labels, n: int) -> np.ndarray:
    """임베딩마다 하나씩, 표 3-3의 번호 0–9 → int64 배열."""
    return validate.class_labels(labels, n, "labels", widget=True)


# ---------------------------------------------------------------------------
# 한 번 그린 산점도 + 그 위에 덧그리기


class LatentCanvas:
    """잠재 공간 산점도를 한 번만 그려 두고, 표시만 덧그려 PNG로 만드는 캔버스.

    바탕 그림은 팔레트(256색) 이미지로 한 번 바꿔 두어 PNG 만들기가 빠르고 (RGB의 약 1/7 시간),
    표시에 쓰는 색(``INK``)은 팔레트 끝에 따로 넣어 둡니다.
    ``pixel(z1, z2)``: 데이터 좌표 → 이미지 픽셀 좌표 (x는 오른쪽, y는 아래쪽으로 증가).
    """

    INK = {"black": (0, 0, 0), "white": (255, 255, 255), "gray": (150, 150, 150)}

    def __init__(self, z, labels, lo, hi, title: str, figsize=(6.4, 4.8), dpi: int = 100):
        fig = Figure(figsize=figsize, dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        scatter_latent(ax, z, labels, size=3, alpha=0.5)
        ax.set_xlim(float(lo[0]), float(hi[0]))
        ax.set_ylim(float(lo[1]), float(hi[1]))
        ax.set_title(title, fontsize=11)
        fig.subplots_adjust(left=0.12, right=0.72, bottom=0.11, top=0.92)
        canvas.draw()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy(), mode="RGB")
        self.base = rgb.quantize(colors=256 - len(self.INK), method=Image.Quantize.MEDIANCUT,
                                 dither=Image.Dither.NONE)
        palette = self.base.getpalette()
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

    def pixel(self, z1: float, z2: float) -> tuple[float, float]:
        """데이터 좌표 (z₁, z₂) → 이미지 픽셀 (x, y)."""
        return self._ax * z1 + self._bx, self.height - (self._ay * z2 + self._by)

    def start(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """바탕 그림의 복사본과 그 위에 그릴 도구."""
        img = self.base.copy()
        return img, ImageDraw.Draw(img)

    def crosshair(self, draw, z1, z2):
        """축 안에 점을 지나는 가는 가로·세로 선."""
        x, y = self.pixel(z1, z2)
        left, top, right, bottom = self.axes_box
        draw.line([(left, y), (right, y)], fill=self.ink["gray"], width=1)
        draw.line([(x, top), (x, bottom)], fill=self.ink["gray"], width=1)

    def target(self, draw, z1, z2, radius=8):
        """지금 위치 표시: 흰 원, 굵은 검은 테두리, 가운데 검은 점 (표 3-3의 어떤 색과도 헷갈리지 않음)."""
        x, y = self.pixel(z1, z2)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius],
                     fill=self.ink["white"], outline=self.ink["black"], width=3)
        draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=self.ink["black"])

    def endpoint(self, draw, z1, z2, text, half=6):
        """끝점 표시: 흰 네모와 글자."""
        x, y = self.pixel(z1, z2)
        draw.rectangle([x - half, y - half, x + half, y + half], fill=self.ink["white"],
                       outline=self.ink["black"], width=2)
        draw.text((x + half + 3, y - half - 14), text, fill=self.ink["black"], font=self.font,
                  stroke_width=2, stroke_fill=self.ink["white"])

    def path(self, draw, a, b):
        draw.line([self.pixel(*a), self.pixel(*b)], fill=self.ink["black"], width=2)

    @staticmethod
    def png(img: Image.Image) -> bytes:
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=PNG_LEVEL)
        return buf.getvalue()


# ---------------------------------------------------------------------------
# 공통 부분


class _Explorer:
    """두 위젯이 함께 쓰는 것: 모델, 임베딩, 디코딩 한 점, 가장 가까운 임베딩, 표시 방법."""

    widget: widgets.Widget
    _summary = "탐색 위젯"

    def __init__(self, model, z, labels, z_name: str = "z", model_name: str = "model"):
        validate.explorer_model(model, model_name)
        self.model = model
        self.z = _as_embeddings(z, z_name)
        self.labels = _as_labels(labels, len(self.z))
        self._z_np = self.z.numpy().astype(np.float64)
        # "빈 곳"의 기준: 노트북 06과 같은 τ (임베딩끼리 최근접 거리의 95 백분위수)
        self.empty_threshold = data_threshold(self.z)
        self.decoded = None  # 지금 보이는 디코딩 이미지 (32, 32), 값은 [0, 1]

    @torch.no_grad()
    def decode_point(self, z1: float, z2: float) -> np.ndarray:
        """점 하나를 디코딩한 (32, 32) 이미지, 값은 [0, 1].

        점 하나는 스레드 하나로 충분히 빠르고(1 ms 안팎), 다른 프로그램이 CPU를 쓰는 중에는
        여러 스레드가 서로를 기다리느라 수십 ms가 걸리기도 해서 잠깐 스레드 하나로 계산합니다.
        """
        self.model.eval()
        point = torch.tensor([[z1, z2]], dtype=torch.float32)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return self.model.decode(point)[0, 0].numpy()
        finally:
            torch.set_num_threads(threads)

    def nearest(self, z1: float, z2: float) -> tuple[int, float]:
        """가장 가까운 임베딩의 (번호, 거리)."""
        d2 = (self._z_np[:, 0] - z1) ** 2 + (self._z_np[:, 1] - z2) ** 2
        i = int(np.argmin(d2))
        return i, float(math.sqrt(d2[i]))

    def _nearest_html(self, z1: float, z2: float) -> tuple[str, int, float]:
        i, dist = self.nearest(z1, z2)
        c = CLASSES[int(self.labels[i])]
        swatch = f'<span style="color:{c.color}; font-size:1.3em">●</span>'
        text = (f"가장 가까운 임베딩의 클래스: {swatch} <b>{html.escape(c.korean)}</b> ({c.id})<br>"
                f"그 임베딩까지의 거리: <b>{dist:.3f}</b>")
        if dist > self.empty_threshold:
            text += (f"<br><span style='color:#b00'>빈 곳입니다 (τ = {self.empty_threshold:.3f}보다 멂) — "
                     "브라이언이 어떤 옷을 만들까요?</span>")
        return text, int(self.labels[i]), dist

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"{type(self).__name__}({self._summary})"  # 실행마다 같은 글자 (nbval)
        return data

    def _slider(self, description, lo, hi, value, css):
        s = widgets.FloatSlider(
            value=value, min=lo, max=hi, step=(hi - lo) / 200, description=description,
            readout_format=".2f", continuous_update=True, layout=widgets.Layout(width="640px"),
        )
        s.add_class(css)
        return s

    @staticmethod
    def _image(png: bytes, css: str, px: int) -> widgets.Image:
        img = widgets.Image(value=png, format="png", width=px, height=px,
                            layout=widgets.Layout(border="1px solid #999"))
        img.add_class(css)
        return img


# ---------------------------------------------------------------------------
# 슬라이더 두 개로 잠재 공간 돌아다니기


class _PointSliders(_Explorer):
    """z₁, z₂ 슬라이더 두 개로 점 하나를 고르는 위젯의 공통 부분 (``self.z1``, ``self.z2``, ``_update``)."""

    def _watch_sliders(self):
        """첫 그림을 그리고 슬라이더가 움직일 때마다 다시 그리게 합니다."""
        self._last = (self.z1.value, self.z2.value)
        self._holding = False
        self._update()
        self.z1.observe(self._on_change, names="value")
        self.z2.observe(self._on_change, names="value")

    @property
    def point(self) -> tuple[float, float]:
        """지금 고른 점 (z₁, z₂)."""
        return float(self.z1.value), float(self.z2.value)

    # -- 바꾸기
    def set_point(self, z1, z2) -> tuple[float, float]:
        """두 슬라이더를 한꺼번에 옮기고 (범위 밖이면 슬라이더가 끝으로 자름) 실제로 간 점을 돌려줍니다.

        NaN이나 무한대는 ``ExplorerValueError``로 거절합니다.
        """
        z1, z2 = _check_point(z1, z2)
        self._holding = True
        try:
            self.z1.value, self.z2.value = z1, z2
        finally:
            self._holding = False
        self._update()
        return self.point

    def _on_change(self, change):
        if self._holding:
            return
        if not all(math.isfinite(v) for v in (self.z1.value, self.z2.value)):
            # 코드에서 slider.value = nan을 넣으면 ipywidgets가 받아 버리므로 마지막 정상 값으로 되돌림.
            self._holding = True
            try:
                self.z1.value, self.z2.value = self._last
            finally:
                self._holding = False
        self._update()


class LatentExplorer(_PointSliders):
    """z₁, z₂ 슬라이더로 잠재 공간의 점을 골라 디코딩한 이미지를 봅니다.

    슬라이더 범위는 임베딩을 감싸는 상자를 ``margin`` 비율만큼 넓힌 것이라, 데이터 밖의 빈 곳에도 갈 수 있습니다.
    셀의 마지막 줄에 두면 위젯이 보이고, ``explorer.widget``이 전체 위젯입니다.

    시험용 접근자: ``point`` (z₁, z₂), ``decoded`` (보이는 [0, 1] 이미지), ``readout`` (읽은 글),
    ``nearest_label``, ``nearest_distance``.
    """

    _summary = "z₁, z₂ 슬라이더"

    def __init__(self, model, z, labels, margin: float = 0.15, start=None):
        """``model``: 2차원 잠재 공간의 모델 (``decode``), ``z``: 임베딩 (N, 2) 유한한 실수, ``labels``: (N,) 0–9,
        ``margin``: 0 이상의 실수, ``start``: 처음 점 (z₁, z₂) 또는 None(임베딩의 평균). 잘못된 값은 ``ExplorerValueError``."""
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        start = None if start is None else validate.finite_vector(start, 2, "start", widget=True).tolist()
        super().__init__(model, z, labels)
        lo, hi = latent.bounds(self.z, margin)
        self.lo, self.hi = lo.tolist(), hi.tolist()
        self.canvas = LatentCanvas(self.z, self.labels, self.lo, self.hi,
                                   title="잠재 공간 (과녁 = 지금 고른 위치)")
        if start is None:
            start = self.z.mean(dim=0).tolist()
        z1, z2 = _check_point(*start)

        self.z1 = self._slider("z₁", self.lo[0], self.hi[0], z1, "aelib-z1")
        self.z2 = self._slider("z₂", self.lo[1], self.hi[1], z2, "aelib-z2")
        self.scatter_image = widgets.Image(format="png", width=self.canvas.width, height=self.canvas.height)
        self.scatter_image.add_class("aelib-latent-scatter")
        self.decoded_image = self._image(b"", "aelib-decoded", IMAGE_PIXELS * DECODED_SCALE)
        self.readout_html = widgets.HTML()
        self.readout_html.add_class("aelib-readout")
        title = widgets.HTML("<b>무한 옷장 탐색기</b>: 슬라이더로 옷장의 위치(z₁, z₂)를 고르면 "
                             "스타일리스트 브라이언(디코더)이 그 자리의 옷을 만듭니다.")
        right = widgets.VBox([widgets.HTML("<b>디코딩한 이미지</b>"), self.decoded_image, self.readout_html],
                             layout=widgets.Layout(width="300px"))
        self.widget = widgets.VBox([title, self.z1, self.z2, widgets.HBox([self.scatter_image, right])])
        self.widget.add_class("aelib-latent-explorer")

        self._watch_sliders()

    # -- 상태 읽기
    @property
    def readout(self) -> str:
        """읽은 글 (HTML)."""
        return self.readout_html.value

    def _update(self):
        z1, z2 = self.point
        self._last = (z1, z2)
        self.decoded = self.decode_point(z1, z2)
        img, draw = self.canvas.start()
        self.canvas.crosshair(draw, z1, z2)
        self.canvas.target(draw, z1, z2)
        text, self.nearest_label, self.nearest_distance = self._nearest_html(z1, z2)
        self.scatter_image.value = self.canvas.png(img)
        self.decoded_image.value = image_png(self.decoded)
        self.readout_html.value = f"z = ({z1:.3f}, {z2:.3f})<br>{text}"


# ---------------------------------------------------------------------------
# 두 아이템 사이를 직선으로 걷기


class InterpolationExplorer(_Explorer):
    """아이템 A와 B를 고르고 t ∈ [0, 1]로 두 임베딩을 잇는 직선 z(t) = (1 − t)·z_A + t·z_B 위를 걷습니다.

    ``dataset_or_images``: ``TensorDataset``(이미지, 레이블) 또는 이미지 텐서 (N, 1, 32, 32);
    ``labels``와 ``z``는 같은 순서의 레이블과 임베딩입니다.
    아이템은 클래스(한국어 이름)와 그 클래스 안의 번호로 고릅니다.

    시험용 접근자: ``t``, ``point``, ``decoded``, ``z_a``, ``z_b``, ``index_a``, ``index_b``, ``readout``.
    """

    _summary = "A, B 선택과 t 슬라이더"

    def __init__(self, model, dataset_or_images, labels, z, a=(1, 0), b=(8, 0), margin: float = 0.05):
        """잘못된 값(표 3-3에 없는 클래스, 없는 아이템, [0, 1]이 아닌 이미지, NaN 임베딩 등)은 ``ExplorerValueError``."""
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        a, b = validate.item(a, "a"), validate.item(b, "b")
        z = _as_embeddings(z)
        images = dataset_or_images.tensors[0] if isinstance(dataset_or_images, TensorDataset) else dataset_or_images
        self.images = validate.image_batch(images, "dataset_or_images", widget=True).detach().cpu()
        if len(self.images) != len(z):
            raise ExplorerShapeError(
                f"이미지 수({len(self.images)})와 임베딩 수({len(z)})가 다릅니다: 같은 순서의 이미지·레이블·임베딩을 주세요.",
                f"The number of images ({len(self.images)}) differs from the number of embeddings ({len(z)}): "
                "pass images, labels and embeddings of the same items in the same order.",
            )
        super().__init__(model, z, labels)
        self.members = {c: np.flatnonzero(self.labels == c) for c in range(len(CLASSES))}
        lo, hi = latent.bounds(self.z, margin)
        self.canvas = LatentCanvas(self.z, self.labels, lo.tolist(), hi.tolist(),
                                   title="A에서 B로 가는 직선 (과녁 = t의 위치)")

        options = [(f"{c.id} {c.korean}", c.id) for c in CLASSES if len(self.members[c.id])]
        self.class_a = widgets.Dropdown(options=options, description="A 클래스")
        self.class_b = widgets.Dropdown(options=options, description="B 클래스")
        self.item_a = widgets.IntSlider(min=0, description="A 번호")
        self.item_b = widgets.IntSlider(min=0, description="B 번호")
        self.t_slider = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.01, description="t",
                                            readout_format=".2f", layout=widgets.Layout(width="640px"))
        self.t_slider.add_class("aelib-t")
        self.scatter_image = widgets.Image(format="png", width=self.canvas.width, height=self.canvas.height)
        self.scatter_image.add_class("aelib-path-scatter")
        self.image_a = self._image(b"", "aelib-item-a", IMAGE_PIXELS * ORIGINAL_SCALE)
        self.image_b = self._image(b"", "aelib-item-b", IMAGE_PIXELS * ORIGINAL_SCALE)
        self.decoded_image = self._image(b"", "aelib-interp-decoded", IMAGE_PIXELS * 7)
        self.readout_html = widgets.HTML()
        self.readout_html.add_class("aelib-interp-readout")

        def column(title, child):
            return widgets.VBox([widgets.HTML(f"<b>{title}</b>"), child])

        pictures = widgets.HBox([column("원본 A", self.image_a), column("t에서 디코딩", self.decoded_image),
                                 column("원본 B", self.image_b)])
        self.widget = widgets.VBox([
            widgets.HTML("<b>두 옷 사이 걷기</b>: A와 B를 고르고 t를 0에서 1로 움직이면 "
                         "두 임베딩을 잇는 직선 위의 점을 디코딩합니다."),
            widgets.HBox([widgets.VBox([self.class_a, self.item_a]), widgets.VBox([self.class_b, self.item_b])]),
            self.t_slider,
            widgets.HBox([self.scatter_image, widgets.VBox([pictures, self.readout_html])]),
        ])
        self.widget.add_class("aelib-interpolation-explorer")

        self._holding = True
        try:
            self.set_items(*a, *b)
        finally:
            self._holding = False
        for w in (self.class_a, self.class_b):
            w.observe(self._on_class, names="value")
        for w in (self.item_a, self.item_b):
            w.observe(self._on_item, names="value")
        self.t_slider.observe(self._on_t, names="value")
        self._items_changed()

    # -- 상태 읽기
    @property
    def t(self) -> float:
        return float(self.t_slider.value)

    @property
    def index_a(self) -> int:
        """A의 데이터셋 안 번호."""
        return int(self.members[self.class_a.value][self.item_a.value])

    @property
    def index_b(self) -> int:
        return int(self.members[self.class_b.value][self.item_b.value])

    @property
    def z_a(self) -> tuple[float, float]:
        return tuple(self._z_np[self.index_a].tolist())

    @property
    def z_b(self) -> tuple[float, float]:
        return tuple(self._z_np[self.index_b].tolist())

    @property
    def point(self) -> tuple[float, float]:
        """직선 위의 지금 점 z(t) = (1 − t)·z_A + t·z_B. t = 0, 1에서는 끝점 그대로."""
        t = self.t
        if t == 0.0:
            return self.z_a
        if t == 1.0:
            return self.z_b
        (a1, a2), (b1, b2) = self.z_a, self.z_b
        return (1 - t) * a1 + t * b1, (1 - t) * a2 + t * b2

    @property
    def readout(self) -> str:
        return self.readout_html.value

    # -- 바꾸기
    def set_items(self, class_a: int, index_a: int, class_b: int, index_b: int) -> None:
        """A와 B를 (클래스, 클래스 안 번호)로 한꺼번에 고릅니다.

        클래스는 표 3-3의 0–9, 번호는 이 데이터에서 그 클래스의 0–(개수−1). 아니면 ``ExplorerValueError``.
        """
        class_a, index_a = validate.class_item(class_a, index_a, self.members, "a")
        class_b, index_b = validate.class_item(class_b, index_b, self.members, "b")
        holding, self._holding = self._holding, True
        try:
            self.class_a.value, self.class_b.value = class_a, class_b
            self.item_a.max = len(self.members[class_a]) - 1
            self.item_b.max = len(self.members[class_b]) - 1
            self.item_a.value, self.item_b.value = int(index_a), int(index_b)
        finally:
            self._holding = holding
        if not holding:
            self._items_changed()

    def set_t(self, t) -> float:
        """t를 옮기고 (0–1 밖이면 슬라이더가 끝으로 자름) 실제 t를 돌려줍니다. NaN·무한대는 거절합니다."""
        t, _ = _check_point(t, 0.0)
        self.t_slider.value = t
        return self.t

    def _on_class(self, change):
        if self._holding:
            return
        self._holding = True
        try:
            self.item_a.max = len(self.members[self.class_a.value]) - 1
            self.item_b.max = len(self.members[self.class_b.value]) - 1
        finally:
            self._holding = False
        self._items_changed()

    def _on_item(self, change):
        if not self._holding:
            self._items_changed()

    def _on_t(self, change):
        if self._holding:
            return
        if not math.isfinite(self.t_slider.value):
            self._holding = True
            try:
                self.t_slider.value = 0.0
            finally:
                self._holding = False
        self._update()

    def _items_changed(self):
        self.image_a.value = image_png(self.images[self.index_a], ORIGINAL_SCALE)
        self.image_b.value = image_png(self.images[self.index_b], ORIGINAL_SCALE)
        self._update()

    def _update(self):
        z1, z2 = self.point
        self.decoded = self.decode_point(z1, z2)
        img, draw = self.canvas.start()
        self.canvas.path(draw, self.z_a, self.z_b)
        self.canvas.endpoint(draw, *self.z_a, "A")
        self.canvas.endpoint(draw, *self.z_b, "B")
        self.canvas.target(draw, z1, z2)
        text, self.nearest_label, self.nearest_distance = self._nearest_html(z1, z2)
        self.scatter_image.value = self.canvas.png(img)
        self.decoded_image.value = image_png(self.decoded, 7)
        ka, kb = KOREAN_NAMES[int(self.labels[self.index_a])], KOREAN_NAMES[int(self.labels[self.index_b])]
        self.readout_html.value = (f"A: {html.escape(ka)} (#{self.index_a}) → B: {html.escape(kb)} (#{self.index_b})"
                                   f"<br>t = {self.t:.2f} · z = ({z1:.3f}, {z2:.3f})<br>{text}")


# ---------------------------------------------------------------------------
# 같은 자리, 두 디코더: 오토인코더와 VAE 나란히


class CompareExplorer(_PointSliders):
    """z₁, z₂ 슬라이더 하나로 고른 **같은 점**을 오토인코더와 VAE의 디코더에 함께 넣어 두 이미지를 나란히 봅니다.

    슬라이더 범위는 두 모델의 임베딩을 모두 감싸는 상자(합집합)를 ``margin`` 비율만큼 넓힌 것이고,
    ``scatter=True``이면 모델마다 자기 임베딩의 산점도(두 그림 모두 같은 축 범위)에 지금 점을 과녁으로 표시합니다.
    글에는 모델마다 자기 잠재 공간에서 가장 가까운 임베딩의 클래스와 거리가 나옵니다.

    시험용 접근자: ``point`` (z₁, z₂), ``decoded`` (모델 이름 → 보이는 [0, 1] 이미지), ``decoded_images``
    (모델 이름 → ``widgets.Image``), ``scatter_images``, ``readouts`` (모델 이름 → 글), ``names``.
    """

    _summary = "오토인코더와 VAE, z₁, z₂ 슬라이더"

    def __init__(self, ae, vae, z_ae, z_vae, labels, margin: float = 0.05, start=(0.0, 0.0),
                 scatter: bool = True, names=("오토인코더", "VAE")):
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        start = validate.finite_vector(start, 2, "start", widget=True).tolist()
        self.names = tuple(names) if isinstance(names, (tuple, list)) else ()
        if len(self.names) != 2 or not all(isinstance(n, str) for n in self.names) or self.names[0] == self.names[1]:
            raise ExplorerValueError(f"names는 서로 다른 이름 두 개(오토인코더, VAE)여야 합니다. 받은 값: {names!r}.",
                                     f"names must be two different strings (autoencoder, VAE), got {names!r}.")
        # 모델마다 디코딩·최근접 계산을 맡는 부분 (_Explorer 그대로)
        self.sides = [_Explorer(ae, z_ae, labels, "z_ae", "ae"), _Explorer(vae, z_vae, labels, "z_vae", "vae")]
        both = torch.cat([side.z for side in self.sides])
        lo, hi = latent.bounds(both, margin)
        self.lo, self.hi = lo.tolist(), hi.tolist()
        z1, z2 = _check_point(*start)

        self.z1 = self._slider("z₁", self.lo[0], self.hi[0], z1, "aelib-compare-z1")
        self.z2 = self._slider("z₂", self.lo[1], self.hi[1], z2, "aelib-compare-z2")
        self.canvases = {}
        self.scatter_images = {}
        self.decoded_images = {}
        self.readout_htmls = {}
        self.decoded = {}
        columns = []
        for name, side in zip(self.names, self.sides):
            parts = [widgets.HTML(f"<b>{html.escape(name)}</b>")]
            if scatter:
                canvas = LatentCanvas(side.z, side.labels, self.lo, self.hi,
                                      title=f"{name}의 잠재 공간 (과녁 = 고른 점)", figsize=(4.9, 3.9))
                self.canvases[name] = canvas
                img = widgets.Image(format="png", width=canvas.width, height=canvas.height)
                img.add_class("aelib-compare-scatter")
                self.scatter_images[name] = img
                parts.append(img)
            decoded = self._image(b"", "aelib-compare-decoded", IMAGE_PIXELS * 6)
            self.decoded_images[name] = decoded
            readout = widgets.HTML()
            readout.add_class("aelib-compare-readout")
            self.readout_htmls[name] = readout
            parts += [widgets.HTML("디코딩한 이미지"), decoded, readout]
            columns.append(widgets.VBox(parts, layout=widgets.Layout(width="500px" if scatter else "300px")))
        title = widgets.HTML("<b>같은 자리, 두 스타일리스트</b>: 슬라이더로 고른 같은 점 (z₁, z₂)를 "
                             "오토인코더의 디코더와 VAE의 디코더가 각각 옷으로 만듭니다.")
        self.point_html = widgets.HTML()
        self.widget = widgets.VBox([title, self.z1, self.z2, self.point_html, widgets.HBox(columns)])
        self.widget.add_class("aelib-compare-explorer")

        self._watch_sliders()

    # -- 상태 읽기
    @property
    def readouts(self) -> dict[str, str]:
        """모델 이름 → 읽은 글 (HTML)."""
        return {name: w.value for name, w in self.readout_htmls.items()}


    def _update(self):
        z1, z2 = self.point
        self._last = (z1, z2)
        self.point_html.value = f"z = ({z1:.3f}, {z2:.3f})"
        for name, side in zip(self.names, self.sides):
            self.decoded[name] = side.decode_point(z1, z2)
            if name in self.canvases:
                canvas = self.canvases[name]
                img, draw = canvas.start()
                canvas.crosshair(draw, z1, z2)
                canvas.target(draw, z1, z2)
                self.scatter_images[name].value = canvas.png(img)
            text, _, _ = side._nearest_html(z1, z2)
            self.decoded_images[name].value = image_png(self.decoded[name], 6)
            self.readout_htmls[name].value = text

    def nearest(self, z1: float, z2: float) -> dict[str, tuple[int, float]]:
        """모델 이름 → 그 모델의 잠재 공간에서 가장 가까운 임베딩의 (번호, 거리)."""
        return {name: side.nearest(z1, z2) for name, side in zip(self.names, self.sides)}

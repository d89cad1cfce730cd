"""세 탐색기의 파이썬 쪽: 모델·임베딩을 받아 화면(``ExplorerView``)에 넘길 상태를 만들고, 파이썬 API를 줍니다.

- ``LatentExplorer``: z₁, z₂ 슬라이더 → 산점도 위의 과녁 + 디코딩한 이미지 + 가장 가까운 클래스와 거리.
- ``InterpolationExplorer``: 아이템 A와 B를 고르고, t ∈ [0, 1]로 두 임베딩을 잇는 직선 위를 걷습니다.
- ``CompareExplorer``: 같은 (z₁, z₂)를 오토인코더와 VAE의 디코더에 함께 넣어 두 옷을 나란히 봅니다.

디코딩은 페이지가 합니다 (``view.py``). 파이썬의 ``decoded``, ``readout``, ``decoded_image.value`` 같은 접근자는
지금 점에서 그때그때 계산하므로 (슬라이더 한 칸마다 커널이 일하지 않음) 페이지와 같은 값을 돌려줍니다.
"""

import html
import io
import math
import numbers

import numpy as np
import torch
from torch.utils.data import TensorDataset

from .. import latent, validate
from ..errors import (ExplorerLabelError, ExplorerLatentError, ExplorerShapeError, ExplorerValueError,
                      ShapeError)
from ..labels import CLASSES, KOREAN_NAMES
from .canvas import DECODED_SCALE, IMAGE_PIXELS, ORIGINAL_SCALE, LatentCanvas, image_png
from .neighbours import farther_than, threshold
from .onnx_export import decoder_key, encoder_key, plane_parts
from .view import ExplorerView

SLIDER_STEPS = 200  # 슬라이더 한 칸 = 범위의 1/200
INTERP_SCALE = 7
COMPARE_SCALE = 6
GAUGE_TAUS = 3.0  # 게이지의 끝 = 3τ
PAD_CLASSES = (0, 1, 5, 8, 9)  # 그림판의 시작 그림: 티셔츠/탑, 바지, 샌들, 가방, 앵클 부츠 (테스트 세트의 첫 아이템)
ELLIPSES = 300  # VAE 패널에 그리는 사후 분포 타원 수
MASK_STEP = 2  # 빈 곳 덮개의 칸 (픽셀)


def fix(x: float, digits: int) -> str:
    """소수 ``digits``자리 글자, 0으로 반올림되는 음수는 "-0.000"이 아니라 "0.000" (explorer.js의 fix와 같음)."""
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _is_real(v) -> bool:
    """실수 하나인지 (bool·글자·None은 아님; 원소 하나인 실수 텐서·배열은 됨)."""
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, numbers.Real):
        return True
    if isinstance(v, torch.Tensor):
        return v.numel() == 1 and v.dtype != torch.bool and not v.is_complex()
    if isinstance(v, np.ndarray):
        return v.size == 1 and v.dtype.kind in "iuf"
    return False


def _check_point(z1, z2) -> tuple[float, float]:
    if not (_is_real(z1) and _is_real(z2)):
        raise ExplorerLatentError(
            f"잠재 공간의 점은 실수 두 개여야 합니다 (True·False·글자 불가): ({z1!r}, {z2!r})",
            f"A latent point must be two real numbers (not True/False or text), got ({z1!r}, {z2!r})",
        )
    z1, z2 = float(z1), float(z2)
    if not (math.isfinite(z1) and math.isfinite(z2)):
        raise ExplorerLatentError(
            f"잠재 공간의 점은 유한한 값이어야 합니다 (NaN·무한대 불가): ({z1}, {z2})",
            f"A latent point must be finite (no NaN or infinity), got ({z1}, {z2})",
        )
    return z1, z2


def _spread(z: torch.Tensor, name: str) -> None:
    """임베딩을 감싸는 상자가 두 축 모두 폭이 있는지 (모든 점이 같거나 한 축에서 같은 값이면 슬라이더 범위와
    산점도의 축이 0 폭이 됨)."""
    flat = [axis for axis in range(2) if bool((z[:, axis] == z[0, axis]).all())]
    if flat:
        axes = ", ".join(f"z{axis + 1}" for axis in flat)
        raise ExplorerLatentError(
            f"{name}의 점 {len(z)}개가 {axes} 방향으로 모두 같은 값이라 감싸는 상자의 폭이 0입니다: 슬라이더 범위와 "
            "산점도를 만들 수 없습니다. 서로 다른 이미지의 임베딩을 주세요 (모두 같다면 인코더가 망가졌을 수 있습니다).",
            f"All {len(z)} points of {name} share the same {axes} value, so the box around them has zero width and "
            "no slider range or scatter plot can be made. Pass embeddings of different images "
            "(if they are all equal, the encoder may be broken).",
        )



def _as_embeddings(z, name: str = "z") -> torch.Tensor:
    """(N, 2) 유한한 실수 임베딩 (N ≥ 2) → float32 CPU 텐서. float64·정수·numpy·목록은 바꾸고, 나머지는 거절."""
    return validate.latent_points(z, 2, name, widget=True, min_points=2).detach().cpu()


def _as_labels(labels, n: int) -> np.ndarray:
    """임베딩마다 하나씩, 표 3-3의 번호 0–9 → int64 배열."""
    return validate.class_labels(labels, n, "labels", widget=True)


def _as_images(images, n: int):
    """그림판·타원용 이미지 (N, 1, 32, 32) [0, 1], 임베딩과 같은 순서·같은 수 (None이면 None)."""
    if images is None:
        return None
    images = images.tensors[0] if isinstance(images, TensorDataset) else images
    images = validate.image_batch(images, "images", widget=True).detach().cpu()
    if len(images) != n:
        raise ExplorerShapeError(
            f"이미지 수({len(images)})와 임베딩 수({n})가 다릅니다: 같은 순서의 이미지와 임베딩을 주세요.",
            f"The number of images ({len(images)}) differs from the number of embeddings ({n}): "
            "pass images and embeddings of the same items in the same order.",
        )
    return images


def _same_labels(dataset_labels, labels, n: int) -> None:
    """데이터셋에 레이블이 있으면 ``labels``와 같아야 함 (다르면 위젯의 클래스 이름이 이미지와 어긋남)."""
    ours = validate.class_labels(labels, n, "labels", widget=True)
    theirs = validate.class_labels(dataset_labels, n, "dataset_or_images의 레이블 / labels of dataset_or_images",
                                   widget=True)
    differ = np.flatnonzero(ours != theirs)
    if len(differ):
        first = differ[:3].tolist()
        raise ExplorerLabelError(
            f"labels와 데이터셋의 레이블이 {len(differ)}곳에서 다릅니다 (번호 {first} …): 같은 아이템의 같은 순서여야 "
            "위젯이 이미지에 맞는 클래스를 보여 줍니다. 데이터셋의 레이블(dataset.tensors[1])을 labels로 주세요.",
            f"labels and the dataset's labels differ at {len(differ)} item(s) (indices {first} ...): they must be the "
            "same items in the same order for the widget to name the right class. Pass the dataset's labels "
            "(dataset.tensors[1]) as labels.",
        )


def _classes() -> list[dict]:
    """페이지로 보내는 표 3-3 (이름과 색은 ``aelib.labels``에서만)."""
    return [{"id": c.id, "korean": c.korean, "color": c.color} for c in CLASSES]


# ---------------------------------------------------------------------------
# 디코더 하나와 그 임베딩


class _Side:
    """모델 하나: 디코딩, 가장 가까운 임베딩, 읽은 글, 페이지로 보낼 패널 상태.

    ``tau``: 빈 곳의 기준 (None이면 ``z``에서 노트북 06과 같은 정의로 계산), ``images``: ``z``와 같은 순서의 이미지
    (그림판의 시작 그림과 VAE의 사후 분포 타원에 씀, 없으면 None)."""

    def __init__(self, model, z, labels, z_name: str = "z", model_name: str = "model", tau=None, images=None):
        validate.explorer_model(model, model_name)
        self.model = model
        self.z = _as_embeddings(z, z_name)
        _spread(self.z, z_name)
        self.labels = _as_labels(labels, len(self.z))
        self._z_np = self.z.numpy().astype(np.float64)
        # "빈 곳"의 기준: 노트북 06과 같은 τ (aelib.problems.data_threshold와 같은 정의, 격자 칸으로 N에 비례하는 시간)
        if tau is None:
            self.empty_threshold = threshold(self._z_np)
        else:
            self.empty_threshold = validate.real(tau, "tau", minimum=0.0, kind=ExplorerValueError)
        self.images = images
        self.is_vae = callable(getattr(model, "encode_distribution", None))
        self._cache = (None, None)

    @torch.no_grad()
    def decode_point(self, z1: float, z2: float) -> np.ndarray:
        """점 하나를 디코딩한 (32, 32) 이미지, 값은 [0, 1] (스레드 하나: 점 하나엔 그편이 빠르고 안정적).
        점은 유한한 실수 두 개 (아니면 ``ExplorerValueError``)."""
        z1, z2 = _check_point(z1, z2)
        if self._cache[0] == (z1, z2):
            return self._cache[1]
        self.model.eval()
        point = torch.tensor([[z1, z2]], dtype=torch.float32)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            image = self.model.decode(point)[0, 0].numpy()
        finally:
            torch.set_num_threads(threads)
        self._cache = ((z1, z2), image)
        return image

    def nearest(self, z1: float, z2: float) -> tuple[int, float]:
        """가장 가까운 임베딩의 (번호, 거리), float64 (페이지도 같은 float32 임베딩으로 float64 계산).
        점은 유한한 실수 두 개 (아니면 ``ExplorerValueError``)."""
        z1, z2 = _check_point(z1, z2)
        d2 = (self._z_np[:, 0] - z1) ** 2 + (self._z_np[:, 1] - z2) ** 2
        i = int(np.argmin(d2))
        return i, float(math.sqrt(d2[i]))

    def is_empty(self, distance: float) -> bool:
        """빈 곳: 가장 가까운 임베딩이 τ보다 멂 (노트북 06의 정의; 덮개 그림도 같은 규칙)."""
        return distance > self.empty_threshold

    def nearest_html(self, z1: float, z2: float) -> tuple[str, int, float]:
        """읽은 글 (explorer.js의 nearestHtml과 같은 글자): 클래스와 거리, 거리 ÷ τ의 게이지 (연속이라 깜박이지 않음)."""
        i, dist = self.nearest(z1, z2)
        c = CLASSES[int(self.labels[i])]
        tau = self.empty_threshold
        ratio = dist / tau if tau > 0 else math.inf
        fill = min(ratio / GAUGE_TAUS, 1.0) * 100
        swatch = f'<span style="color:{c.color}; font-size:1.3em">●</span>'
        text = (f"가장 가까운 임베딩의 클래스: {swatch} <b>{html.escape(c.korean)}</b> ({c.id})<br>"
                f"그 임베딩까지의 거리: <b>{dist:.3f}</b> = τ({tau:.3f})의 <b>{ratio:.2f}</b>배<br>"
                f'<span class="aelib-gauge" title="0 … 3τ, 눈금 = τ"><span class="aelib-gauge-fill" '
                f'style="width:{fill:.1f}%"></span><span class="aelib-gauge-tau"></span></span>'
                f' <span class="aelib-gauge-note">눈금 = τ</span>')
        return text, int(self.labels[i]), dist

    def centres(self) -> list:
        """클래스마다 임베딩의 (좌표별) 중앙값: 클래스 이름을 쓰는 자리 (그 클래스가 없으면 None)."""
        out = []
        for c in CLASSES:
            members = self._z_np[self.labels == c.id]
            out.append(np.median(members, axis=0).tolist() if len(members) else None)
        return out

    def empty_mask_png(self, canvas: LatentCanvas) -> bytes:
        """산점도 크기의 투명 PNG: 축 안에서 가장 가까운 임베딩이 τ보다 먼 곳(빈 곳)에 회색 빗금."""
        from PIL import Image

        left, top, right, bottom = (int(round(v)) for v in canvas.axes_box)
        xs = np.arange(left, right, MASK_STEP) + MASK_STEP / 2
        ys = np.arange(top, bottom, MASK_STEP) + MASK_STEP / 2
        px, py = np.meshgrid(xs, ys)
        tr = canvas.transform()
        z1 = (px - tr["bx"]) / tr["ax"]
        z2 = ((tr["height"] - py) - tr["by"]) / tr["ay"]
        far = farther_than(self._z_np, np.stack([z1.ravel(), z2.ravel()], axis=1), self.empty_threshold)
        far = far.reshape(px.shape)
        rgba = np.zeros((canvas.height, canvas.width, 4), dtype=np.uint8)
        block = np.kron(far, np.ones((MASK_STEP, MASK_STEP), dtype=bool))
        h, w = block.shape
        h, w = min(h, canvas.height - top), min(w, canvas.width - left)
        area = np.zeros((canvas.height, canvas.width), dtype=bool)
        area[top:top + h, left:left + w] = block[:h, :w]
        yy, xx = np.mgrid[0:canvas.height, 0:canvas.width]
        stripe = ((xx + yy) % 6) < 2  # 빗금: 색이 아니라 무늬로 (색맹에도 보임)
        rgba[area] = (90, 90, 90, 40)
        rgba[area & stripe] = (60, 60, 60, 150)
        buf = io.BytesIO()
        Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", optimize=True)
        return buf.getvalue()

    @torch.no_grad()
    def ellipses(self, count: int = ELLIPSES) -> bytes:
        """VAE: 고르게 고른 ``count``개 이미지의 사후 분포 (μ₁, μ₂, σ₁, σ₂) float32 바이트 (이미지가 없으면 빈 바이트)."""
        if not self.is_vae or self.images is None:
            return b""
        idx = np.linspace(0, len(self.images) - 1, min(count, len(self.images))).round().astype(int)
        self.model.eval()
        mean, log_var = self.model.encode_distribution(self.images[torch.from_numpy(idx)])
        return torch.cat([mean, torch.exp(0.5 * log_var)], dim=1).numpy().astype("<f4").tobytes()

    def pad_images(self) -> list:
        """그림판의 시작 그림: ``PAD_CLASSES``마다 첫 아이템의 가운데 28×28을 uint8(잉크 = 255)로."""
        if self.images is None:
            return []
        out = []
        for cls in PAD_CLASSES:
            where = np.flatnonzero(self.labels == cls)
            if len(where):
                img = self.images[int(where[0]), 0, 2:30, 2:30].numpy()
                pixels = np.rint(np.clip(img, 0, 1) * 255).astype(np.uint8)
                out.append({"label": CLASSES[cls].korean, "index": int(where[0]), "pixels": pixels.tobytes()})
        return out

    def encoder_entry(self) -> dict | None:
        """그림판용 인코더 (2차원 오토인코더·VAE만; 주성분 평면처럼 인코더가 없으면 None)."""
        enc = getattr(self.model, "encoder", None)
        if enc is None or not hasattr(enc, "model") or plane_parts(self.model)[0] is not None:
            return None
        return {"key": encoder_key(self.model), "kind": "vae" if self.is_vae else "ae"}

    def decoder_entry(self) -> dict:
        """디코더 열쇠와 (주성분 평면이면) 평면 → 원래 공간의 선형 층 (페이지가 계산)."""
        lift, _ = plane_parts(self.model)
        entry = {"key": decoder_key(self.model), "lift": None}
        if lift is not None:
            entry["lift"] = {"weight": lift.weight.detach().float().numpy().astype("<f4").tobytes(),
                             "bias": lift.bias.detach().float().numpy().astype("<f4").tobytes(),
                             "out": int(lift.weight.shape[0])}
        return entry

    def panel(self, name: str, decoder: int, canvas: LatentCanvas | None, scale: int, css: str,
              pad: bool = True) -> dict:
        return {
            "name": name, "decoder": decoder, "scale": scale, "css": css,
            "scatter": canvas.base_png() if canvas else None,
            "transform": canvas.transform() if canvas else None,
            "mask": self.empty_mask_png(canvas) if canvas else None,
            "centres": canvas.name_points if canvas else self.centres(),  # 클래스 이름을 쓰는 자리
            "ellipses": self.ellipses() if canvas else b"",
            "encoder": self.encoder_entry() if pad else None,
            "embeddings": self.z.numpy().astype("<f4").tobytes(),
            "labels": self.labels.astype(np.uint8).tobytes(),
            "tau": self.empty_threshold,
        }


# ---------------------------------------------------------------------------
# 파이썬 쪽 손잡이 (예전 ipywidgets 슬라이더·이미지와 같은 이름으로)


class _Handle:
    """화면의 값 하나를 슬라이더처럼: ``value`` (쓰면 범위로 자르고 NaN은 되돌림), ``min``, ``max``, ``step``."""

    def __init__(self, view: ExplorerView, name: str, lo: float, hi: float, step: float):
        self._view, self._name = view, name
        self.min, self.max, self.step = float(lo), float(hi), float(step)

    @property
    def value(self) -> float:
        return float(getattr(self._view, self._name))

    @value.setter
    def value(self, v) -> None:
        # 실수가 아닌 것(글자, True·False, None …)은 거절; NaN·무한대는 화면이 마지막 정상 값으로 되돌림 (페이지와 같음)
        if not _is_real(v):
            raise ExplorerLatentError(
                f"{self._name}.value는 실수여야 합니다 (True·False·글자 불가). 받은 값: {v!r}.",
                f"{self._name}.value must be a real number (not True/False or text), got {v!r}.",
            )
        setattr(self._view, self._name, float(v))

    def observe(self, handler, names="value"):
        self._view.observe(handler, names=self._name)


class _Computed:
    """``value``를 읽을 때마다 지금 상태에서 만드는 값: 그림(PNG 바이트)이나 글
    (예전 ``widgets.Image.value``, ``widgets.HTML.value``와 같은 쓰임)."""

    def __init__(self, make):
        self._make = make

    @property
    def value(self):
        return self._make()


class _Choice:
    """A·B 클래스와 번호를 고르는 손잡이 (``value``, ``max``)."""

    def __init__(self, owner, end: str, part: int):
        self._owner, self._end, self._part = owner, end, part

    @property
    def value(self) -> int:
        return self._owner._choice[self._end][self._part]

    @value.setter
    def value(self, v) -> None:
        if self._part == 0:
            v = validate.class_number(v, f"class_{self._end}", widget=True)
        else:
            v = validate.integer(v, f"index_{self._end}", kind=ShapeError, widget=True)  # 범위는 set_items가 확인
        choice = {k: list(v_) for k, v_ in self._owner._choice.items()}
        choice[self._end][self._part] = int(v)
        if self._part == 0:  # 클래스를 바꾸면 번호는 그 클래스의 범위로
            cls = int(v)
            if cls in self._owner.members:
                choice[self._end][1] = min(choice[self._end][1], len(self._owner.members[cls]) - 1)
        self._owner.set_items(*choice["a"], *choice["b"])

    @property
    def max(self) -> int:
        return len(self._owner.members[self._owner._choice[self._end][0]]) - 1


# ---------------------------------------------------------------------------
# 공통


class _Explorer:
    widget: ExplorerView
    _summary = "탐색 위젯"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data, **{"text/plain": f"{type(self).__name__}({self._summary})"})  # 실행마다 같은 글자 (nbval)
        return (data, meta) if isinstance(bundle, tuple) else data

    def _view(self, kind, css, title, lo, hi, step, point, sides_panels, decoders, **extra) -> ExplorerView:
        view = ExplorerView(kind=kind, css_class=css, title=title, lo=list(lo), hi=list(hi), step=list(step),
                            classes=_classes(), decoders=decoders, panels=sides_panels, **extra)
        view.z1, view.z2 = point
        view.observe(self._on_view, names=["z1", "z2", "t", "mode", "path"])
        view.observe(self._on_choose, names=["choose"])
        return view

    # 커널 경로: 페이지가 WASM을 시작하지 못했을 때만, 점이 바뀔 때마다 커널이 디코딩한 PNG를 보냄
    def _on_view(self, change):
        if self.widget.mode == "kernel":
            self.widget.kernel_images = [image_png(side.decode_point(*self.point), 1) for side in self._sides]

    def _on_choose(self, change):
        pass


class _PointExplorer(_Explorer):
    """z₁, z₂ 슬라이더 두 개로 점 하나를 고르는 위젯의 공통 부분."""

    def _handles(self):
        step = [(h - l) / SLIDER_STEPS for l, h in zip(self.lo, self.hi)]
        self.z1 = _Handle(self.widget, "z1", self.lo[0], self.hi[0], step[0])
        self.z2 = _Handle(self.widget, "z2", self.lo[1], self.hi[1], step[1])

    @property
    def point(self) -> tuple[float, float]:
        """지금 고른 점 (z₁, z₂)."""
        return float(self.widget.z1), float(self.widget.z2)

    def set_point(self, z1, z2) -> tuple[float, float]:
        """점을 옮기고 (범위 밖이면 끝으로 자름) 실제로 간 점을 돌려줍니다. NaN·무한대는 ``ExplorerValueError``."""
        z1, z2 = _check_point(z1, z2)
        with self.widget.hold_sync():
            self.widget.z1, self.widget.z2 = z1, z2
        return self.point


class _OneModel:
    """모델 하나(``self.side``)를 보는 탐색기의 접근자: 지금 점(``self.point``)에서 디코딩과 가장 가까운 임베딩."""

    @property
    def decoded(self) -> np.ndarray:
        """지금 점을 디코딩한 (32, 32) 이미지, 값은 [0, 1]."""
        return self.side.decode_point(*self.point)

    def decode_point(self, z1, z2) -> np.ndarray:
        return self.side.decode_point(z1, z2)

    def nearest(self, z1, z2) -> tuple[int, float]:
        return self.side.nearest(z1, z2)

    @property
    def nearest_label(self) -> int:
        return int(self.labels[self.side.nearest(*self.point)[0]])

    @property
    def nearest_distance(self) -> float:
        return self.side.nearest(*self.point)[1]


class LatentExplorer(_OneModel, _PointExplorer):
    """z₁, z₂ 슬라이더로 잠재 공간의 점을 골라 디코딩한 이미지를 봅니다.

    슬라이더 범위는 임베딩을 감싸는 상자를 ``margin`` 비율만큼 넓힌 것이라, 데이터 밖의 빈 곳에도 갈 수 있습니다.
    셀의 마지막 줄에 두면 위젯이 보이고, ``explorer.widget``이 전체 위젯입니다.

    시험용 접근자: ``point`` (z₁, z₂), ``decoded`` (보이는 [0, 1] 이미지), ``readout`` (읽은 글),
    ``nearest_label``, ``nearest_distance``.
    """

    _summary = "z₁, z₂ 슬라이더"

    def __init__(self, model, z, labels, margin: float = 0.15, start=None, images=None, tau=None,
                 axis_labels=("z₁", "z₂")):
        """``model``: 2차원 잠재 공간의 모델 (``decode``), ``z``: 임베딩 (N, 2) 유한한 실수, ``labels``: (N,) 0–9,
        ``margin``: 0 이상의 실수, ``start``: 처음 점 (z₁, z₂) 또는 None(임베딩의 평균),
        ``images``: ``z``와 같은 순서의 이미지 (N, 1, 32, 32) 또는 None (주면 그림판에 시작 그림이 생김),
        ``tau``: 빈 곳의 기준 (None이면 ``z``에서 노트북 06과 같은 정의로),
        ``axis_labels``: 두 축(슬라이더)의 이름 (주성분 평면이면 ("제1 주성분", "제2 주성분")).
        잘못된 값은 ``ExplorerValueError``."""
        if (not isinstance(axis_labels, (tuple, list)) or len(axis_labels) != 2
                or not all(isinstance(a, str) and a for a in axis_labels)):
            raise ExplorerValueError(f"axis_labels는 비어 있지 않은 글자 두 개여야 합니다. 받은 값: {axis_labels!r}.",
                                     f"axis_labels must be two non-empty strings, got {axis_labels!r}.")
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        start = None if start is None else validate.finite_vector(start, 2, "start", widget=True).tolist()
        z = _as_embeddings(z)
        self.side = _Side(model, z, labels, tau=tau, images=_as_images(images, len(z)))
        self._sides = [self.side]
        self.model, self.z, self.labels = model, self.side.z, self.side.labels
        self.empty_threshold = self.side.empty_threshold
        lo, hi = latent.bounds(self.z, margin)
        self.lo, self.hi = lo.tolist(), hi.tolist()
        self.canvas = LatentCanvas(self.z, self.labels, self.lo, self.hi,
                                   title="잠재 공간 (과녁 = 지금 고른 위치)",
                                   axis_labels=None if tuple(axis_labels) == ("z₁", "z₂") else axis_labels)
        if start is None:
            start = self.z.mean(dim=0).tolist()
        start = _check_point(*start)
        a, b = (html.escape(v) for v in axis_labels)
        self._point_name = "z" if tuple(axis_labels) == ("z₁", "z₂") else f"({a}, {b})"
        self._summary = f"{axis_labels[0]}, {axis_labels[1]} 슬라이더"
        title = (f"<b>무한 옷장 탐색기</b>: 산점도를 누르거나 끌어서, 또는 슬라이더로 옷장의 위치({a}, {b})를 고르면 "
                 "스타일리스트 브라이언(디코더)이 그 자리의 옷을 만듭니다.")
        panel = self.side.panel("디코딩한 이미지", 0, self.canvas, DECODED_SCALE, "aelib-decoded")
        panel.update(readout_css="aelib-readout", scatter_css="aelib-latent-scatter", readout_point=True)
        self.widget = self._view("point", "aelib-latent-explorer", title, self.lo, self.hi,
                                 [(h - l) / SLIDER_STEPS for l, h in zip(self.lo, self.hi)], start,
                                 [panel], [self.side.decoder_entry()], pad_images=self.side.pad_images(),
                                 axis_labels=list(axis_labels))
        self._handles()
        self.decoded_image = _Computed(lambda: image_png(self.decoded, DECODED_SCALE))
        self.scatter_image = _Computed(self._scatter_png)
        self.readout_html = _Computed(lambda: self.readout)

    @property
    def readout(self) -> str:
        """읽은 글 (HTML, 페이지에 보이는 것과 같은 글자)."""
        z1, z2 = self.point
        return f"{self._point_name} = ({fix(z1, 3)}, {fix(z2, 3)})<br>{self.side.nearest_html(z1, z2)[0]}"

    def _scatter_png(self) -> bytes:
        img, draw = self.canvas.start()
        self.canvas.crosshair(draw, *self.point)
        self.canvas.target(draw, *self.point)
        return self.canvas.png(img)


class CompareExplorer(_PointExplorer):
    """z₁, z₂ 슬라이더 하나로 고른 **같은 점**을 오토인코더와 VAE의 디코더에 함께 넣어 두 이미지를 나란히 봅니다.

    슬라이더 범위는 두 모델의 임베딩을 모두 감싸는 상자(합집합)를 ``margin`` 비율만큼 넓힌 것이고,
    ``scatter=True``이면 모델마다 자기 임베딩의 산점도(두 그림 모두 같은 축 범위)에 지금 점을 과녁으로 표시합니다.
    글에는 모델마다 자기 잠재 공간에서 가장 가까운 임베딩의 클래스와 거리가 나옵니다.

    시험용 접근자: ``point`` (z₁, z₂), ``decoded`` (모델 이름 → 보이는 [0, 1] 이미지), ``decoded_images``
    (모델 이름 → 그림), ``scatter_images``, ``readouts`` (모델 이름 → 글), ``names``.
    """

    _summary = "오토인코더와 VAE, z₁, z₂ 슬라이더"

    def __init__(self, ae, vae, z_ae, z_vae, labels, margin: float = 0.05, start=(0.0, 0.0),
                 scatter: bool = True, names=("오토인코더", "VAE"), images=None):
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        start = validate.finite_vector(start, 2, "start", widget=True).tolist()
        if not isinstance(scatter, (bool, np.bool_)):
            raise ExplorerValueError(f"scatter는 True 또는 False여야 합니다. 받은 값: {scatter!r}.",
                                     f"scatter must be True or False, got {scatter!r}.")
        self.names = tuple(names) if isinstance(names, (tuple, list)) else ()
        if len(self.names) != 2 or not all(isinstance(n, str) for n in self.names) or self.names[0] == self.names[1]:
            raise ExplorerValueError(f"names는 서로 다른 이름 두 개(오토인코더, VAE)여야 합니다. 받은 값: {names!r}.",
                                     f"names must be two different strings (autoencoder, VAE), got {names!r}.")
        z_ae = _as_embeddings(z_ae, "z_ae")
        images = _as_images(images, len(z_ae))
        self.sides = [_Side(ae, z_ae, labels, "z_ae", "ae", images=images),
                      _Side(vae, z_vae, labels, "z_vae", "vae", images=images)]
        self._sides = self.sides
        both = torch.cat([side.z for side in self.sides])
        lo, hi = latent.bounds(both, margin)
        self.lo, self.hi = lo.tolist(), hi.tolist()
        start = _check_point(*start)
        self.canvases, panels, decoders = {}, [], []
        for i, (name, side) in enumerate(zip(self.names, self.sides)):
            canvas = None
            if scatter:
                canvas = LatentCanvas(side.z, side.labels, self.lo, self.hi,
                                      title=f"{name}의 잠재 공간 (과녁 = 고른 점)", figsize=(4.9, 3.9))
                self.canvases[name] = canvas
            entry = side.decoder_entry()
            if entry not in decoders:
                decoders.append(entry)
            panel = side.panel(name, decoders.index(entry), canvas, COMPARE_SCALE, "aelib-compare-decoded")
            panel.update(readout_css="aelib-compare-readout", scatter_css="aelib-compare-scatter",
                         readout_point=False, heading=True)
            panels.append(panel)
        title = ("<b>같은 자리, 두 스타일리스트</b>: 산점도를 누르거나 끌어서, 또는 슬라이더로 고른 같은 점 (z₁, z₂)를 "
                 "오토인코더의 디코더와 VAE의 디코더가 각각 옷으로 만듭니다.")
        self.widget = self._view("point", "aelib-compare-explorer", title, self.lo, self.hi,
                                 [(h - l) / SLIDER_STEPS for l, h in zip(self.lo, self.hi)], start,
                                 panels, decoders, show_point=True, pad_images=self.sides[0].pad_images())
        self._handles()
        self.point_html = _Computed(lambda: "z = ({}, {})".format(*(fix(v, 3) for v in self.point)))
        self.decoded_images = {name: _Computed(lambda side=side: image_png(side.decode_point(*self.point),
                                                                         COMPARE_SCALE))
                               for name, side in zip(self.names, self.sides)}
        self.scatter_images = {name: _Computed(lambda name=name: self._scatter_png(name)) for name in self.canvases}

    @property
    def decoded(self) -> dict[str, np.ndarray]:
        """모델 이름 → 지금 점을 디코딩한 [0, 1] 이미지."""
        return {name: side.decode_point(*self.point) for name, side in zip(self.names, self.sides)}

    @property
    def readouts(self) -> dict[str, str]:
        """모델 이름 → 읽은 글 (HTML)."""
        return {name: side.nearest_html(*self.point)[0] for name, side in zip(self.names, self.sides)}

    def nearest(self, z1: float, z2: float) -> dict[str, tuple[int, float]]:
        """모델 이름 → 그 모델의 잠재 공간에서 가장 가까운 임베딩의 (번호, 거리)."""
        return {name: side.nearest(z1, z2) for name, side in zip(self.names, self.sides)}

    def _scatter_png(self, name) -> bytes:
        canvas = self.canvases[name]
        img, draw = canvas.start()
        canvas.crosshair(draw, *self.point)
        canvas.target(draw, *self.point)
        return canvas.png(img)


# ---------------------------------------------------------------------------
# 두 아이템 사이를 직선으로 걷기


class InterpolationExplorer(_OneModel, _Explorer):
    """아이템 A와 B를 고르고 t ∈ [0, 1]로 두 임베딩을 잇는 직선 z(t) = (1 − t)·z_A + t·z_B 위를 걷습니다.

    ``dataset_or_images``: ``TensorDataset``(이미지, 레이블) 또는 이미지 텐서 (N, 1, 32, 32);
    ``labels``와 ``z``는 같은 순서의 레이블과 임베딩입니다.
    아이템은 클래스(한국어 이름)와 그 클래스 안의 번호로 고릅니다. t는 페이지가 디코딩하고,
    A·B를 바꾸면 (원본 이미지가 필요하므로) 커널이 새 끝점을 보냅니다.

    시험용 접근자: ``t``, ``point``, ``decoded``, ``z_a``, ``z_b``, ``index_a``, ``index_b``, ``readout``.
    """

    _summary = "A, B 선택과 t 슬라이더"

    def __init__(self, model, dataset_or_images, labels, z, a=(1, 0), b=(8, 0), margin: float = 0.05):
        """잘못된 값(표 3-3에 없는 클래스, 없는 아이템, [0, 1]이 아닌 이미지, NaN 임베딩 등)은 ``ExplorerValueError``."""
        margin = validate.real(margin, "margin", minimum=0.0, kind=ExplorerValueError)
        a, b = validate.item(a, "a"), validate.item(b, "b")
        z = _as_embeddings(z)
        images = dataset_or_images.tensors[0] if isinstance(dataset_or_images, TensorDataset) else dataset_or_images
        images = validate.image_batch(images, "dataset_or_images", widget=True).detach().cpu()
        if len(images) != len(z):
            raise ExplorerShapeError(
                f"이미지 수({len(images)})와 임베딩 수({len(z)})가 다릅니다: 같은 순서의 이미지·레이블·임베딩을 주세요.",
                f"The number of images ({len(images)}) differs from the number of embeddings ({len(z)}): "
                "pass images, labels and embeddings of the same items in the same order.",
            )
        if isinstance(dataset_or_images, TensorDataset) and len(dataset_or_images.tensors) > 1:
            _same_labels(dataset_or_images.tensors[1], labels, len(z))
        self.side = _Side(model, z, labels)
        self._sides = [self.side]
        self.model, self.z, self.labels = model, self.side.z, self.side.labels
        self.empty_threshold = self.side.empty_threshold
        self.images = images
        self.members = {c: np.flatnonzero(self.labels == c) for c in range(len(CLASSES))}
        lo, hi = latent.bounds(self.z, margin)
        self.canvas = LatentCanvas(self.z, self.labels, lo.tolist(), hi.tolist(),
                                   title="A에서 B로 가는 직선 (과녁 = t의 위치)")
        self._choice = {"a": [None, 0], "b": [None, 0]}
        self._check_items(*a, *b)
        self._choice = {"a": [int(a[0]), int(a[1])], "b": [int(b[0]), int(b[1])]}
        panel = self.side.panel("t에서 디코딩", 0, self.canvas, INTERP_SCALE, "aelib-interp-decoded", pad=False)
        panel.update(readout_css="aelib-interp-readout", scatter_css="aelib-path-scatter", readout_point=False)
        title = ("<b>두 옷 사이 걷기</b>: A와 B를 고르고 t를 0에서 1로 움직이면 "
                 "두 임베딩을 잇는 직선 위의 점을 디코딩합니다.")
        self.widget = self._view("path", "aelib-interpolation-explorer", title, lo.tolist(), hi.tolist(),
                                 [0.01, 0.01], (0.0, 0.0), [panel], [self.side.decoder_entry()],
                                 path=self._path_state())
        self.widget.t = 0.0
        self.t_slider = _Handle(self.widget, "t", 0.0, 1.0, 0.01)
        self.class_a, self.item_a = _Choice(self, "a", 0), _Choice(self, "a", 1)
        self.class_b, self.item_b = _Choice(self, "b", 0), _Choice(self, "b", 1)
        self.decoded_image = _Computed(lambda: image_png(self.decoded, INTERP_SCALE))
        self.image_a = _Computed(lambda: image_png(self.images[self.index_a], ORIGINAL_SCALE))
        self.image_b = _Computed(lambda: image_png(self.images[self.index_b], ORIGINAL_SCALE))
        self.scatter_image = _Computed(self._scatter_png)
        self.readout_html = _Computed(lambda: self.readout)

    def _path_state(self) -> dict:
        options = [[f"{c.id} {c.korean}", c.id, int(len(self.members[c.id]))]
                   for c in CLASSES if len(self.members[c.id])]
        ia, ib = self.index_a, self.index_b
        return {
            "a": list(self._choice["a"]), "b": list(self._choice["b"]), "options": options,
            "index_a": ia, "index_b": ib,
            "image_a": image_png(self.images[ia], 1), "image_b": image_png(self.images[ib], 1),
            "original_scale": ORIGINAL_SCALE,
        }

    # -- 상태 읽기
    @property
    def t(self) -> float:
        return float(self.widget.t)

    @property
    def index_a(self) -> int:
        """A의 데이터셋 안 번호."""
        cls, k = self._choice["a"]
        return int(self.members[cls][k])

    @property
    def index_b(self) -> int:
        cls, k = self._choice["b"]
        return int(self.members[cls][k])

    @property
    def z_a(self) -> tuple[float, float]:
        return tuple(self.side._z_np[self.index_a].tolist())

    @property
    def z_b(self) -> tuple[float, float]:
        return tuple(self.side._z_np[self.index_b].tolist())

    @property
    def point(self) -> tuple[float, float]:
        """직선 위의 지금 점 z(t) = (1 − t)·z_A + t·z_B. t = 0, 1에서는 끝점 그대로 (explorer.js도 같은 식)."""
        t = self.t
        if t == 0.0:
            return self.z_a
        if t == 1.0:
            return self.z_b
        (a1, a2), (b1, b2) = self.z_a, self.z_b
        return (1 - t) * a1 + t * b1, (1 - t) * a2 + t * b2

    @property
    def readout(self) -> str:
        z1, z2 = self.point
        ka, kb = KOREAN_NAMES[int(self.labels[self.index_a])], KOREAN_NAMES[int(self.labels[self.index_b])]
        return (f"A: {html.escape(ka)} (#{self.index_a}) → B: {html.escape(kb)} (#{self.index_b})"
                f"<br>t = {fix(self.t, 2)} · z = ({fix(z1, 3)}, {fix(z2, 3)})<br>{self.side.nearest_html(z1, z2)[0]}")

    # -- 바꾸기
    def _check_items(self, class_a, index_a, class_b, index_b) -> tuple[int, int, int, int]:
        """클래스는 표 3-3의 0–9, 번호는 이 데이터에서 그 클래스의 0–(개수−1). 아니면 ``ExplorerValueError``."""
        class_a, index_a = validate.class_item(class_a, index_a, self.members, "a", KOREAN_NAMES)
        class_b, index_b = validate.class_item(class_b, index_b, self.members, "b", KOREAN_NAMES)
        return class_a, index_a, class_b, index_b

    def set_items(self, class_a: int, index_a: int, class_b: int, index_b: int) -> None:
        """A와 B를 (클래스, 클래스 안 번호)로 한꺼번에 고릅니다."""
        class_a, index_a, class_b, index_b = self._check_items(class_a, index_a, class_b, index_b)
        self._choice = {"a": [class_a, index_a], "b": [class_b, index_b]}
        self.widget.path = self._path_state()

    def set_t(self, t) -> float:
        """t를 옮기고 (0–1 밖이면 끝으로 자름) 실제 t를 돌려줍니다. NaN·무한대는 거절합니다."""
        t, _ = _check_point(t, 0.0)
        self.widget.t = t
        return self.t

    def _on_choose(self, change):
        """페이지의 선택 상자에서 고른 A·B (범위 밖이면 알림을 보이고 그대로 둠)."""
        choice = change["new"] or {}
        try:
            (ca, ia), (cb, ib) = choice["a"], choice["b"]
            self.set_items(int(ca), int(ia), int(cb), int(ib))
        except (KeyError, TypeError, ValueError) as exc:
            self.widget.status = str(exc)

    def _scatter_png(self) -> bytes:
        img, draw = self.canvas.start()
        self.canvas.path(draw, self.z_a, self.z_b)
        self.canvas.endpoint(draw, *self.z_a, "A")
        self.canvas.endpoint(draw, *self.z_b, "B")
        self.canvas.target(draw, *self.point)
        return self.canvas.png(img)

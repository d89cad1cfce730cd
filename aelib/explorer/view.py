"""탐색기의 화면: ``anywidget`` 위젯 하나 (앞단은 ``static/explorer.js``, ``static/explorer.css``).

페이지가 ONNX 디코더를 onnxruntime-web(WASM)으로 직접 돌려 슬라이더 한 칸마다 커널을 거치지 않고 그립니다.
점(``z1``, ``z2``, ``t``)은 traitlet으로 파이썬과 맞춰져, 파이썬에서 옮기면 페이지의 슬라이더가, 페이지에서 옮기면
파이썬의 값이 따라갑니다. WASM이 시작되지 않는 페이지는 ``mode = "kernel"``을 알려 오고, 그때부터 커널이
디코딩한 PNG(``kernel_images``)를 보냅니다 (지금까지의 경로).

상태(디코더·인코더의 열쇠, 산점도 바탕 PNG, 빈 곳 덮개, 임베딩, 레이블, 색, τ)는 traitlet이라 노트북의 위젯 상태에
저장되고, HTML 배포본(``aelib.handouts``)이 그 상태와 열쇠의 ONNX 파일(한 번씩)로 같은 앞단을 커널 없이 띄웁니다.
ONNX 바이트는 위젯 상태에 넣지 않습니다 (노트북 파일이 작게): 페이지가 열쇠로 커널에 한 번 달라고 합니다.
"""

import math
from pathlib import Path

import anywidget
import traitlets as T

from . import runtime
from .onnx_export import onnx_bytes

STATIC = Path(__file__).parent / "static"
NAN_MESSAGE = "받을 수 없는 값({value!r})이 {name}에 들어와 마지막 정상 위치로 되돌렸습니다."


class ExplorerView(anywidget.AnyWidget):
    """세 탐색기가 함께 쓰는 화면. ``kind``: ``"point"`` (z₁, z₂ 슬라이더) 또는 ``"path"`` (A → B 직선 위의 t)."""

    _esm = STATIC / "explorer.js"
    _css = STATIC / "explorer.css"

    kind = T.Unicode("point").tag(sync=True)
    css_class = T.Unicode("").tag(sync=True)
    title = T.Unicode("").tag(sync=True)  # HTML
    z1 = T.Float(0.0, allow_none=True).tag(sync=True)
    z2 = T.Float(0.0, allow_none=True).tag(sync=True)
    t = T.Float(0.0, allow_none=True).tag(sync=True)
    lo = T.List([0.0, 0.0]).tag(sync=True)
    hi = T.List([1.0, 1.0]).tag(sync=True)
    step = T.List([0.01, 0.01]).tag(sync=True)
    axis_labels = T.List(["z₁", "z₂"]).tag(sync=True)  # 두 슬라이더의 이름
    show_point = T.Bool(False).tag(sync=True)  # 패널 위에 "z = (…)" 한 줄 (비교 위젯)
    classes = T.List().tag(sync=True)  # 표 3-3: [{id, korean, color}]
    decoders = T.List().tag(sync=True)  # 디코더 목록 {key, lift} (패널이 번호로 가리킴); ONNX 바이트는 열쇠로 따로
    pad_images = T.List().tag(sync=True)  # 그림판의 시작 그림 [{label, index, pixels (28×28 uint8)}]
    panels = T.List().tag(sync=True)  # 패널마다 {name, decoder, scatter, transform, embeddings, labels, tau, ...}
    path = T.Dict().tag(sync=True)  # kind="path": {a, b, options, z_a, z_b, image_a, image_b, index_a, index_b, ...}
    choose = T.Dict().tag(sync=True)  # 페이지가 고른 A/B {a: [클래스, 번호], b: [...]} → 파이썬이 path를 고침
    mode = T.Unicode("").tag(sync=True)  # 페이지가 알려 옴: "browser" 또는 "kernel"
    kernel_images = T.List().tag(sync=True)  # 커널 경로: 패널마다 32×32 PNG
    status = T.Unicode("").tag(sync=True)  # 파이썬이 보여 줄 알림 (한국어)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_custom)

    # 범위 밖은 끝으로 자르고, NaN·무한대·None은 마지막 정상 값으로 되돌림 (페이지에서 온 것도)
    def _clamped(self, proposal, lo, hi):
        value, name = proposal["value"], proposal["trait"].name
        if value is None or not math.isfinite(value):
            self.status = NAN_MESSAGE.format(value=value, name=name)
            return getattr(self, name)
        return min(max(float(value), lo), hi)

    @T.validate("z1")
    def _valid_z1(self, proposal):
        return self._clamped(proposal, self.lo[0], self.hi[0])

    @T.validate("z2")
    def _valid_z2(self, proposal):
        return self._clamped(proposal, self.lo[1], self.hi[1])

    @T.validate("t")
    def _valid_t(self, proposal):
        return self._clamped(proposal, 0.0, 1.0)

    @T.observe("z1", "z2", "t")
    def _undo_none(self, change):
        """페이지의 NaN은 JSON에서 null(None)로 오는데, traitlets는 None을 검사기에 넘기지 않으므로 여기서 되돌림."""
        if change["new"] is None:
            self.status = NAN_MESSAGE.format(value=float("nan"), name=change["name"])
            setattr(self, change["name"], change["old"] if change["old"] is not None else 0.0)

    def _on_custom(self, _widget, content, _buffers):
        """페이지가 onnxruntime-web(JS, gzip WASM)이나 열쇠의 ONNX 모델을 달라고 하면 보냄 (위젯 상태에는 저장 안 됨)."""
        if not isinstance(content, dict):
            return
        if content.get("type") == "onnx?":
            key = str(content.get("key", ""))
            data = onnx_bytes(key)
            if data is None:
                self.send({"type": "onnx", "key": key, "error": f"ONNX 모델 {key[:12]}…을 찾지 못했습니다"})
            else:
                self.send({"type": "onnx", "key": key}, buffers=[data])
            return
        if content.get("type") != "runtime?":
            return
        try:
            js, wasm_gz = runtime.files()
        except Exception as exc:  # npm이 없거나 레지스트리에 닿지 않음 → 페이지가 커널 경로로
            self.send({"type": "runtime", "error": str(exc)})
            return
        self.send({"type": "runtime", "version": runtime.VERSION}, buffers=[js, wasm_gz])

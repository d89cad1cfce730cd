"""잠재 공간 탐색기: 산점도 끌기·슬라이더로 무한 옷장(잠재 공간)의 한 점을 골라 디코더(브라이언)의 옷을 보고,
그림판에 그린 옷을 인코더로 옷장에 놓아 봅니다.

부분마다 파일 하나:

- ``widgets.py``: 파이썬 쪽 탐색기 ``LatentExplorer``, ``InterpolationExplorer``, ``CompareExplorer``
- ``view.py``: ``anywidget`` 화면 하나 (세 탐색기가 함께 씀); 앞단은 ``static/explorer.js``, ``static/explorer.css``
- ``canvas.py``: 한 번 그린 잠재 공간 산점도와 이미지 ↔ PNG
- ``neighbours.py``: 2차원 최근접 거리를 격자 칸으로 (τ와 빈 곳 덮개; 시간·메모리가 N에 비례)
- ``onnx_export.py``: 디코더·인코더 → ONNX (``python -m aelib.explorer.onnx_export``), onnxruntime으로 확인
- ``handout.py``: HTML 배포본 안의 탐색기 (런타임과 ONNX 모델을 파일마다 한 번씩)
- ``runtime.py``: 페이지가 쓰는 onnxruntime-web (npm에서 받아 캐시)
"""

from .canvas import DECODED_SCALE, IMAGE_PIXELS, ORIGINAL_SCALE, LatentCanvas, image_png, png_to_array, to_uint8
from ..errors import ExplorerValueError

_WIDGETS = ("CompareExplorer", "InterpolationExplorer", "LatentExplorer")


def __getattr__(name):
    """탐색기 위젯은 처음 쓸 때 가져옵니다: ``python -m aelib.explorer.onnx_export``가 패키지를 읽을 때
    위젯(→ onnx_export)까지 미리 읽지 않게 (runpy의 RuntimeWarning 없이)."""
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "CompareExplorer", "ExplorerValueError", "InterpolationExplorer", "LatentExplorer", "LatentCanvas",
    "DECODED_SCALE", "IMAGE_PIXELS", "ORIGINAL_SCALE", "image_png", "png_to_array", "to_uint8",
]

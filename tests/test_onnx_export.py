"""디코더 → ONNX: 배포 파일이 배포 가중치와 같은 디코더이고, onnxruntime이 PyTorch와 같게 디코딩하는지.
탐색기 화면(traitlet)이 페이지에서 온 NaN·None을 되돌리고 한국어로 알리는지도 봅니다."""

import math

import pytest
import torch

from aelib.explorer.onnx_export import (
    SHIPPED, TOLERANCE, check_points, decoder_onnx, fingerprint, max_difference, onnx_path, shipped_fingerprint,
)
from aelib.model import Autoencoder
from aelib.pretrained import load_pretrained


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_onnx_decodes_like_pytorch(name):
    model, _ = load_pretrained(name)
    path = onnx_path(name)
    assert path.is_file() and 0.5e6 < path.stat().st_size < 2e6  # 약 1 MB
    assert shipped_fingerprint(path) == fingerprint(model), "python -m aelib.explorer.onnx_export로 다시 만드세요"
    points = check_points(model)
    assert len(points) > 900
    assert max_difference(model, path.read_bytes(), points) <= TOLERANCE
    assert decoder_onnx(model) == path.read_bytes()  # 탐색기는 배포 파일을 씀


def test_other_weights_are_exported_on_the_fly():
    torch.manual_seed(1)
    model = Autoencoder(latents=2)
    data = decoder_onnx(model)
    assert data not in [onnx_path(n).read_bytes() for n in SHIPPED]
    assert max_difference(model, data) <= TOLERANCE


def test_view_undoes_nan_from_the_page():
    from aelib.explorer.view import ExplorerView

    view = ExplorerView(lo=[-1.0, -2.0], hi=[1.0, 2.0])
    view.z1 = 0.5
    view.z1 = None  # 페이지의 NaN은 JSON에서 null로 옴
    assert view.z1 == 0.5 and "받을 수 없는 값" in view.status
    view.z2 = math.nan
    assert view.z2 == 0.0
    view.z2 = 50.0  # 범위 밖은 끝으로
    assert view.z2 == 2.0

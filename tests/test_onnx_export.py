"""디코더 → ONNX: 배포 파일이 배포 가중치와 같은 디코더이고, onnxruntime이 PyTorch와 같게 디코딩하는지.
탐색기 화면(traitlet)이 페이지에서 온 NaN·None을 되돌리고 한국어로 알리는지도 봅니다."""

import math

import pytest
import torch

from aelib.explorer.onnx_export import (
    SHIPPED, SHIPPED_ENCODERS, TOLERANCE, check_points, decoder_key, decoder_onnx, encoder_key, encoder_max_difference,
    fingerprint, max_difference, module_fingerprint, onnx_file, onnx_path, shipped_fingerprint,
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
    assert len(points) >= 600
    assert max_difference(model, path.read_bytes(), points) <= TOLERANCE
    assert decoder_onnx(model) == path.read_bytes()  # 탐색기는 배포 파일을 씀


@pytest.mark.parametrize("name", SHIPPED_ENCODERS)
def test_shipped_encoder_encodes_like_pytorch(name):
    model, _ = load_pretrained(name)
    path = onnx_path(name, "encoder")
    assert shipped_fingerprint(path) == module_fingerprint(model.encoder), "python -m aelib.explorer.onnx_export"
    assert encoder_max_difference(model, path.read_bytes()) <= TOLERANCE
    assert onnx_file(encoder_key(model)) == path


def test_plane_decoder_uses_the_shipped_32d_decoder():
    from aelib.pca import PlaneDecoder, fit_pca

    model, _ = load_pretrained("autoencoder_32")
    plane = PlaneDecoder(model, fit_pca(torch.randn(200, 32, generator=torch.Generator().manual_seed(0)), k=2))
    assert onnx_file(decoder_key(plane)) == onnx_path("autoencoder_32")


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

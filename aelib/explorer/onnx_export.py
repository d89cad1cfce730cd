"""디코더 → ONNX: 브라우저(onnxruntime-web)가 슬라이더마다 직접 디코딩하도록.

배포용 ONNX 파일 만들기와 확인 (README에도 있음)::

    python -m aelib.explorer.onnx_export            # aelib/weights/{autoencoder,vae}_decoder.onnx

파일마다 onnxruntime으로 잠재 공간의 많은 점(격자 + 무작위 + 상자 밖)을 디코딩해 PyTorch와 비교하고
(최대 절대 픽셀 차이 ≤ 1e-5), 어긋나면 저장하지 않습니다.
ONNX 모델은 ``z`` (N, 2) → ``image`` (N, 1, 32, 32), 값은 [0, 1] (시그모이드까지 포함)입니다.
파일의 메타데이터 ``aelib_fingerprint``는 디코더 가중치의 SHA-256이라, 탐색기는 같은 가중치의 모델이면
배포 파일을 쓰고, 다른 모델(직접 훈련한 모델)이면 그 자리에서 메모리로 내보냅니다.
"""

import hashlib
import io
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

from ..errors import AelibError
from ..tools import atomic, cli, paths

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
SHIPPED = ("autoencoder", "vae")
TOLERANCE = 1e-5
OPSET = 17


class OnnxExportError(AelibError, RuntimeError):
    """ONNX로 내보낸 디코더가 PyTorch와 다르게 디코딩함."""


def onnx_path(name: str) -> Path:
    return WEIGHTS_DIR / f"{name}_decoder.onnx"


def fingerprint(model) -> str:
    """디코더 가중치(이름, 모양, 값)의 SHA-256: 같은 디코더인지 알아보는 열쇠."""
    h = hashlib.sha256()
    for name, t in model.decoder.state_dict().items():
        t = t.detach().cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


class _Decode(torch.nn.Module):
    """z → [0, 1] 이미지 (모델의 ``decode``와 같은 계산)."""

    def __init__(self, model):
        super().__init__()
        self.decoder = model.decoder

    def forward(self, z):
        return self.decoder.images(z)


def export_bytes(model) -> bytes:
    """모델의 디코더를 ONNX 바이트로 (배치 크기는 자유)."""
    import onnx

    from .. import validate

    validate.checked_model(model, "export_bytes", needs=("decode", "decoder"))

    model.eval()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Decode(model), (torch.zeros(1, model.decoder.latents),), buf, dynamo=False,
                          input_names=["z"], output_names=["image"], opset_version=OPSET,
                          dynamic_axes={"z": {0: "n"}, "image": {0: "n"}})
    proto = onnx.load_from_string(buf.getvalue())
    entry = proto.metadata_props.add()
    entry.key, entry.value = "aelib_fingerprint", fingerprint(model)
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def check_points(model, seed: int = 0) -> torch.Tensor:
    """비교에 쓰는 잠재 공간의 점: 21×21 격자(−6…6), 무작위 500개, 상자 밖의 먼 점 몇 개."""
    g = torch.Generator().manual_seed(seed)
    axis = torch.linspace(-6.0, 6.0, 21)
    grid = torch.cartesian_prod(axis, axis)
    far = torch.tensor([[40.0, -40.0], [-25.0, 30.0], [0.0, 0.0], [1e-3, -1e-3]])
    return torch.cat([grid, torch.randn(500, 2, generator=g) * 4.0, far])


@torch.no_grad()
def max_difference(model, onnx_bytes: bytes, points: torch.Tensor | None = None) -> float:
    """onnxruntime과 PyTorch가 같은 점들에서 디코딩한 이미지의 최대 절대 차이."""
    import onnxruntime as ort

    points = check_points(model) if points is None else points
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    got = session.run(None, {"z": points.numpy().astype(np.float32)})[0]
    model.eval()
    want = model.decode(points.float()).numpy()
    return float(np.abs(got - want).max())


def checked_export(model) -> bytes:
    """내보내고 확인한 ONNX 바이트. 차이가 ``TOLERANCE``를 넘으면 ``OnnxExportError``."""
    data = export_bytes(model)
    diff = max_difference(model, data)
    if not diff <= TOLERANCE:
        raise OnnxExportError(
            f"ONNX 디코더가 PyTorch와 다르게 디코딩합니다: 최대 차이 {diff:.2e} > {TOLERANCE:.0e}",
            f"The ONNX decoder differs from PyTorch: max abs difference {diff:.2e} > {TOLERANCE:.0e}",
        )
    return data


def shipped_fingerprint(path: Path) -> str | None:
    import onnx

    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception:  # 깨진 파일은 없는 것처럼: 다시 내보냄
        return None
    return next((p.value for p in proto.metadata_props if p.key == "aelib_fingerprint"), None)


_CACHE: dict[str, bytes] = {}


def decoder_onnx(model) -> bytes:
    """탐색기가 브라우저로 보낼 디코더 ONNX 바이트: 같은 가중치의 배포 파일, 없으면 지금 내보내고 확인한 것."""
    key = fingerprint(model)
    if key not in _CACHE:
        for name in SHIPPED:
            path = onnx_path(name)
            if path.is_file() and shipped_fingerprint(path) == key:
                _CACHE[key] = path.read_bytes()
                break
        else:
            _CACHE[key] = checked_export(model)
    return _CACHE[key]


def main(argv=None) -> None:
    from ..pretrained import load_pretrained

    parser = cli.ArgumentParser(module="aelib.explorer.onnx_export",
                                description="배포 디코더를 ONNX로 내보내고 확인 / export the shipped decoders")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"{', '.join(SHIPPED)} 중에서 (기본: 모두) / any of {', '.join(SHIPPED)} (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(SHIPPED)
    unknown = [n for n in names if n not in SHIPPED]
    if unknown:
        parser.refuse(f"모르는 이름 {unknown}: {', '.join(SHIPPED)} 중에서 고르세요.",
                      f"unknown name(s) {unknown}: choose from {', '.join(SHIPPED)}.")
    with parser.checking():  # 내보내기 전에: 쓸 파일마다 쓸 수 있는지
        for name in names:
            paths.output_file(onnx_path(name), "ONNX")
    for name in names:
        model, _ = load_pretrained(name)
        data = checked_export(model)
        atomic.write_bytes(onnx_path(name), data)  # 디스크가 차도 배포 파일은 옛것 그대로
        diff = max_difference(model, data)
        print(f"{onnx_path(name)}: {len(data) / 1e6:.2f} MB, 점 {len(check_points(model))}개에서 "
              f"PyTorch와 최대 차이 {diff:.1e} (허용 {TOLERANCE:.0e})", file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)

"""디코더·인코더 → ONNX: 브라우저(onnxruntime-web)가 슬라이더·그림판마다 직접 실행하도록.

배포용 ONNX 파일 만들기와 확인 (README에도 있음)::

    python -m aelib.explorer.onnx_export     # aelib/weights/{autoencoder,vae,autoencoder_32}_decoder.onnx,
                                             # aelib/weights/{autoencoder,vae}_encoder.onnx

파일마다 onnxruntime으로 많은 입력을 PyTorch와 비교하고 (최대 절대 차이 ≤ 1e-5), 어긋나면 저장하지 않습니다.

- 디코더: ``z`` (N, d) → ``image`` (N, 1, 32, 32), 값은 [0, 1] (시그모이드까지 포함).
- 인코더: ``x`` (N, 1, 32, 32) [0, 1] → ``code`` (N, 2) (오토인코더의 z) 또는 (N, 4) (VAE의 평균 2개, 로그 분산 2개).

파일의 메타데이터 ``aelib_fingerprint``는 그 부분(디코더 또는 인코더) 가중치의 SHA-256입니다. 탐색기는 위젯 상태에
ONNX 바이트 대신 이 열쇠만 두고 (노트북 파일이 작게), 페이지가 열쇠로 커널에 바이트를 달라고 합니다. HTML 배포본은
같은 열쇠의 파일을 배포 파일이나 캐시(``~/.cache/aelib/onnx``)에서 찾아 한 번만 넣습니다.
"""

import hashlib
import io
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

from ..tools.cache import ROOT as DEFAULT_ROOT
from ..errors import AelibError
from ..tools import atomic, cli, paths

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
SHIPPED = ("autoencoder", "vae", "autoencoder_32")  # 디코더 배포 파일
SHIPPED_ENCODERS = ("autoencoder", "vae")  # 인코더 배포 파일 (2차원 잠재 공간: 그림판)
CACHE = DEFAULT_ROOT / "onnx"
TOLERANCE = 1e-5
OPSET = 17


class OnnxExportError(AelibError, RuntimeError):
    """ONNX로 내보낸 모델이 PyTorch와 다르게 계산함."""


def onnx_path(name: str, part: str = "decoder") -> Path:
    return WEIGHTS_DIR / f"{name}_{part}.onnx"


def module_fingerprint(module: torch.nn.Module) -> str:
    """가중치(이름, 모양, 값)의 SHA-256: 같은 부분인지 알아보는 열쇠."""
    h = hashlib.sha256()
    for name, t in module.state_dict().items():
        t = t.detach().cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def plane_parts(model):
    """주성분 평면 디코더(``aelib.pca.PlaneDecoder``)면 (평면 → 원래 공간 선형 층, 원래 디코더), 아니면 (None, 디코더)."""
    body = model.decoder
    if hasattr(body, "lift") and hasattr(body, "decoder"):
        return body.lift, body.decoder
    return None, body


def fingerprint(model) -> str:
    """디코더 가중치의 열쇠 (평면 디코더는 그 안의 원래 디코더)."""
    return module_fingerprint(plane_parts(model)[1])


class _Decode(torch.nn.Module):
    """z → [0, 1] 이미지 (디코더의 ``images``와 같은 계산)."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, z):
        return self.decoder.images(z)


class _Encode(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, x):
        return self.encoder.model(x)  # 입력 검사(check_images)는 내보낼 수 없으므로 층만


def _export(module, example, input_name, output_name, key) -> bytes:
    import onnx

    module.eval()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (example,), buf, dynamo=False, input_names=[input_name],
                          output_names=[output_name], opset_version=OPSET,
                          dynamic_axes={input_name: {0: "n"}, output_name: {0: "n"}})
    proto = onnx.load_from_string(buf.getvalue())
    entry = proto.metadata_props.add()
    entry.key, entry.value = "aelib_fingerprint", key
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def export_bytes(model) -> bytes:
    """모델의 디코더(평면 디코더는 원래 디코더)를 ONNX 바이트로 (배치 크기는 자유)."""
    from .. import validate

    validate.checked_model(model, "export_bytes", needs=("decode", "decoder"))
    _, decoder = plane_parts(model)
    return _export(_Decode(decoder), torch.zeros(1, decoder.latents), "z", "image", module_fingerprint(decoder))


def export_encoder_bytes(model) -> bytes:
    from .. import validate

    validate.checked_model(model, "export_encoder_bytes", needs=("encode", "encoder"))
    return _export(_Encode(model.encoder), torch.zeros(1, 1, 32, 32), "x", "code", module_fingerprint(model.encoder))


def check_points(model, seed: int = 0) -> torch.Tensor:
    """비교에 쓰는 잠재 공간의 점: 2차원은 21×21 격자(−6…6), 무작위 500개, 상자 밖의 먼 점 몇 개."""
    latents = plane_parts(model)[1].latents
    g = torch.Generator().manual_seed(seed)
    if latents != 2:
        return torch.randn(600, latents, generator=g) * 3.0
    axis = torch.linspace(-6.0, 6.0, 21)
    grid = torch.cartesian_prod(axis, axis)
    far = torch.tensor([[40.0, -40.0], [-25.0, 30.0], [0.0, 0.0], [1e-3, -1e-3]])
    return torch.cat([grid, torch.randn(500, 2, generator=g) * 4.0, far])


def check_images(seed: int = 0) -> torch.Tensor:
    """인코더 비교용 입력: 무작위 [0, 1] 이미지와 그 위의 흐릿한 덩어리, 모두 0, 모두 1."""
    g = torch.Generator().manual_seed(seed)
    noise = torch.rand(40, 1, 32, 32, generator=g)
    blobs = torch.nn.functional.avg_pool2d(noise, 5, stride=1, padding=2)
    return torch.cat([noise, blobs, torch.zeros(1, 1, 32, 32), torch.ones(1, 1, 32, 32)])


@torch.no_grad()
def max_difference(model, onnx_bytes: bytes, points: torch.Tensor | None = None) -> float:
    """onnxruntime과 PyTorch가 같은 점들에서 디코딩한 이미지의 최대 절대 차이."""
    import onnxruntime as ort

    _, decoder = plane_parts(model)
    points = check_points(model) if points is None else points
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    got = session.run(None, {"z": points.numpy().astype(np.float32)})[0]
    decoder.eval()
    want = decoder.images(points.float()).numpy()
    return float(np.abs(got - want).max())


@torch.no_grad()
def encoder_max_difference(model, onnx_bytes: bytes, images: torch.Tensor | None = None) -> float:
    import onnxruntime as ort

    images = check_images() if images is None else images
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    got = session.run(None, {"x": images.numpy().astype(np.float32)})[0]
    model.eval()
    want = model.encoder(images.float()).numpy()
    return float(np.abs(got - want).max())


def _checked(data: bytes, diff: float, what: str) -> bytes:
    if not diff <= TOLERANCE:
        raise OnnxExportError(
            f"ONNX {what}가 PyTorch와 다르게 계산합니다: 최대 차이 {diff:.2e} > {TOLERANCE:.0e}",
            f"The ONNX {what} differs from PyTorch: max abs difference {diff:.2e} > {TOLERANCE:.0e}",
        )
    return data


def checked_export(model) -> bytes:
    """내보내고 확인한 디코더 ONNX 바이트. 차이가 ``TOLERANCE``를 넘으면 ``OnnxExportError``."""
    data = export_bytes(model)
    return _checked(data, max_difference(model, data), "디코더")


def checked_encoder_export(model) -> bytes:
    data = export_encoder_bytes(model)
    return _checked(data, encoder_max_difference(model, data), "인코더")


def shipped_fingerprint(path: Path) -> str | None:
    import onnx

    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception:  # 깨진 파일은 없는 것처럼: 다시 내보냄
        return None
    return next((p.value for p in proto.metadata_props if p.key == "aelib_fingerprint"), None)


_BYTES: dict[str, bytes] = {}


_SHIPPED_KEYS: dict[Path, tuple[float, str | None]] = {}


def onnx_file(key: str) -> Path | None:
    """열쇠 ``key``의 ONNX 파일: 배포 파일, 없으면 캐시 (HTML 배포본을 만들 때 씀)."""
    for path in sorted(WEIGHTS_DIR.glob("*.onnx")):
        mtime = path.stat().st_mtime
        if _SHIPPED_KEYS.get(path, (None,))[0] != mtime:
            _SHIPPED_KEYS[path] = (mtime, shipped_fingerprint(path))
        if _SHIPPED_KEYS[path][1] == key:
            return path
    cached = CACHE / f"{key}.onnx"
    return cached if cached.is_file() and shipped_fingerprint(cached) == key else None


def onnx_bytes(key: str) -> bytes | None:
    """열쇠의 ONNX 바이트 (이 프로세스에서 만든 것, 배포 파일, 캐시 순)."""
    if key not in _BYTES:
        path = onnx_file(key)
        if path is None:
            return None
        _BYTES[key] = path.read_bytes()
    return _BYTES[key]


def _resolve(key: str, export) -> str:
    if onnx_bytes(key) is None:
        data = export()
        _BYTES[key] = data
        try:
            CACHE.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(CACHE / f"{key}.onnx", data)  # 배포본 만들기가 찾을 수 있게
        except (OSError, AelibError):
            pass  # 캐시에 못 써도 이 커널에서는 됨
    return key


def decoder_key(model) -> str:
    """탐색기의 디코더 열쇠: 같은 가중치의 배포 파일이 있으면 그것, 없으면 지금 내보내고 확인해 캐시에 둠."""
    return _resolve(fingerprint(model), lambda: checked_export(model))


def encoder_key(model) -> str:
    return _resolve(module_fingerprint(model.encoder), lambda: checked_encoder_export(model))


def decoder_onnx(model) -> bytes:
    """탐색기가 브라우저로 보낼 디코더 ONNX 바이트 (``decoder_key``의 파일)."""
    return onnx_bytes(decoder_key(model))


def main(argv=None) -> None:
    from ..pretrained import load_pretrained

    parser = cli.ArgumentParser(module="aelib.explorer.onnx_export",
                                description="배포 디코더·인코더를 ONNX로 내보내고 확인 / export the shipped decoders and encoders")
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
            if name in SHIPPED_ENCODERS:
                paths.output_file(onnx_path(name, "encoder"), "ONNX")
    for name in names:
        model, _ = load_pretrained(name)
        data = checked_export(model)
        atomic.write_bytes(onnx_path(name), data)  # 디스크가 차도 배포 파일은 옛것 그대로
        print(f"{onnx_path(name)}: {len(data) / 1e6:.2f} MB, 점 {len(check_points(model))}개에서 "
              f"PyTorch와 최대 차이 {max_difference(model, data):.1e} (허용 {TOLERANCE:.0e})", file=sys.stderr)
        if name in SHIPPED_ENCODERS:
            data = checked_encoder_export(model)
            atomic.write_bytes(onnx_path(name, "encoder"), data)
            print(f"{onnx_path(name, 'encoder')}: {len(data) / 1e6:.2f} MB, 이미지 {len(check_images())}장에서 "
                  f"PyTorch와 최대 차이 {encoder_max_difference(model, data):.1e}", file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)

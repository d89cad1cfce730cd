"""onnxruntime-web (브라우저의 ONNX 실행기): npm 레지스트리에서 처음 한 번 받아 ``~/.cache/aelib/npm``에 둡니다.

쓰는 파일은 둘: WASM 실행기만 담은 가장 작은 ES 모듈 ``ort.wasm.bundle.min.mjs``(≈70 kB)와
``ort-wasm-simd-threaded.wasm``(≈14 MB, gzip으로 ≈3.7 MB). 브라우저는 gzip을 ``DecompressionStream``으로 풉니다.
JupyterLab에서는 위젯이 커널에 한 번 달라고 하고(노트북 파일에는 저장되지 않음), HTML 배포본에는 파일마다 한 번 들어갑니다.
CDN은 쓰지 않습니다.
"""

import gzip
import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from ..data import DEFAULT_ROOT

PACKAGE = "onnxruntime-web"
VERSION = "1.30.0"
CACHE = DEFAULT_ROOT / "npm" / f"{PACKAGE}-{VERSION}"
FILES = {"js": "dist/ort.wasm.bundle.min.mjs", "wasm": "dist/ort-wasm-simd-threaded.wasm"}


class RuntimeUnavailable(RuntimeError):
    """onnxruntime-web을 구하지 못함 (npm 없음, 레지스트리에 닿지 않음)."""


def fetch() -> Path:
    """캐시 폴더 (없으면 ``npm pack``으로 받아 필요한 파일만 풀어 둠)."""
    if all((CACHE / name).is_file() for name in FILES.values()):
        return CACHE
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeUnavailable("npm이 없어 onnxruntime-web을 받지 못했습니다 / npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", tmp],
                              capture_output=True, text=True, timeout=600)
        tarballs = list(Path(tmp).glob(f"{PACKAGE}-*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise RuntimeUnavailable(f"npm pack {PACKAGE}@{VERSION} 실패 / failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(tarballs[0]) as tar:
            for name in list(FILES.values()) + ["LICENSE", "package.json"]:
                try:
                    member = tar.extractfile(f"package/{name}")
                except KeyError:
                    continue
                target = CACHE / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(member.read())
    return CACHE


@lru_cache(maxsize=1)
def files() -> tuple[bytes, bytes]:
    """(ES 모듈 JS, gzip으로 줄인 WASM) 바이트."""
    root = fetch()
    js = (root / FILES["js"]).read_bytes()
    wasm_gz = root / (FILES["wasm"] + ".gz")
    if not wasm_gz.is_file():
        wasm_gz.write_bytes(gzip.compress((root / FILES["wasm"]).read_bytes(), compresslevel=9, mtime=0))
    return js, wasm_gz.read_bytes()

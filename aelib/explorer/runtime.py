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

from ..tools.cache import ROOT as DEFAULT_ROOT
from ..errors import EnvironmentSetupError
from ..tools import atomic

PACKAGE = "onnxruntime-web"
VERSION = "1.30.0"
CACHE = DEFAULT_ROOT / "npm" / f"{PACKAGE}-{VERSION}"
FILES = {"js": "dist/ort.wasm.bundle.min.mjs", "wasm": "dist/ort-wasm-simd-threaded.wasm"}


# 레지스트리에 닿지 않으면 오래 기다리지 않음: 요청 하나 20초, 다시 시도 없음, 전체 120초
NPM_FETCH = ["--fetch-timeout=20000", "--fetch-retries=0", "--loglevel=error"]
NPM_TIMEOUT = 120


class RuntimeUnavailable(EnvironmentSetupError):
    """onnxruntime-web을 구하지 못함 (npm 없음, 레지스트리에 닿지 않음)."""

    def __init__(self, korean: str, english: str | None = None):
        if english is None:  # 예전처럼 한 줄로 부른 경우 (한국어 / 영어)
            korean, _, english = korean.partition(" / ")
        super().__init__(korean, english or korean)


def npm_pack(npm: str, spec: str, dest) -> tuple[Path | None, tuple[str, str]]:
    """``npm pack spec``을 ``dest``에: (tgz 경로 또는 None, 실패한 이유 (한국어, 영어)).

    레지스트리에 닿지 않으면 오래 기다리지 않고, 이유는 비어 있지 않습니다 (npm이 아무 말도 없으면 종료 코드라도)."""
    try:
        done = subprocess.run([npm, "pack", spec, *NPM_FETCH, "--pack-destination", str(dest)],
                              capture_output=True, text=True, timeout=NPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, (f"npm pack {spec}이(가) {NPM_TIMEOUT}초 안에 끝나지 않았습니다 (npm 레지스트리에 닿지 않음)",
                      f"npm pack {spec} did not finish within {NPM_TIMEOUT} s (npm registry unreachable)")
    tarballs = sorted(Path(dest).glob("*.tgz"))
    if done.returncode == 0 and tarballs:
        return tarballs[0], ("", "")
    lines = [ln.strip() for ln in (done.stderr + "\n" + done.stdout).splitlines() if ln.strip()]
    key = [ln for ln in lines if "reason:" in ln or ln.startswith("npm error code")]  # 원인 줄 (ECONNREFUSED 등)
    said = " | ".join((key or lines[-3:])[:3])[-400:] or "npm은 아무 메시지도 남기지 않음 / npm printed nothing"
    return None, (f"npm pack {spec} 실패 (종료 코드 {done.returncode}; 레지스트리에 닿지 않거나 패키지가 없음): {said}",
                  f"npm pack {spec} failed (exit code {done.returncode}; registry unreachable or no such package): {said}")


def fetch() -> Path:
    """캐시 폴더 (없으면 ``npm pack``으로 받아 필요한 파일만 풀어 둠)."""
    if all((CACHE / name).is_file() for name in FILES.values()):
        return CACHE
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeUnavailable("npm이 없어 onnxruntime-web을 받지 못했습니다 / npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        tarball, (why_ko, why_en) = npm_pack(npm, f"{PACKAGE}@{VERSION}", tmp)
        if tarball is None:
            raise RuntimeUnavailable(why_ko, why_en)
        with tarfile.open(tarball) as tar:
            for name in list(FILES.values()) + ["LICENSE", "package.json"]:
                try:
                    member = tar.extractfile(f"package/{name}")
                except KeyError:
                    continue
                target = CACHE / name
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_bytes(target, member.read())
    return CACHE


@lru_cache(maxsize=1)
def files() -> tuple[bytes, bytes]:
    """(ES 모듈 JS, gzip으로 줄인 WASM) 바이트."""
    root = fetch()
    js = (root / FILES["js"]).read_bytes()
    wasm_gz = root / (FILES["wasm"] + ".gz")
    if not wasm_gz.is_file():
        atomic.write_bytes(wasm_gz, gzip.compress((root / FILES["wasm"]).read_bytes(), compresslevel=9, mtime=0))
    return js, wasm_gz.read_bytes()

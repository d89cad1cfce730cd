"""견고함 테스트의 도우미: 파일 크기 제한(가득 찬 디스크)과 root의 권한 무시를 뺀 자식 프로세스."""

import os
import resource
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETPRIV = shutil.which("setpriv")


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_python(args, *, file_limit: int | None = None, unprivileged: bool = False, cwd=ROOT, timeout=600):
    """``python args…``를 자식 프로세스로. ``file_limit``: 바이트 (그보다 큰 파일을 쓰면 EFBIG: 가득 찬 디스크처럼).
    ``unprivileged``: root여도 파일 권한을 지키게 (CAP_DAC_OVERRIDE를 뺌)."""
    cmd = [sys.executable, *args]
    if unprivileged and os.geteuid() == 0:
        cmd = [SETPRIV, "--inh-caps=-dac_override", "--bounding-set=-dac_override", *cmd]

    def limit():
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=child_env(), preexec_fn=limit,
                          timeout=timeout)


def run_many(calls) -> list:
    """``run_python`` 인자 묶음 여러 개를 코어 수만큼 동시에 (결과는 같은 순서). 자식마다 torch를 import하느라
    드는 시간을 나눠 `./course test-fast`를 짧게 둡니다. ``calls``: ``(args, kwargs)``의 목록."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda call: run_python(call[0], **call[1]), calls))


def can_drop_root_override() -> bool:
    return os.geteuid() != 0 or SETPRIV is not None


def leftovers(folder: Path) -> list[str]:
    """반쯤 쓴 임시 파일 (원자적 쓰기의 ``.이름.….part``)."""
    return sorted(p.name for p in Path(folder).rglob("*.part"))


def refuses(kind, call, korean: str, english: str):
    """``call()``이 ``kind``(``AelibError``)로 거절되고, 한국어 줄과 영어 줄에 각각 ``korean``, ``english``가 있는지."""
    import pytest

    from aelib.errors import AelibError

    with pytest.raises(kind) as err:
        call()
    e = err.value
    assert isinstance(e, AelibError)
    assert korean in e.korean, e.korean
    assert english in e.english, e.english
    assert str(e) == f"{e.korean}\n{e.english}"
    return e

"""지금 설치된 패키지 묶음(스택)이 잠금 파일 ``requirements-lock.txt``와 같은지 알려 줍니다.

노트북에 저장된 출력은 잠금 파일의 버전으로 만든 것입니다. 다른 버전에서도 출력이 같도록 숫자는
그 방법이 버틸 수 있는 자릿수로만 찍지만, 엄격한 nbval이 실패하면 먼저 스택이 같은지 봅니다.

    python -m aelib.stack        # 한 줄 요약 (./course test가 맨 먼저 찍음)
"""

import re
import sys
from importlib import metadata
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parents[1] / "requirements-lock.txt"
SHOWN = ("torch", "torchvision", "numpy", "matplotlib", "ipywidgets")
INSTALL_LOCKED = "./course setup"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_applies(marker: str) -> bool:
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # packaging가 없으면 표시(marker)를 모두 받아들임
        return True
    return Marker(marker).evaluate()


def locked_versions(path: Path = LOCK_FILE) -> dict[str, str]:
    """잠금 파일의 ``이름==버전`` (이 파이썬과 운영체제에 해당하는 줄만)."""
    out = {}
    for line in path.read_text().splitlines():
        spec, _, marker = line.split("#")[0].partition(";")
        m = re.match(r"\s*([A-Za-z0-9][\w.-]*)\s*==\s*([^\s;]+)", spec)
        if m and _marker_applies(marker.strip()):
            out[_norm(m.group(1))] = m.group(2)
    return out


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _public(version: str | None) -> str | None:
    """``2.14.1+cu130`` → ``2.14.1`` (로컬 꼬리표는 같은 릴리스의 빌드 종류일 뿐)."""
    return None if version is None else version.split("+")[0]


def differences(names=None, path: Path = LOCK_FILE) -> dict[str, tuple[str | None, str]]:
    """잠금 파일과 다른 패키지: ``{이름: (설치된 버전 또는 None, 잠금 버전)}``."""
    locked = locked_versions(path)
    names = locked if names is None else [_norm(n) for n in names]
    return {n: (installed_version(n), locked[n]) for n in names
            if n in locked and _public(installed_version(n)) != _public(locked[n])}


def matches_lock(path: Path = LOCK_FILE) -> bool:
    return path.exists() and not differences(path=path)


def describe(path: Path = LOCK_FILE) -> str:
    """한 줄: 파이썬과 주요 패키지의 버전, 그리고 잠금 파일과 같은지."""
    parts = [f"python {sys.version.split()[0]}"] + [f"{n} {installed_version(n) or '없음'}" for n in SHOWN]
    if not path.exists():
        verdict = f"잠금 파일 없음 / no lock file ({path.name})"
    else:
        diff = differences(path=path)
        if not diff:
            verdict = "잠금 파일과 같음 / matches the lock"
        else:
            shown = ", ".join(f"{n} {have or '없음'}≠{want}" for n, (have, want) in list(diff.items())[:4])
            more = f" 외 {len(diff) - 4}개" if len(diff) > 4 else ""
            verdict = f"잠금 파일과 다름 / differs from the lock: {shown}{more}"
    return "스택 / stack: " + ", ".join(parts) + " — " + verdict


def unlocked_failure_hint() -> str:
    """잠금 파일과 다른 스택에서 노트북 비교가 실패했을 때의 안내 (한국어, 영어)."""
    return ("노트북의 저장된 출력은 requirements-lock.txt의 버전으로 만들었는데, 지금 스택은 그와 다릅니다. "
            f"출력이 다르게 나온 칸이 있으면 먼저 `{INSTALL_LOCKED}`로 잠근 버전을 설치하고 다시 실행하세요.\n"
            "The stored notebook outputs were made with the versions in requirements-lock.txt, and this stack "
            f"differs from it. Install the locked stack with `{INSTALL_LOCKED}` and run the tests again.")


def main(argv=None) -> None:
    from .tools import cli

    cli.ArgumentParser(module="aelib.stack", description="설치된 스택과 잠금 파일 비교 / compare the stack with the lock").parse_args(argv)
    print(describe())


if __name__ == "__main__":
    main()

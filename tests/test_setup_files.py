"""설치 파일들이 서로 맞는지: requirements.txt ↔ environment.yml, README의 명령 ↔ .ci/run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"pytorch": "torch"}  # conda-forge 이름 → PyPI 이름


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def requirements() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        spec = line.split("#")[0].strip()
        if spec:
            assert "#" in line, f"requirements.txt: 줄마다 이유를 적는 주석이 필요합니다: {line!r}"
            assert ">=" in spec, f"requirements.txt: 하한(>=)이 필요합니다: {line!r}"
            out[_name(spec)] = spec.split(">=")[1]
    return out


def environment() -> dict[str, str]:
    out = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s+- ([A-Za-z][\w.-]*)(>=([\w.]+))?\s*$", line)
        if m and m.group(1) not in ("python", "pip", "conda-forge"):
            out[CONDA_NAMES.get(m.group(1).lower(), m.group(1).lower())] = m.group(3)
    return out


def test_requirements_and_environment_name_the_same_packages_and_bounds():
    req, env = requirements(), environment()
    assert req.keys() == env.keys()
    assert req == env


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./course test" in readme and "./course lab" in readme
    assert re.search(r"^\./course test\b", ci, re.M)

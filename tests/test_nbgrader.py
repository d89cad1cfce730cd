"""nbgrader로 실제로: 강사용 노트북 → ``generate_assignment`` → 학생 제출(맞는 답, 틀린 답) → ``autograde`` →
``generate_feedback``. 채점 셀의 점수가 ``aelib.exercises``의 판정과 같은지, 그리고 ``./course student``의 학생용과
nbgrader의 학생용이 같은 노트북인지 봅니다. 설정은 저장소의 ``nbgrader_config.py`` 그대로."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from aelib import exercises as E
from aelib.student import student_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
pytest.importorskip("nbgrader", reason="nbgrader는 requirements.txt에 있음: ./course setup")


def nbgrader(course: Path, *args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           # nbgrader는 데이터베이스를 만들 때 명령 `alembic`을 PATH에서 찾음 (가상환경을 켠 것처럼)
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--CourseDirectory.root=" + str(course)],
                          cwd=course, env=env, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def course_with(tmp_path: Path, notebooks) -> Path:
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    for path in notebooks:
        shutil.copy(path, course / "source" / "ps1" / path.name)
    nbgrader(course, "generate_assignment", "ps1", "--force")
    return course


def comparable(nb):
    """nbgrader가 자기 기록용으로 더하는 것(검사합, 셀 종류)만 뺀 셀들."""
    cells = []
    for cell in nb.cells:
        cell = nbformat.from_dict(cell)
        meta = cell.metadata.get("nbgrader")
        if meta:
            meta.pop("checksum", None)
            meta.pop("cell_type", None)
        cells.append(cell)
    return cells


def test_course_student_and_nbgrader_generate_assignment_give_the_same_notebooks(tmp_path):
    course = course_with(tmp_path, NOTEBOOKS)
    for path in NOTEBOOKS:
        released = nbformat.read(course / "release" / "ps1" / path.name, as_version=4)
        ours = student_notebook(nbformat.read(path, as_version=4))
        assert comparable(released) == comparable(ours), path.name


# 틀린 제출: 풀이 셀의 id → 학생이 쓴 코드. 나머지 풀이 셀은 강사의 풀이 그대로 (맞는 답).
WRONG = {
    "ex01-pad": "import torch.nn.functional as F\n\nfrom aelib.exercises import check_pad_to_32, reveal, solution_or_reference\n\n\n"
                "def pad_to_32(images):\n    return F.pad(images, (0, 4, 0, 4))",
    "ex01-zero-a": "prediction = 0.3",
    "ex01-1": "from aelib.exercises import check_conv_output_size, reveal, solution_or_reference\n\n\n"
              "def conv_output_size(n, kernel_size=3, stride=2, padding=1):\n"
              "    return (n + 2 * padding - kernel_size) // stride",
    "ex01-2-a": "prediction = 24",
    "ex02-2-a": "prediction = \"293,120\"",  # 숫자 글자도 맞음
}
GRADE_OF = {  # 채점 셀 → (연습문제, 그 채점이 보는 풀이 셀)
    "ex01-pad-check": ("1.1", "ex01-pad"), "ex01-zero-run": ("1.2", "ex01-zero-a"),
    "ex01-1-check": ("2.1", "ex01-1"), "ex01-2-run": ("2.2", "ex01-2-a"),
    "ex02-1-check": ("2.3", "ex02-1"), "ex02-2-run": ("2.4", "ex02-2-a"),
}


def expected_score(key: str, source: str) -> float:
    """aelib.exercises의 판정 (nbgrader 없이 같은 코드를 실행해서)."""
    namespace = {}
    exec("import torch\nimport torch.nn.functional as F\nfrom torch import nn", namespace)  # 노트북 첫 셀의 import
    exec(source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), namespace)
    if key in E.EXERCISES:
        answer = {"1.1": "pad_to_32", "2.1": "conv_output_size", "2.3": "MyEncoder"}[key]
        return E.diagnose(key, namespace[answer]).score
    return E.reveal(key, namespace["prediction"], actual_value(key))


def actual_value(key: str):
    """예측 문제의 실제 값 (노트북의 실행 셀과 같은 계산)."""
    if key == "1.2":
        from aelib.data import load_fashion_mnist
        return round((load_fashion_mnist("train").tensors[0][:10000] == 0).double().mean().item(), 3)
    if key == "2.2":
        def last(n):
            for _ in range(3):
                n = E.conv_output_size(n, kernel_size=3, stride=2, padding=1)
            return n
        return next(n for n in range(1, 65) if last(n) == 4)
    if key == "2.4":
        # 새 Conv2d(128 → 256): (3·3·128 + 1)·256, Linear의 입력이 128·4·4에서 256·2·2로
        return (3 * 3 * 128 + 1) * 256 + (256 * 2 * 2 + 1) * 2 - (128 * 4 * 4 + 1) * 2
    raise KeyError(key)


def submit(course: Path, student: str, replace: dict):
    folder = course / "submitted" / student / "ps1"
    folder.mkdir(parents=True)
    for released in (course / "release" / "ps1").glob("*.ipynb"):
        nb = nbformat.read(released, as_version=4)
        teacher = {c.id: c for c in nbformat.read(course / "source" / "ps1" / released.name, as_version=4).cells}
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = replace.get(cell.id, teacher[cell.id].source)
        nbformat.write(nb, folder / released.name)


@pytest.mark.slow
def test_generate_assignment_autograde_feedback_scores_match_the_checks(tmp_path, monkeypatch):
    course = course_with(tmp_path, [ROOT / "notebooks" / "01_introduction.ipynb", ROOT / "notebooks" / "02_encoder.ipynb"])
    submit(course, "right", {})
    submit(course, "wrong", WRONG)
    nbgrader(course, "autograde", "ps1", "--create")
    nbgrader(course, "generate_feedback", "ps1")
    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))  # alembic
    scores = {}
    with Gradebook("sqlite:///" + str(course / "gradebook.db")) as gb:
        for student in ("right", "wrong"):
            for notebook in gb.find_submission("ps1", student).notebooks:
                for grade in notebook.grades:
                    assert grade.max_score == 1.0
                    scores[(student, grade.name)] = grade.auto_score
    assert {cell for _, cell in scores} == set(GRADE_OF)
    teacher = {c.id: c.source for p in ("01_introduction", "02_encoder")
               for c in nbformat.read(ROOT / "notebooks" / f"{p}.ipynb", as_version=4).cells}
    for cell, (key, solution) in GRADE_OF.items():
        assert scores[("right", cell)] == expected_score(key, teacher[solution]) == 1.0, cell
        sources = {**teacher, **WRONG}
        wanted = expected_score(key, sources[solution])
        assert scores[("wrong", cell)] == wanted, (cell, scores[("wrong", cell)], wanted)
    assert sorted(scores[("wrong", c)] for c in GRADE_OF) == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    for student in ("right", "wrong"):
        for name in ("01_introduction", "02_encoder"):
            feedback = course / "feedback" / student / "ps1" / f"{name}.html"
            assert feedback.exists() and "연습문제" in feedback.read_text(encoding="utf-8")
    print({k: v for k, v in sorted(scores.items())})

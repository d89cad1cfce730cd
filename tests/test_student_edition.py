"""학생용 노트북: 풀이가 없고, 나머지는 그대로이며, 새 커널에서 처음부터 끝까지 오류 없이 실행됩니다."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from aelib import exercises
from aelib.student import BEGIN, CODE_STUB, END, is_grade, is_solution, solution_lines, stub_solution, student_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISE_HEADING = re.compile(r"^### 연습문제 (\d+\.\d+)", re.M)


def read(path):
    return nbformat.read(path, as_version=4)


def exercise_keys(nb) -> list[str]:
    return [k for c in nb.cells if c.cell_type == "markdown" for k in EXERCISE_HEADING.findall(c.source)]


def test_stub_keeps_the_function_and_indentation():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n"
    indented = "\n".join("    " + line for line in CODE_STUB.split("\n"))
    assert stub_solution(source) == f"def f(x):\n{indented}\n"
    namespace = {}
    exec(stub_solution(source), namespace)
    assert namespace["f"](1) is None  # 빈 함수는 None → 채점은 "아직 풀지 않았습니다"
    top = "prediction = None\n### BEGIN SOLUTION\nprediction = 4\n### END SOLUTION"
    assert stub_solution(top) == f"prediction = None\n{CODE_STUB}"
    namespace = {}
    exec(stub_solution(top), namespace)  # 맨 바깥에서도 오류 없이: 노트북이 계속 실행됨
    assert namespace["prediction"] is None
    with pytest.raises(ValueError):
        stub_solution("### BEGIN SOLUTION\nx = 1\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_two_to_four_exercises(path):
    keys = exercise_keys(read(path))
    assert 2 <= len(keys) <= 4, keys
    number = int(path.stem[:2])
    assert keys == [f"{number}.{i}" for i in range(1, len(keys) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_solutions_use_nbgrader_markers(path):
    nb = read(path)
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if cell.cell_type == "code" and meta and meta.get("solution"):
            assert cell.source.count(BEGIN) == cell.source.count(END) == 1, cell.source
            assert meta["schema_version"] == 3 and meta["grade"] is False and meta["locked"] is False
            ids.append(meta["grade_id"])
        elif BEGIN in cell.source:
            pytest.fail(f"풀이 표시가 풀이 셀 밖에 있습니다 / marker outside a solution cell: {cell.source[:80]}")
    assert ids and len(ids) == len(set(ids))
    # 연습문제마다 채점 셀 하나: 잠겨 있고 1점, 마지막 줄이 점수를 돌려주는 check_…/reveal
    grades = [c for c in nb.cells if is_grade(c)]
    assert len(grades) == len(exercise_keys(nb))
    grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in grades]
    assert len(set(grade_ids + ids)) == len(grade_ids) + len(ids)
    for cell in grades:
        meta = cell.metadata["nbgrader"]
        assert meta["locked"] is True and meta["points"] == 1 and meta["solution"] is False, meta
        last = cell.source.strip().splitlines()[-1]
        assert re.match(r"(check_\w+|reveal)\(", last), last
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert [o.data["text/plain"] for o in results] == ["1.0"]  # 강사용: 풀이가 만점
        assert not any(o.output_type == "stream" and o.name == "stderr" for o in cell.outputs)
    for match in re.finditer(r"check_\w+", "\n".join(c.source for c in nb.cells if c.cell_type == "code")):
        assert hasattr(exercises, match.group()), match.group()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_has_no_solutions_and_keeps_the_rest(path):
    teacher = read(path)
    student = student_notebook(teacher)
    text = "\n".join(c.source for c in student.cells)
    taught = "\n".join(c.source for c in teacher.cells if not is_solution(c))  # 본문이 이미 보여 주는 코드는 허용
    # 풀이 줄(짧은 줄과 본문에 이미 있는 줄 말고)이 학생용 어디에도 없음
    checked = 0
    for cell in teacher.cells:
        if is_solution(cell):
            lines = solution_lines(cell.source) if cell.cell_type == "code" else cell.source.splitlines()
            for line in lines:
                if len(line.strip()) > 12 and line.strip() not in taught:
                    checked += 1
                    assert line.strip() not in text, line
    assert checked >= 2
    assert BEGIN not in text and END not in text
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    # 연습문제 셀의 출력은 비었고, 나머지 셀은 출력까지 그대로
    kept = [c for c in teacher.cells if not (c.cell_type == "markdown" and is_solution(c))]
    assert len(kept) == len(student.cells)
    for before, after in zip(kept, student.cells):
        if "exercise" in before.metadata.get("tags", []):
            assert after.cell_type == "markdown" or after.outputs == []
        else:
            assert after == before
    assert exercise_keys(student) == exercise_keys(teacher)
    assert read(path) == teacher  # 원본은 그대로


def test_course_student_command_writes_all_notebooks(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aelib.student", *map(str, NOTEBOOKS), "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    refused = subprocess.run([sys.executable, "-m", "aelib.student", str(NOTEBOOKS[0]), "--out", str(ROOT / "notebooks")],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0 and "원본" in refused.stderr


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebook_runs_top_to_bottom_and_reports_not_yet_solved(path, tmp_path):
    """학생용 노트북을 새 커널에서 실행 (04는 배포 가중치를 써서 3 에포크 훈련을 건너뜀)."""
    from nbclient import NotebookClient

    nb = student_notebook(read(path))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = cell.source.replace("USE_SHIPPED_WEIGHTS = False", "USE_SHIPPED_WEIGHTS = True")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                        if o.get("output_type") == "stream")
    for key in exercise_keys(nb):
        assert f"연습문제 {key}" in printed and re.search(rf"연습문제 {re.escape(key)}.*아직 풀지 않았습니다", printed), key
    assert "정답입니다" not in printed and "Traceback" not in printed
    for cell in nb.cells:
        if is_grade(cell):  # 채점 셀: 0점, 오류도 stderr도 없음 (nbgrader가 0점을 그대로 기록)
            assert [o.data["text/plain"] for o in cell.outputs if o.output_type == "execute_result"] == ["0.0"], cell.source
            assert not any(o.output_type == "error" or o.get("name") == "stderr" for o in cell.outputs), cell.source

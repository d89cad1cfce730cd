"""강사용 노트북 → 학생용 노트북 (같은 원본에서 두 판). nbgrader의 ``generate_assignment``와 같은 결과를 냅니다.

    python -m aelib.student notebooks/*.ipynb --out 학생용/     # 또는 ./course student 학생용/

저장소의 노트북은 강사용입니다: 연습문제의 풀이와 실제 실행 결과가 들어 있습니다. 학생용은 이렇게 만듭니다
(nbgrader의 규칙 그대로; 저장소의 ``nbgrader_config.py``가 ``configure_nbgrader``로 같은 설정을 nbgrader에 줌).

- 풀이 코드: 셀 메타데이터 ``nbgrader.solution``이 참인 코드 셀에서 ``### BEGIN SOLUTION`` … ``### END SOLUTION``
  사이를 빈칸 ``CODE_STUB``(주석 한 줄과 ``pass``)으로 바꿉니다. 함수 안이면 함수가 ``None``을 돌려주어 채점이
  "아직 풀지 않았습니다"라고 하고, 셀의 맨 바깥이어도 오류가 나지 않아 학생용 노트북이 처음부터 끝까지 실행됩니다.
  표시가 없는 풀이 셀은 셀 전체가 빈칸이 됩니다.
- 풀이 글: 태그 ``solution``이 붙은 셀은 지웁니다 (nbconvert의 ``TagRemovePreprocessor``와 같은 규칙).
- 연습문제 셀(태그 ``exercise``)의 출력은 지웁니다. 나머지 셀과 출력은 그대로 둡니다.
- 잠금: nbgrader의 ``LockCells``처럼 풀이 셀은 지울 수 없게, 채점 셀과 잠긴 셀은 지우거나 고칠 수 없게
  (``deletable``/``editable`` 메타데이터).
"""

import re
from pathlib import Path

import nbformat

from .errors import NotebookError
from .tools import atomic, cli, paths

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# 여기에 코드를 쓰세요 (YOUR CODE HERE)\npass"
EXERCISE_TAG, SOLUTION_TAG = "exercise", "solution"
CELL_TIMEOUT = 1800  # nbgrader가 셀 하나를 실행하는 시간 제한 (초): 04의 3 에포크 훈련이 들어감


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_solution(cell) -> bool:
    """nbgrader의 풀이 셀(코드)이거나 ``solution`` 태그가 붙은 셀."""
    return bool(_meta(cell).get("solution")) or SOLUTION_TAG in cell.metadata.get("tags", [])


def is_grade(cell) -> bool:
    """nbgrader의 채점 셀 (점수가 있는 셀)."""
    return bool(_meta(cell).get("grade"))


def solution_lines(source: str) -> list[str]:
    """``### BEGIN SOLUTION``과 ``### END SOLUTION`` 사이의 줄들 (표시가 없으면 전체)."""
    lines = source.splitlines()
    if not any(BEGIN in line for line in lines):
        return lines
    inside, found = False, []
    for line in lines:
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside:
            found.append(line)
    return found


def stub_solution(source: str) -> str:
    """풀이 구간을 빈칸으로 바꾼 코드 (nbgrader ``ClearSolutions``와 같은 규칙: 표시 줄의 들여쓰기를 따름)."""
    lines = source.split("\n")
    if not any(BEGIN in line for line in lines):
        return CODE_STUB
    out, inside = [], False
    for number, line in enumerate(lines, start=1):
        if BEGIN in line:
            if inside:
                raise NotebookError(f"{number}번째 줄: {END} 전에 {BEGIN}이 또 있습니다.",
                                    f"line {number}: nested {BEGIN} (another {BEGIN} before {END}).")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out.extend(indent + stub for stub in CODE_STUB.split("\n"))
        elif END in line:
            if not inside:
                raise NotebookError(f"{number}번째 줄: {BEGIN} 없이 {END}가 있습니다.",
                                    f"line {number}: {END} without {BEGIN}.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise NotebookError(f"{BEGIN}을(를) 닫는 {END}가 없습니다.", f"{BEGIN} is never closed by {END}.")
    return "\n".join(out)


def _clear_outputs(cell) -> None:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None


def _lock(cell) -> None:
    """nbgrader ``LockCells``의 기본 규칙."""
    meta = _meta(cell)
    if meta.get("solution"):
        cell.metadata["deletable"] = False
    elif meta.get("grade") or meta.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False


def student_cell(cell):
    """셀 하나를 학생용으로 (제자리에서 바꿈). 지울 셀이면 ``None``."""
    if SOLUTION_TAG in cell.metadata.get("tags", []):
        return None  # 풀이 글은 학생용에서 지움
    _lock(cell)
    if cell.cell_type == "code" and _meta(cell).get("solution"):
        cell.source = stub_solution(cell.source)
    if EXERCISE_TAG in cell.metadata.get("tags", []):
        _clear_outputs(cell)
    return cell


def student_notebook(nb):
    """강사용 노트북(nbformat) → 학생용 노트북 (새 객체)."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # 원본을 건드리지 않게 깊은 복사
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        try:
            cell = student_cell(cell)
        except NotebookError as exc:  # 어느 셀인지 붙여서
            where = f"{number}번째 셀(id {cell.get('id', '?')})"
            raise NotebookError(f"{where}의 풀이 표시가 틀렸습니다: {exc.korean}",
                                f"cell {number} (id {cell.get('id', '?')}) has broken solution markers: "
                                f"{exc.english}") from None
        if cell is not None:
            cells.append(cell)
    nb.cells = cells
    return nb


def configure_nbgrader(c) -> None:
    """nbgrader 설정 (``nbgrader_config.py``가 부름): ``generate_assignment``가 ``student_notebook``과 같은
    학생용을 만들고, ``autograde``가 04의 훈련을 기다리도록."""
    from nbgrader import preprocessors as pp
    from nbconvert.preprocessors import TagRemovePreprocessor

    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {SOLUTION_TAG}
    c.GenerateAssignment.preprocessors = [
        pp.IncludeHeaderFooter, pp.LockCells, pp.ClearSolutions, TagRemovePreprocessor, ClearExerciseOutputs,
        pp.CheckCellMetadata, pp.ComputeChecksums, pp.SaveCells, pp.ClearHiddenTests, pp.ClearMarkScheme,
        pp.ComputeChecksums, pp.CheckCellMetadata,
    ]
    c.Execute.timeout = CELL_TIMEOUT
    c.ExecutePreprocessor.timeout = CELL_TIMEOUT


try:  # nbgrader의 전처리기: nbconvert가 있을 때만 (학생용 만들기 자체는 nbformat만 씀)
    from nbconvert.preprocessors import Preprocessor

    class ClearExerciseOutputs(Preprocessor):
        """연습문제 셀(태그 ``exercise``)의 출력만 지움 (nbgrader의 ``ClearOutput`` 대신: 본문의 출력은 남김)."""

        enabled = True

        def preprocess_cell(self, cell, resources, index):
            if EXERCISE_TAG in cell.metadata.get("tags", []):
                _clear_outputs(cell)
            return cell, resources
except ImportError:  # pragma: no cover
    pass


def main(argv=None) -> None:
    parser = cli.ArgumentParser(module="aelib.student", description="학생용 노트북 만들기 / build the student edition of the notebooks")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", required=True, help="학생용 노트북을 쓸 폴더 / output folder")
    parser.add_argument("--force", action="store_true",
                        help="--out에 이미 있는 노트북을 덮어씀 / replace notebooks already in --out")
    args = parser.parse_args(argv)
    with parser.checking():  # 쓰기 전에 모두 확인: 원본, 쓸 폴더, 학생이 이미 고친 노트북
        books = [paths.notebook(src) for src in args.notebooks]
        out = paths.output_dir(args.out, "--out", sources=args.notebooks)
        paths.refuse_overwrite([out / src.name for src in args.notebooks], args.force, "노트북", "notebooks")
        editions = []
        for src, book in zip(args.notebooks, books):
            try:
                editions.append(student_notebook(book))
            except NotebookError as exc:
                raise NotebookError(f"{src}: {exc.korean}", f"{src}: {exc.english}") from None
    out.mkdir(parents=True, exist_ok=True)
    for src, nb in zip(args.notebooks, editions):
        target = atomic.write_notebook(out / src.name, nb)
        solutions = sum(CODE_STUB.split("\n")[0] in c.source for c in nb.cells if c.cell_type == "code")
        print(f"{target} (빈칸 {solutions}곳)")


if __name__ == "__main__":
    cli.run(main)

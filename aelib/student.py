"""강사용 노트북 → 학생용 노트북 (같은 원본에서 두 판).

    python -m aelib.student notebooks/*.ipynb --out 학생용/     # 또는 ./course student 학생용/

저장소의 노트북은 강사용입니다: 연습문제의 풀이와 실제 실행 결과가 들어 있습니다. 학생용은 이렇게 만듭니다.

- 풀이 코드: nbgrader의 표시를 따릅니다. 셀 메타데이터 ``nbgrader.solution``이 참인 코드 셀에서
  ``### BEGIN SOLUTION`` … ``### END SOLUTION`` 사이를 빈칸으로 바꿉니다. 함수 안이면
  ``raise NotImplementedError()``(nbgrader의 기본 빈칸과 같음), 셀의 맨 바깥이면 주석 한 줄만 남겨
  학생용 노트북이 처음부터 끝까지 오류 없이 실행됩니다. 표시가 없는 풀이 셀은 셀 전체가 빈칸이 됩니다.
- 풀이 글: 태그 ``solution``이 붙은 마크다운 셀은 지웁니다 (nbconvert의 ``TagRemovePreprocessor``와 같은 규칙).
- 연습문제 셀(태그 ``exercise``)과 풀이 셀의 출력은 지웁니다. 나머지 셀과 출력은 그대로 둡니다.

같은 노트북을 nbgrader의 ``generate_assignment``에 넣어도 풀이 코드가 같은 자리에서 빈칸이 됩니다.
"""

from pathlib import Path

import nbformat

from .errors import NotebookError
from .tools import atomic, cli, paths

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# 여기에 코드를 쓰세요 (YOUR CODE HERE)"
EXERCISE_TAG, SOLUTION_TAG = "exercise", "solution"


def is_solution(cell) -> bool:
    """nbgrader의 풀이 셀(코드)이거나 ``solution`` 태그가 붙은 셀."""
    return bool(cell.metadata.get("nbgrader", {}).get("solution")) or SOLUTION_TAG in cell.metadata.get("tags", [])


def solution_lines(source: str) -> list[str]:
    """``### BEGIN SOLUTION``과 ``### END SOLUTION`` 사이의 줄들 (표시가 없으면 전체)."""
    lines = source.splitlines()
    if not any(line.strip() == BEGIN for line in lines):
        return lines
    inside, found = False, []
    for line in lines:
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            found.append(line)
    return found


def stub_solution(source: str) -> str:
    """풀이 구간을 빈칸으로 바꾼 코드."""
    lines = source.splitlines()
    if not any(line.strip() == BEGIN for line in lines):
        return CODE_STUB + "\nraise NotImplementedError()"
    out, inside = [], False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise NotebookError(f"{number}번째 줄: {END} 전에 {BEGIN}이 또 있습니다.",
                                    f"line {number}: nested {BEGIN} (another {BEGIN} before {END}).")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + CODE_STUB)
            if indent:  # 함수·메서드 안: nbgrader처럼 NotImplementedError
                out.append(indent + "raise NotImplementedError()")
        elif stripped == END:
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


def student_notebook(nb):
    """강사용 노트북(nbformat) → 학생용 노트북 (새 객체)."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # 원본을 건드리지 않게 깊은 복사
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        tags = cell.metadata.get("tags", [])
        if is_solution(cell):
            if cell.cell_type != "code":
                continue  # 풀이 글은 학생용에서 지움
            try:
                cell.source = stub_solution(cell.source)
            except NotebookError as exc:  # 어느 셀인지 붙여서
                where = f"{number}번째 셀(id {cell.get('id', '?')})"
                raise NotebookError(f"{where}의 풀이 표시가 틀렸습니다: {exc.korean}",
                                    f"cell {number} (id {cell.get('id', '?')}) has broken solution markers: "
                                    f"{exc.english}") from None
            _clear_outputs(cell)
        elif EXERCISE_TAG in tags:
            _clear_outputs(cell)
        cells.append(cell)
    nb.cells = cells
    return nb


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
        solutions = sum(CODE_STUB in c.source for c in nb.cells if c.cell_type == "code")
        print(f"{target} (빈칸 {solutions}곳)")


if __name__ == "__main__":
    cli.run(main)

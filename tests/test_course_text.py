"""강좌 글의 약속: 책의 색, 노트북 사이의 길잡이, 책 제목, 학생에게 보이지 않는 시험 도구."""

import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from aelib import labels

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BOOK_TITLE = "「만들면서 배우는 생성 AI」"


def _hue(hex_color: str) -> float:
    import colorsys

    return colorsys.rgb_to_hsv(*matplotlib.colors.to_rgb(hex_color))[0] * 360


def test_class_colours_are_the_books_rainbow_so_the_note_is_true():
    expected = [matplotlib.colors.to_hex(matplotlib.colormaps["rainbow"](i / 9)) for i in range(10)]
    assert labels.COLORS == expected
    # 노트: "주황색(가방) 영역이 빨간색(앵글부츠) 영역보다 …"
    assert 5 <= _hue(labels.COLORS[8]) <= 40, "가방은 주황색"
    assert labels.COLORS[9] == "#ff0000", "앵클 부츠는 빨간색"


def test_highlight_colours_are_not_class_colours():
    from aelib import plotting, problem_plots

    classes = {c.lower() for c in labels.COLORS}
    assert problem_plots.HIGHLIGHT.lower() not in classes
    assert plotting.EMBEDDING_GRAY.lower() not in classes
    assert matplotlib.colors.to_hex("blue") not in classes  # 05의 파란 샘플 점


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)]+\.ipynb)\)", text)


@pytest.mark.parametrize("index", range(len(NOTEBOOK_FILES)), ids=[p.stem for p in NOTEBOOK_FILES])
def test_each_notebook_starts_with_previous_and_next_and_ends_with_next(index):
    nb = nbformat.read(NOTEBOOK_FILES[index], as_version=4)
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown" and last.cell_type == "markdown"
    names = [p.name for p in NOTEBOOK_FILES]
    top = _links(first.source.splitlines()[0])
    if index > 0:
        assert names[index - 1] in top, "맨 위 줄에 앞 노트북 링크"
    following = names[index + 1] if index + 1 < len(names) else None
    if following:
        assert following in top, "맨 위 줄에 다음 노트북 링크"
        assert following in _links(last.source), "마지막 셀에 다음 노트북 링크"
    else:
        assert _links(last.source), "마지막 셀에 다음 노트북 링크"
    for link in _links(first.source) + _links(last.source):
        if link != "08_beyond_2d.ipynb":  # 07 다음 노트북 (따로 추가됨)
            assert (NOTEBOOK_FILES[index].parent / link).exists(), link


def test_readme_and_course_table_list_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = nbformat.read(NOTEBOOK_FILES[0], as_version=4)
    course_table = next(c.source for c in intro.cells if "## 7. 강좌 구성" in c.source)
    for path in NOTEBOOK_FILES:
        assert f"(notebooks/{path.name})" in readme, f"README 표에 {path.name} 링크"
        number = path.name[:2]
        assert re.search(rf"^\| \[?{number} ", course_table, flags=re.M), f"01의 강좌 구성 표에 {number}"


def test_book_title_everywhere_and_no_other_title():
    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
             "pyproject.toml": (ROOT / "pyproject.toml").read_text(encoding="utf-8"),
             "01": "".join(c.source for c in nbformat.read(NOTEBOOK_FILES[0], as_version=4).cells)}
    for name, text in texts.items():
        assert BOOK_TITLE in text, name
    for path in NOTEBOOK_FILES:
        text = path.read_text(encoding="utf-8")
        assert "생성 딥러닝」" not in text and "공부하는 생성" not in text, path.name


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_no_test_machinery_in_what_students_read(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert "NBVAL" not in cell.source.upper().replace("NBVAL-", ""), "nbval 지시는 셀 태그로"
        for out in cell.get("outputs", []):
            text = out.get("text", "") + "".join(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
            assert not re.search(r"\b[A-Z][a-zA-Z]+\.[A-Z_]{3,}\b", text), f"열거형 repr이 출력에: {text[:200]}"

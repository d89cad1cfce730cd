"""노트북의 글에 옮겨 적은 숫자가 같은 노트북이 실제로 계산한 출력과 같은지 (가중치를 다시 훈련하면 글도 고쳐야 함)."""

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _table_numbers(markdown: str) -> list[list[str]]:
    """마크다운 표의 줄마다 소수(예: 16.485)만 골라 냅니다."""
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and re.search(r"\d\.\d{3}", line)]
    return [re.findall(r"\d+\.\d{3}", row.replace("**", "")) for row in rows]


def test_vae_summary_prose_matches_the_computed_table():
    nb = nbformat.read(NOTEBOOKS / "07_vae.ipynb", as_version=4)
    computed = [o.data["text/markdown"] for c in nb.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if "data" in o and "text/markdown" in o.data]
    assert len(computed) == 1, "계산한 비교 표는 하나여야 합니다"
    summary = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## 정리"))
    assert _table_numbers(summary) == _table_numbers(computed[0])
    assert len(_table_numbers(summary)) == 3 and all(len(r) == 3 for r in _table_numbers(summary))



def test_beyond_2d_prose_quotes_only_printed_numbers():
    """08의 글에 있는 소수는 모두 같은 노트북의 출력에 같은 자릿수로 있어야 함 (정리의 표는 코드 셀이 출력)."""
    nb = nbformat.read(NOTEBOOKS / "08_beyond_2d.ipynb", as_version=4)
    printed = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                        if o.get("output_type") == "stream")
    if not printed:
        return  # 아직 실행하지 않은 노트북 (출력이 없음)
    summary = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## 정리"))
    assert "검증 BCE" in "".join(o.get("text", "") for o in nb.cells[summary + 1].get("outputs", []))
    prose = "\n".join(re.sub(r"\$[^$]*\$|`[^`]*`", "", c.source) for c in nb.cells if c.cell_type == "markdown")
    quoted = re.findall(r"(?<![\w.])\d+\.\d+", prose.replace("**", ""))
    missing = [q for q in quoted if q not in printed]
    assert not missing, f"출력에 없는 숫자: {missing}"

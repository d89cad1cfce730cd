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

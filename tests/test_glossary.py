"""한 개념에 한 용어: README의 한영 용어집이 쓰지 않기로 한 말이 노트북(글과 코드)과 README에 없는지 봅니다.

용어집 표(README의 "## 한영 용어집")가 유일한 출처입니다. 표의 셋째 열 "쓰지 않는 말"을 쉼표로 나눠 찾습니다.
예외: 노트를 그대로 옮긴 인용(``>``로 시작하는 줄), 마크다운의 코드 블록(노트의 코드), 한국어 용어 바로 뒤 괄호 안의
영어 용어(예: "잠재 공간(latent space)"), 그리고 허용된 용어 안에 든 글자(예: "재매개변수화"의 "매개변수").
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOTEBOOK_FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def glossary() -> list[tuple[str, str, list[str]]]:
    """(한국어, English, [쓰지 않는 말]) 목록."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## 한영 용어집", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("한국어", "---"):
            rows.append((cells[0], cells[1], [v.strip() for v in cells[2].split(",") if v.strip()]))
    return rows


def _prose(text: str) -> str:
    """인용과 코드 블록을 뺀 글."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _sources():
    """(이름, 글) — 노트북의 마크다운 셀과 코드 셀, 용어집 절을 뺀 README."""
    for path in NOTEBOOK_FILES:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            yield f"{path.name} 셀 {i}", _prose(cell.source) if cell.cell_type == "markdown" else cell.source
    text = README.read_text(encoding="utf-8")
    before, after = text.split("## 한영 용어집", 1)
    rest = after.split("\n## ", 1)
    yield "README.md", _prose(before + ("\n## " + rest[1] if len(rest) > 1 else ""))


def variant_uses(text: str, rows=None) -> list[str]:
    """글에서 찾은 '쓰지 않는 말' (허용된 용어 안의 글자와 괄호 속 영어 용어는 빼고)."""
    rows = rows if rows is not None else glossary()
    allowed = sorted({term for term, _, _ in rows}, key=len, reverse=True)
    found = []
    for term, english, variants in rows:
        for variant in variants:
            for m in re.finditer(re.escape(variant), text, flags=re.IGNORECASE):
                # 허용된 더 긴 용어의 일부인가 (재매개변수화 ⊃ 매개변수)
                inside = any(variant in a and variant != a and _covers(text, m, a) for a in allowed)
                gloss = variant.isascii() and text[max(0, m.start() - 1):m.start()] == "("
                if not inside and not gloss:
                    found.append(f"{variant!r} (→ {term}): …{text[max(0, m.start() - 20):m.end() + 20]}…")
    return found


def _covers(text: str, match, longer: str) -> bool:
    """``match`` 자리의 글자가 ``longer``라는 허용된 용어의 일부인가."""
    offset = longer.find(text[match.start():match.end()])
    start = match.start() - offset
    return start >= 0 and text[start:start + len(longer)] == longer


def test_glossary_has_one_korean_term_per_concept_with_english():
    rows = glossary()
    assert len(rows) >= 15
    koreans = [k for k, _, _ in rows]
    assert len(set(koreans)) == len(koreans)
    assert all(english and re.search(r"[A-Za-z]", english) for _, english, _ in rows)
    for term in ("잠재 공간", "임베딩", "전치 합성곱", "재구성", "이진 크로스 엔트로피", "파라미터", "에포크", "시드", "변이형 오토인코더",
                 "재매개변수화"):
        assert term in koreans
    # 쓰지 않는 말이 다른 줄의 용어이면 안 됨
    variants = {v for _, _, vs in rows for v in vs}
    assert not variants & set(koreans)


@pytest.mark.parametrize("name,text", list(_sources()), ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_no_variant_terms(name, text):
    assert not variant_uses(text), f"{name}: 용어집에 없는 말을 썼습니다:\n" + "\n".join(variant_uses(text))


def test_variant_check_catches_and_allows():
    rows = glossary()
    assert variant_uses("디코더가 원래 이미지를 복원합니다.", rows)
    assert variant_uses("매개변수 수는 96,770개", rows)
    assert not variant_uses("재매개변수화 트릭으로 뽑습니다.", rows)
    assert not variant_uses("**잠재 공간**(latent space)", rows)
    assert variant_uses("latent space의 빈 구멍", rows)


PERSONA = re.compile(r"패션스타")
FIRST_PERSON = re.compile(r"(?<![가-힣\"'“])(나는|내가|나를|나에게|나의)(?=\s)")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_persona_is_quoted_and_no_first_person_narrator(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = _prose(cell.source)
        problems += [f"셀 {i}: 따옴표 없는 패션스타: …{text[m.start():m.start() + 12]}…"
                     for m in PERSONA.finditer(text)
                     if not re.match(r'\s*(\*\*)?"나"', text[m.end():])]
        problems += [f"셀 {i}: 1인칭 '{m.group()}': …{text[max(0, m.start() - 10):m.end() + 10]}…"
                     for m in FIRST_PERSON.finditer(text)]
    assert not problems, "\n".join(problems)


def test_share_is_not_called_quotient():
    """"몫"은 나눗셈의 몫(``//``)에만 씁니다: 전체 중의 비중은 "비율", 두 값의 비는 "배"."""
    problems = []
    for name, text in _sources():
        for m in re.finditer("몫", text):
            if not (text.startswith(" 연산자", m.end()) or text[:m.start()].endswith("나눈 ")):
                problems.append(f"{name}: …{text[max(0, m.start() - 20):m.end() + 10]}…")
    assert not problems, "몫 대신 비율(비중) 또는 배:\n" + "\n".join(problems)

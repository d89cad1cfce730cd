"""노트북의 글(마크다운 셀)에 적힌 숫자는 모두 같은 노트북의 셀이 출력한 숫자이거나, 책에서 온 숫자로 표시되어 있어야 합니다.

규칙 (DEVELOPERS.md: "Every number in a notebook's prose is printed by one of its cells at the same precision,
or is marked as the book's with where it comes from"):

- 글의 숫자 하나하나를 같은 노트북의 **저장된 출력**(stream, text/plain, text/markdown, text/html)에 나온 숫자와
  글자 그대로(같은 자릿수로) 비교합니다. ``63.7 %``는 출력의 ``63.7``이나 ``0.637``과 맞습니다 (100을 곱해도
  자릿수가 정확히 맞을 때만; ``0.6375``를 ``63.7 %``로 반올림한 것은 맞지 않습니다).
- 코드 셀의 소스에 쓴 숫자(층 크기, 시드, ``n=2000``, ``lr=5e-4`` 같은 설정값)도 글에 옮겨 쓸 수 있습니다.
- 책의 숫자는 ``BOOK_FIGURES``에 있고, 글의 같은 줄에 "책"이라는 말이 있을 때만 인정합니다.
- 이름의 일부인 숫자는 보지 않습니다: ``그림 3-8``, ``표 3-3``, ``노트북 05``, 절 번호(``5.1절``, ``### 5.1``),
  목록 번호, 인라인 코드(```...```), 링크 주소, 참고문헌 연도(``Kingma & Welling 2013``).
- 글에 계산을 보여 준 결과(``32×32 = 1,024``, ``128.3 ÷ 500 ≈ 0.257``)는 계산이 맞으면 인정합니다
  (결과의 자릿수로 반올림해 비교하므로 ``0.25 × 500 ≈ 128``은 틀림).
- 크기 이름(``32×32``, ``3×3``)은 검사하지 않습니다 (뒤에 ``=``가 오면 계산으로 검사).
- 0–10의 정수(개수, 번호, "3 에포크")는 검사하지 않습니다. 소수와 11 이상의 정수, 백분율이 이 검사의 대상입니다.
"""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# 책에서 온 숫자 (글의 같은 줄에 "책"이 있어야 인정). 값 → 어디에서 왔는지.
BOOK_FIGURES = {
    "0.2547": "역자 박해선의 케라스 노트북 notebooks/03_vae/01_autoencoder/autoencoder.ipynb에 저장된 출력, "
              "3 에포크 뒤 val_loss (github.com/rickiepark/Generative_Deep_Learning_2nd_Edition)",
    "134.6": "같은 저장소의 notebooks/03_vae/02_vae_fashion/vae_fashion.ipynb, 5 에포크 뒤 val_loss 134.5741",
    "129.3": "같은 노트북, 5 에포크 뒤 val_reconstruction_loss 129.2862",
    "5.3": "같은 노트북, 5 에포크 뒤 val_kl_loss 5.2879",
    "500": "책 3장 VAE의 재구성 손실 가중치 beta = 500 (역자 노트북의 BETA = 500)",
}

_NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?![\w.]*\.ipynb)")
_CODE_NUMBER = re.compile(r"(?<![\w.])\d+(?:_\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")
_NAMES = [
    r"(?:그림|표|Figure|Table|Fig\.?)\s*\d+(?:[-–.]\d+)*",  # 그림 3-8, 표 3-3
    r"노트북\s*\d+(?:[~–,·와과]\s*\d+)*",  # 노트북 05, 노트북 04와 06
    r"\d+(?:\.\d+)*\s*절",  # 5.1절
]


def _strip_markdown(text: str) -> str:
    """숫자를 볼 필요가 없는 부분을 지웁니다."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # 코드 블록
    text = re.sub(r"`[^`]*`", " ", text)  # 인라인 코드
    text = re.sub(r"\]\([^)]*\)", "] ", text)  # 링크 주소
    text = re.sub(r"<[^>]+>", " ", text)  # HTML 태그
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"arXiv:\s*\d+\.\d+", " ", text)  # 참고문헌 번호
    text = re.sub(r"^\s*#+\s*[\d.]+\s", "# ", text, flags=re.M)  # 제목의 절 번호
    text = re.sub(r"^(\s*)\d+\.\s", r"\1- ", text, flags=re.M)  # 번호 목록
    text = re.sub(r"\|\s*\d+\.\s", "| ", text)  # 표 안의 "1. 임베딩 공간의 크기"
    text = re.sub(r"\b\d+_\w+", " ", text)  # 파일 이름 05_latent_space
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{[^}]*\}", " ", text)
    for pattern in _NAMES:
        text = re.sub(pattern, " ", text)
    # 참고문헌 연도: 저자 이름 뒤의 연도 (Kingma & Welling 2013, Xiao et al. 2017, Dumoulin과 Visin 2016)
    text = re.sub(r"([A-Z][a-z]+(?: et al\.)?,?\s*(?:&|과|와|and)?\s*)(?:19|20)\d\d", r"\1", text)
    text = re.sub(r"(?:19|20)\d\d(?=[)\]])", " ", text)
    return text


def _decimal(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", "").replace("_", "").replace("−", "-"))
    except InvalidOperation:
        return None


def _same(a: Decimal, b: Decimal) -> bool:
    """값과 자릿수가 모두 같은가 (0.50과 0.5는 다름)."""
    return a == b and a.as_tuple().exponent == b.as_tuple().exponent


def _printed_numbers(nb) -> list[Decimal]:
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            texts = []
            if out.get("output_type") == "stream":
                texts.append(out.get("text", ""))
            for key in ("text/plain", "text/markdown", "text/html"):
                if key in out.get("data", {}):
                    texts.append(out["data"][key])
            for text in texts:
                text = re.sub(r"<[^>]+>", " ", text)
                found += [d for d in map(_decimal, _NUMBER.findall(text)) if d is not None]
    return found


def _code_numbers(nb) -> list[Decimal]:
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            found += [d for d in map(_decimal, _CODE_NUMBER.findall(cell.source)) if d is not None]
    return found


def _percent(d: Decimal) -> Decimal:
    """0.637 → 63.7 (자릿수를 지키며 100배)."""
    return d.scaleb(2)


_SIZE = re.compile(r"(?<![\d.,])\d+(?:×\d+)+(?![\d.,]|\s*[=≈])")  # 32×32, 28×28 같은 크기 이름


_OPERAND = r"[-−]?\d+(?:,\d{3})*(?:\.\d+)?"
_EQUATION = re.compile(rf"({_OPERAND}(?:\s*[×·+÷−-]\s*{_OPERAND})+)\s*(=|≈)\s*({_OPERAND})")


def _checked_results(line: str) -> set[tuple[int, int]]:
    """글에 쓴 계산(예: ``32×32 = 1,024``, ``128.3 ÷ 500 ≈ 0.257``)의 결과 중 맞는 것의 위치 (정수 피연산자 포함).

    결과는 계산 값을 결과의 자릿수로 반올림한 것과 같아야 합니다 (``0.25 × 500 ≈ 128``은 125라서 틀림).
    """
    ok = set()
    for m in _EQUATION.finditer(line):
        expression = m.group(1).replace(",", "").replace("×", "*").replace("·", "*").replace("÷", "/")
        expression = expression.replace("−", "-")
        if not re.fullmatch(r"[-\d.*/+ ]+", expression):
            continue
        try:
            value = Decimal(repr(eval(expression, {"__builtins__": {}})))  # 숫자와 사칙연산만 남은 식
        except (SyntaxError, ZeroDivisionError, InvalidOperation):
            continue
        result = _decimal(m.group(3))
        if result is not None and value.quantize(result) == result:
            ok.add(m.span(3))
            # 맞는 계산의 정수 피연산자(32×32의 32, ÷ 500의 500)도 인정; 소수 피연산자는 따로 출력에 있어야 함
            ok |= {o.span() for o in _NUMBER.finditer(line, m.start(1), m.end(1)) if "." not in o.group()}
    return ok


def unsupported_numbers(nb) -> list[str]:
    """글에 있지만 출력·코드·책 목록 어디에도 같은 자릿수로 없는 숫자 (셀 번호와 그 줄)."""
    printed = _printed_numbers(nb)
    printed_keys = {(d, d.as_tuple().exponent) for d in printed}
    percent_keys = {(_percent(d), _percent(d).as_tuple().exponent) for d in printed}
    code_values = set(_code_numbers(nb))
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in _strip_markdown(cell.source).splitlines():
            checked = _checked_results(line)
            sizes = {(m.start(), m.end()) for d in _SIZE.finditer(line)
                     for m in _NUMBER.finditer(line, d.start(), d.end())}
            for match in _NUMBER.finditer(line):
                if match.span() in checked or match.span() in sizes:
                    continue
                token = match.group()
                value = _decimal(token)
                if value is None:
                    continue
                key = (value, value.as_tuple().exponent)
                unsigned = (abs(value), value.as_tuple().exponent)
                after = line[match.end():match.end() + 2]
                if key in printed_keys or unsigned in printed_keys:
                    continue
                if "%" in after and (key in percent_keys or unsigned in percent_keys):
                    continue
                if abs(value) <= 10 and value == value.to_integral_value():
                    continue  # 0–10의 정수: 개수·번호로 어디에나 나오므로 검사하지 않음
                if abs(value) in code_values or ("%" in after and abs(value).scaleb(-2) in code_values):
                    continue
                if token.lstrip("−-") in BOOK_FIGURES and "책" in line:
                    continue
                problems.append(f"셀 {index}: {token!r} in {line.strip()[:120]!r}")
    return problems


NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_every_prose_number_is_printed_or_cited(path):
    nb = nbformat.read(path, as_version=4)
    problems = unsupported_numbers(nb)
    assert not problems, (f"{path.name}: 글의 숫자가 출력에 같은 자릿수로 없습니다 (출력을 바꾸거나 글을 고치세요):\n"
                          + "\n".join(problems))


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def _code(source, text):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def test_the_check_catches_a_number_no_cell_prints():
    # 07의 정리에 있던 문장: 이 숫자들은 어느 셀도 출력하지 않았습니다
    nb = _notebook([_code("print(shares)", "가방 0.1580 | 스니커즈 0.0410\n"),
                    nbformat.v4.new_markdown_cell("가장 넓은 가방이 15.8 %, 가장 좁은 스니커즈가 4.1 %입니다.")])
    assert len(unsupported_numbers(nb)) == 2


def test_the_check_accepts_printed_numbers_at_the_same_precision():
    nb = _notebook([_code("print(x)", "넓이 비율 0.158, 비율 16.5배, 상관 -0.43\n"),
                    nbformat.v4.new_markdown_cell("비율 15.8 %, 0.158, 비율 16.5배, 상관 −0.43 (그림 3-8, 표 3-3, 노트북 05).")])
    assert unsupported_numbers(nb) == []


def test_the_check_rejects_a_rounded_copy_and_an_unmarked_book_number():
    nb = _notebook([_code("print(x)", "비율 16.4849\n"),
                    nbformat.v4.new_markdown_cell("비율 16.5배, 검증 손실 0.2547."),
                    nbformat.v4.new_markdown_cell("책의 검증 손실 0.2547.")])
    assert [p.split(":")[0] for p in unsupported_numbers(nb)] == ["셀 1", "셀 1"]


def test_the_check_verifies_arithmetic_written_in_the_prose():
    nb = _notebook([_code("print(x)", "BCE 0.2534, 재구성 128.3\n"),
                    nbformat.v4.new_markdown_cell("32×32 = 1,024개, 128.3 ÷ 500 ≈ 0.257, 0.2534 × 500 ≈ 126.7"),
                    nbformat.v4.new_markdown_cell("BCE 0.25 × 500 ≈ 128")])
    problems = unsupported_numbers(nb)
    assert {p.split(":")[0] for p in problems} == {"셀 2"}
    assert any("'128'" in p for p in problems)  # 0.25 × 500 = 125


def test_book_figures_say_where_they_come_from():
    assert 0 < len(BOOK_FIGURES) <= 10
    assert all(len(source) > 20 for source in BOOK_FIGURES.values())

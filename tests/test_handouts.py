"""HTML 배포본: 파일 하나에 그림, 한국어 글꼴, 수식(MathJax)이 들어 있어야 합니다."""

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from aelib.handouts import render

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_training.ipynb"


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    return render(NOTEBOOK, tmp_path_factory.mktemp("handouts")).read_text(encoding="utf-8")


def test_handout_embeds_images_and_a_hangul_only_font(html):
    assert html.count("data:image/png;base64,") >= 3  # 재구성 두 번, 손실 곡선
    assert not re.search(r'<img[^>]+src="(?!data:)', html)  # 바깥 파일을 가리키는 그림 없음
    font = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\) format\('truetype'\);unicode-range:([^;]+);", html)
    assert font, "글꼴이 HTML 안에 없습니다"
    cmap = TTFont(io.BytesIO(base64.b64decode(font.group(1)))).getBestCmap()
    for ch in "훈련재구성손실":  # 노트북 본문의 한글이 부분 글꼴에 들어 있어야 함
        assert ord(ch) in cmap
    assert "U+AC00-D7AF" in font.group(2)  # 라틴 글자(\ 포함)는 다른 글꼴로: 나눔고딕의 \는 ₩ 모양
    assert "함께 연습하기" in html


def test_handout_carries_its_own_mathjax(html):
    if shutil.which("npm") is None:
        pytest.skip("npm 없음: 수식은 CDN MathJax로 / no npm, MathJax comes from the CDN")
    assert "cdnjs.cloudflare.com/ajax/libs/mathjax" not in html
    assert "window.MathJax={tex:" in html and "MathJax" in html[html.index("window.MathJax"):][:3_000_000]
    assert len(html) > 2_000_000  # tex-svg-full.js ≈ 2.3 MB가 안에 있음


def test_student_handout_has_stubs_instead_of_solutions(html, tmp_path):
    student = render(NOTEBOOK, tmp_path, edition="student").read_text(encoding="utf-8")
    assert "풀이." in html and "풀이." not in student  # 풀이 글은 강사용에만
    assert "YOUR CODE HERE" in student and "YOUR CODE HERE" not in html
    assert "BEGIN SOLUTION" not in student
    with pytest.raises(ValueError):
        render(NOTEBOOK, tmp_path, edition="teacher")

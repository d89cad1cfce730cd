"""HTML 배포본: 파일 하나에 그림과 한국어 글꼴이 들어 있어야 합니다."""

import base64
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from aelib.handouts import render

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_training.ipynb"


def test_handout_is_self_contained_with_images_and_korean_font(tmp_path):
    html = render(NOTEBOOK, tmp_path).read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 3  # 재구성 두 번, 손실 곡선
    assert not re.search(r'<img[^>]+src="(?!data:)', html)  # 바깥 파일을 가리키는 그림 없음
    font = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", html)
    assert font, "글꼴이 HTML 안에 없습니다"
    cmap = TTFont(io.BytesIO(base64.b64decode(font.group(1)))).getBestCmap()
    for ch in "훈련재구성손실":  # 노트북 본문의 한글이 부분 글꼴에 들어 있어야 함
        assert ord(ch) in cmap
    assert "훈련: \"나\"와 \"브라이언\"" in html or "훈련: &quot;나&quot;와" in html

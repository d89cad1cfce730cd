"""노트북 → 파일 하나짜리 HTML 배포본 (그림과 한국어 글꼴을 HTML 안에 넣음).

    python -m aelib.handouts notebooks/*.ipynb --out handouts     # 또는 ./course handouts

저장된 출력(실제 실행 결과)을 그대로 옮기며 노트북을 다시 실행하지 않습니다. 한국어 글꼴은 노트북에 쓰인
글자만 남긴 나눔고딕 부분 집합을 base64로 넣어, 나눔고딕이 없는 컴퓨터에서도 같은 글꼴로 보입니다.
"""

import argparse
import base64
import io
from pathlib import Path

import nbformat
from fontTools import subset
from nbconvert import HTMLExporter

from .fonts import _font_files


def _font_face(text: str) -> str:
    """``text``의 글자만 담은 나눔고딕을 @font-face CSS로."""
    regular = next((p for p in _font_files() if p.name == "NanumGothic.ttf"), None)
    if regular is None:
        return ""
    options = subset.Options()
    options.flavor = None
    font = subset.load_font(str(regular), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode()
    return (
        "<style>@font-face{font-family:'NanumGothicHandout';"
        f"src:url(data:font/ttf;base64,{data}) format('truetype');}}"
        "body,.jp-RenderedHTMLCommon,.jp-RenderedMarkdown{font-family:'NanumGothicHandout',"
        "'NanumGothic','Noto Sans KR',sans-serif !important;}</style>"
    )


def render(notebook: Path, out_dir: Path) -> Path:
    """노트북 하나를 ``out_dir/이름.html``로."""
    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    html, _ = exporter.from_notebook_node(nb)
    text = "".join(str(cell.get("source", "")) for cell in nb.cells)
    html = html.replace("</head>", _font_face(text) + "</head>", 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{notebook.stem}.html"
    target.write_text(html, encoding="utf-8")
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="노트북을 HTML 배포본으로 / render notebooks to HTML handouts")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("handouts"))
    args = parser.parse_args(argv)
    for nb in args.notebooks:
        target = render(nb, args.out)
        print(f"{target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

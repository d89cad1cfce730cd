"""노트북 → 파일 하나짜리 HTML 배포본 (그림과 한국어 글꼴을 HTML 안에 넣음).

    python -m aelib.handouts notebooks/*.ipynb --out handouts     # 또는 ./course handouts
    python -m aelib.handouts notebooks/*.ipynb --edition student --out handouts/student   # 학생용

저장된 출력(실제 실행 결과)을 그대로 옮기며 노트북을 다시 실행하지 않습니다. 한국어 글꼴은 노트북에 쓰인
한글만 남긴 나눔고딕 부분 집합을 base64로 넣어, 나눔고딕이 없는 컴퓨터에서도 같은 글꼴로 보입니다.
수식은 MathJax 3의 파일 하나짜리 배포본(npm 패키지 ``mathjax@3``의 ``es5/tex-svg-full.js``)을 HTML 안에
넣어 인터넷 없이도 그려집니다. npm이 없으면 CDN의 MathJax를 쓰며 그렇다고 알려 줍니다.
잠재 공간 탐색기는 저장된 위젯 상태(모델은 열쇠만)와 그 열쇠의 ONNX 파일(배포 파일 또는 캐시, 모델마다 한 번), onnxruntime-web(npm에서 받아 캐시)을 함께 넣어,
파일을 열면 슬라이더가 브라우저 안에서 디코딩합니다 (``aelib.explorer.handout``).
"""

import base64
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat
from fontTools import subset
from nbconvert import HTMLExporter

from .data import DEFAULT_ROOT
from .errors import ArgumentError, NotebookError
from .explorer.handout import live_widgets
from .fonts import korean_font_files
from .student import student_notebook
from .tools import atomic, cli, paths

MATHJAX_PACKAGE = "mathjax@3"
MATHJAX_FILE = DEFAULT_ROOT / "mathjax3" / "tex-svg-full.js"
# 한글 음절·자모·호환 자모와 CJK 문장 부호만 나눔고딕으로 (나눔고딕의 \ 글리프는 ₩ 모양이라 라틴 글자는 제외)
HANGUL_RANGES = "U+1100-11FF, U+3000-303F, U+3130-318F, U+AC00-D7AF"
NBCONVERT_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def _font_face(text: str) -> str:
    """``text``의 글자만 담은 나눔고딕을 @font-face CSS로."""
    regular = next((p for p in korean_font_files() if p.name == "NanumGothic.ttf"), None)
    if regular is None:
        return ""
    options = subset.Options()
    options.flavor = None
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT 힌팅 원본: 화면에 쓰지 않음
    font = subset.load_font(str(regular), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode()
    return (
        "<style>@font-face{font-family:'NanumGothicHandout';"
        f"src:url(data:font/ttf;base64,{data}) format('truetype');unicode-range:{HANGUL_RANGES};}}"
        "body,.jp-RenderedHTMLCommon,.jp-RenderedMarkdown{font-family:'NanumGothicHandout',"
        "system-ui,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif !important;}</style>"
    )


def mathjax_js() -> str | None:
    """MathJax 3 단일 파일의 내용. 캐시에 없으면 ``npm pack``으로 한 번 받아 둡니다. 못 구하면 None."""
    if not MATHJAX_FILE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            return None
        from .explorer.runtime import npm_pack

        with tempfile.TemporaryDirectory() as tmp:
            tarball, _ = npm_pack(npm, MATHJAX_PACKAGE, tmp)
            if tarball is None:
                return None
            with tarfile.open(tarball) as tar:
                member = tar.extractfile("package/es5/tex-svg-full.js")
                MATHJAX_FILE.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_bytes(MATHJAX_FILE, member.read())
    return MATHJAX_FILE.read_text(encoding="utf-8")


def _mathjax_block() -> str | None:
    js = mathjax_js()
    if js is None:
        return None
    config = ("window.MathJax={tex:{inlineMath:[['$','$'],['\\\\(','\\\\)']],"
              "displayMath:[['$$','$$'],['\\\\[','\\\\]']],processEscapes:true},"
              "svg:{fontCache:'global'}};")
    js = js.replace("</script", "<\\/script")  # HTML 안에서 스크립트가 일찍 끝나지 않게
    return f"<script>{config}</script>\n<script>{js}</script>"


EDITIONS = ("instructor", "student")


def render(notebook: Path, out_dir: Path, edition: str = "instructor") -> Path:
    """노트북 하나를 ``out_dir/이름.html``로. ``edition="student"``면 연습문제의 풀이를 뺀 학생용으로."""
    if edition not in EDITIONS:
        raise ArgumentError(f"edition은 {EDITIONS} 중 하나여야 합니다. 받은 값: {edition!r}.",
                            f"edition must be one of {EDITIONS}, got {edition!r}.")
    nb = paths.notebook(notebook)
    if edition == "student":
        nb = student_notebook(nb)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    html, _ = exporter.from_notebook_node(nb)
    text = "".join(str(cell.get("source", "")) for cell in nb.cells)
    html = html.replace("</head>", _font_face(text) + "</head>", 1)
    block = _mathjax_block()
    if block is None:
        print("npm이 없어 수식은 인터넷(CDN)의 MathJax로 그려집니다 / no npm: formulas need the MathJax CDN",
              file=sys.stderr)
    else:
        html = NBCONVERT_MATHJAX.sub(lambda _: block, html, count=1)
    html, note = live_widgets(html)  # 탐색기: 저장된 위젯 상태 + onnxruntime-web, 커널 없이 디코딩
    if note:
        print(note, file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{notebook.stem}.html"
    return atomic.write_text(target, html)


def main(argv=None) -> None:
    parser = cli.ArgumentParser(module="aelib.handouts",
                                description="노트북을 HTML 배포본으로 / render notebooks to HTML handouts")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", default="handouts", help="HTML을 쓸 폴더 / output folder")
    parser.add_argument("--edition", choices=EDITIONS, default="instructor",
                        help="instructor: 풀이와 실행 결과 그대로 / student: 연습문제의 풀이를 뺀 학생용")
    args = parser.parse_args(argv)
    with parser.checking():  # 일을 시작하기 전에: 노트북마다 읽히는지(학생용이면 풀이 표시까지), 쓸 폴더
        for nb in args.notebooks:
            book = paths.notebook(nb)
            if args.edition == "student":
                try:
                    student_notebook(book)
                except NotebookError as exc:
                    raise NotebookError(f"{nb}: {exc.korean}", f"{nb}: {exc.english}") from None
        out = paths.output_dir(args.out, "--out")
    for nb in args.notebooks:
        target = render(nb, out, args.edition)
        print(f"{target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    cli.run(main)

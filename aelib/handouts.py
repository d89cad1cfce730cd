"""노트북 → 파일 하나짜리 HTML 배포본 (그림과 한국어 글꼴을 HTML 안에 넣음).

    python -m aelib.handouts notebooks/*.ipynb --out handouts     # 또는 ./course handouts
    python -m aelib.handouts notebooks/*.ipynb --edition student --out handouts/student   # 학생용

저장된 출력(실제 실행 결과)을 그대로 옮기며 노트북을 다시 실행하지 않습니다. 한국어 글꼴은 노트북에 쓰인
한글만 남긴 나눔고딕 부분 집합을 base64로 넣어, 나눔고딕이 없는 컴퓨터에서도 같은 글꼴로 보입니다.
수식은 MathJax 3의 파일 하나짜리 배포본(npm 패키지 ``mathjax@3``의 ``es5/tex-svg-full.js``)을 HTML 안에
넣어 인터넷 없이도 그려집니다. npm이 없으면 CDN의 MathJax를 쓰며 그렇다고 알려 줍니다.
잠재 공간 탐색기는 저장된 위젯 상태(모델은 열쇠만)와 그 열쇠의 ONNX 파일(배포 파일 또는 캐시, 모델마다 한 번), onnxruntime-web(npm에서 받아 캐시)을 함께 넣어,
파일을 열면 슬라이더가 브라우저 안에서 디코딩합니다 (``aelib.explorer.handout``).
다시 만들 때는 이 도구가 만든 그대로인 HTML(SHA-256 도장)만 덮어쓰고, 손으로 고친 것은 ``--force`` 없이 두고 거절합니다.
"""

import base64
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .errors import ArgumentError, NotebookError
from .student import student_notebook
from .tools import atomic, cli, paths
from .tools.cache import ROOT as DEFAULT_ROOT

# nbconvert·fontTools·matplotlib·torch(탐색기)는 실제로 만들 때 가져옴: 잘못된 인자는 그 전에 바로 거절

MATHJAX_PACKAGE = "mathjax@3"
MATHJAX_FILE = DEFAULT_ROOT / "mathjax3" / "tex-svg-full.js"
# 한글 음절·자모·호환 자모와 CJK 문장 부호만 나눔고딕으로 (나눔고딕의 \ 글리프는 ₩ 모양이라 라틴 글자는 제외)
HANGUL_RANGES = "U+1100-11FF, U+3000-303F, U+3130-318F, U+AC00-D7AF"
NBCONVERT_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def _font_face(text: str) -> str:
    """``text``의 글자만 담은 나눔고딕을 @font-face CSS로."""
    from fontTools import subset

    from .fonts import korean_font_files

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


# 배포본의 도장: 만든 그대로인지 알아보는 SHA-256 (이 줄을 뺀 HTML의). 도장이 맞는 파일만 다시 만들 때 덮어씀.
STAMP = re.compile(r'<meta name="aelib-handout" content="sha256:([0-9a-f]{64})">\n')


def _stamped(html: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return html.replace("<head>", f'<head><meta name="aelib-handout" content="sha256:{digest}">\n', 1)


def untouched_handout(path: Path) -> bool:
    """``path``가 이 도구가 만든 뒤 아무도 고치지 않은 배포본인지 (그런 파일만 묻지 않고 다시 만듦)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    mark = STAMP.search(text)
    if mark is None:
        return False
    rest = text[:mark.start()] + text[mark.end():]
    return hashlib.sha256(rest.encode("utf-8")).hexdigest() == mark.group(1)


def _refuse_edited(targets, force: bool) -> None:
    """이미 있는 HTML 중 손으로 고쳤거나 다른 것이 만든 파일이 있으면 (``force``가 아니면) 쓰기 전에 거절."""
    paths.refuse_overwrite([t for t in targets if Path(t).exists() and not untouched_handout(t)], force,
                           "HTML 파일(손으로 고쳤거나 이 도구가 만들지 않은 것)",
                           "HTML files (edited by hand or not made by this tool)")


def render(notebook: Path, out_dir: Path, edition: str = "instructor", force: bool = False) -> Path:
    """노트북 하나를 ``out_dir/이름.html``로. ``edition="student"``면 연습문제의 풀이를 뺀 학생용으로.
    그 자리에 손으로 고친(또는 다른 것이 만든) HTML이 있으면 ``force=True``가 아닌 한 ``ExistingWorkError``."""
    if edition not in EDITIONS:
        raise ArgumentError(f"edition은 {EDITIONS} 중 하나여야 합니다. 받은 값: {edition!r}.",
                            f"edition must be one of {EDITIONS}, got {edition!r}.")
    nb = paths.notebook(notebook)
    target = Path(out_dir) / f"{Path(notebook).stem}.html"
    _refuse_edited([target], force)  # 일을 시작하기 전에
    if edition == "student":
        nb = student_notebook(nb)
    from nbconvert import HTMLExporter

    from .explorer.handout import live_widgets

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
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return atomic.write_text(target, _stamped(html))


def main(argv=None) -> None:
    parser = cli.ArgumentParser(module="aelib.handouts",
                                description="노트북을 HTML 배포본으로 / render notebooks to HTML handouts")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", default="handouts", help="HTML을 쓸 폴더 / output folder")
    parser.add_argument("--edition", choices=EDITIONS, default="instructor",
                        help="instructor: 풀이와 실행 결과 그대로 / student: 연습문제의 풀이를 뺀 학생용")
    parser.add_argument("--force", action="store_true",
                        help="손으로 고친 HTML도 덮어씀 / overwrite HTML files edited by hand too")
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
        _refuse_edited([out / f"{Path(nb).stem}.html" for nb in args.notebooks], args.force)
    for nb in args.notebooks:
        target = render(nb, out, args.edition, force=args.force)
        print(f"{target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    cli.run(main)

"""matplotlib에서 한글이 네모로 깨지지 않게 한국어 글꼴을 등록합니다."""

import importlib.util
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

KOREAN_FAMILY = "NanumGothic"
DEBIAN_FONT_DIR = Path("/usr/share/fonts/truetype/nanum")


def korean_font_files() -> list[Path]:
    """데비안 fonts-nanum, 그다음 PyPI koreanize-matplotlib 안의 나눔고딕 파일 (import하지 않고 찾음)."""
    files = sorted(DEBIAN_FONT_DIR.glob("NanumGothic*.ttf"))
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            files += sorted((Path(location) / "fonts").glob("NanumGothic*.ttf"))
    return files


def use_korean_font() -> str | None:
    """나눔고딕을 기본 글꼴로 정합니다. 한글 없는 글자(−)는 DejaVu Sans로 채웁니다.

    찾은 글꼴 이름을, 없으면 경고와 함께 None을 돌려줍니다.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    if KOREAN_FAMILY not in known:
        for path in korean_font_files():
            font_manager.fontManager.addfont(str(path))
    if KOREAN_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        warnings.warn(
            "한국어 글꼴(나눔고딕)을 찾지 못해 그림의 한글이 네모로 보일 수 있습니다. "
            "`pip install koreanize-matplotlib` 또는 `sudo apt-get install fonts-nanum`으로 설치하세요. / "
            "No Korean font found; install koreanize-matplotlib or fonts-nanum.",
            stacklevel=2,
        )
        return None
    # 글자마다 앞에서부터 찾음: 한글은 나눔고딕, 나눔고딕에 없는 진짜 마이너스(U+2212)는 DejaVu Sans.
    matplotlib.rcParams["font.family"] = [KOREAN_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = True
    return KOREAN_FAMILY

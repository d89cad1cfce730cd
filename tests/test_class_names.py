"""클래스 색 산점도는 색만으로 읽지 않게: 무리마다 이름이 지도 위에 쓰여 있는지 저장된 노트북 출력에서 확인합니다.

``aelib.plotting.scatter_latent``(와 그것을 쓰는 모든 그림)는 클래스 색으로 점을 찍을 때 무리의 가운데에 이름을
쓰고, 그 사실을 PNG 메타데이터 ``CLASS_NAMES_KEY``에 남깁니다. 이 테스트는 두 방향으로 봅니다.

1. 표시가 있는 그림: 그린 클래스마다 이름이 쓰였는가.
2. 표시가 없는 그림: 픽셀의 색상(hue)으로 표 3-3의 색이 8가지 이상 보이면 클래스 색 그림인데 이름 표시가 없는 것이므로 실패
   (도우미를 거치지 않고 직접 그린 클래스 색 그림도 잡힘).
"""

import base64
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from aelib.labels import COLORS, KOREAN_NAMES  # noqa: E402
from aelib.plotting import CLASS_NAMES_KEY, plot_latent_space, scatter_latent  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CLASS_HUES = np.array([mcolors.rgb_to_hsv(mcolors.to_rgb(c))[0] * 360 for c in COLORS])


def png_marks(png: bytes) -> list[dict] | None:
    text = getattr(Image.open(io.BytesIO(png)), "text", {})
    return json.loads(text[CLASS_NAMES_KEY]) if CLASS_NAMES_KEY in text else None


def class_hues_seen(png: bytes, min_pixels: int = 40) -> int:
    """표 3-3의 색상(±4°) 가운데 채도·명도가 있는 픽셀이 ``min_pixels`` 이상인 색의 수."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    hsv = mcolors.rgb_to_hsv(rgb)
    hue = hsv[..., 0][(hsv[..., 1] > 0.35) & (hsv[..., 2] > 0.35)] * 360
    dist = np.abs((hue[:, None] - CLASS_HUES[None, :] + 180) % 360 - 180)
    counts = np.bincount(dist.argmin(1)[dist.min(1) < 4], minlength=len(COLORS))
    return int((counts >= min_pixels).sum())


def stored_pngs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                yield f"{path.name} 셀 {i} ({cell.get('id')})", base64.b64decode(png)


def _figure_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.canvas.print_figure(buf, format="png", dpi=60)  # 노트북의 인라인 출력과 같은 길
    return buf.getvalue()


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_every_class_scatter_in_stored_outputs_names_its_classes(path):
    problems = []
    for where, png in stored_pngs(path):
        marks = png_marks(png)
        if marks is None:
            seen = class_hues_seen(png)
            if seen >= 8:
                problems.append(f"{where}: 표 3-3의 색 {seen}가지가 보이는데 클래스 이름 표시가 없습니다")
            continue
        for mark in marks:
            missing = [KOREAN_NAMES[c] for c in mark["classes"] if KOREAN_NAMES[c] not in mark["names"]]
            if missing:
                problems.append(f"{where}: 지도 위에 이름이 없는 클래스: {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def test_latent_scatter_of_the_course_is_found_and_named():
    """05의 그림 3-8(레이블 색)에 열 클래스의 이름이 모두 있고, 그림 3-7(한 색)에는 표시가 없음."""
    pngs = dict(stored_pngs(ROOT / "notebooks" / "05_latent_space.ipynb"))
    marked = [png_marks(p) for p in pngs.values() if png_marks(p)]
    assert marked, "05에 이름 표시가 있는 클래스 산점도가 없습니다"
    assert any(set(m[0]["names"]) == set(KOREAN_NAMES) for m in marked)


def _toy():
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(10).repeat_interleave(30)
    z = torch.randn(300, 2, generator=g) * 0.3 + torch.stack([labels % 5, labels // 5], 1).float() * 2
    return z, labels


def test_helper_writes_names_and_marks_png():
    z, labels = _toy()
    fig = plot_latent_space(z, labels)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert set(KOREAN_NAMES) <= texts
    marks = png_marks(_figure_png(fig))
    assert marks == [{"classes": list(range(10)), "names": KOREAN_NAMES}]
    matplotlib.pyplot.close(fig)


def test_unnamed_class_scatter_is_caught_and_single_colour_is_not_marked():
    z, labels = _toy()
    fig, (a, b) = matplotlib.pyplot.subplots(1, 2)
    scatter_latent(a, z, labels, names=False)
    scatter_latent(b, z, labels, color="#555555")
    marks = png_marks(_figure_png(fig))
    assert marks == [{"classes": list(range(10)), "names": []}]  # 이름 없는 클래스 산점도: 위 테스트가 실패로 잡음
    matplotlib.pyplot.close(fig)
    fig, ax = matplotlib.pyplot.subplots()
    ax.scatter(z[:, 0], z[:, 1], c=labels, cmap="rainbow", s=30)  # 도우미를 거치지 않은 클래스 색 그림
    png = _figure_png(fig)
    assert png_marks(png) is None and class_hues_seen(png) >= 8
    matplotlib.pyplot.close(fig)


def test_bag_and_ankle_boot_need_their_names_under_deuteranopia():
    """적록 색각 이상(2형, 100 %) 시뮬레이션에서 가방(주황빛 빨강)과 앵클 부츠(빨강)의 색 차이가 정상 시각의
    60 % 아래로 줄어듦을 재고(CAM02-UCS의 ΔE), 그래서 그림이 두 이름을 지도 위에 쓰는지 봅니다."""
    from colorspacious import cspace_convert, deltaE

    bag, boot = (np.array(mcolors.to_rgb(COLORS[c])) for c in (8, 9))
    cvd = {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100}
    normal = deltaE(bag, boot, input_space="sRGB1")
    simulated = deltaE(np.clip(cspace_convert(bag, cvd, "sRGB1"), 0, 1),
                       np.clip(cspace_convert(boot, cvd, "sRGB1"), 0, 1), input_space="sRGB1")
    assert simulated < 0.6 * normal, (normal, simulated)  # 잰 값: 정상 10.3, 2형 색각 이상 5.5
    pngs = dict(stored_pngs(ROOT / "notebooks" / "05_latent_space.ipynb"))
    names = {n for p in pngs.values() for m in (png_marks(p) or []) for n in m["names"]}
    assert {"가방", "앵클 부츠"} <= names

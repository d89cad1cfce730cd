"""키 한 번, 포인터 이동 한 번, 그림판 획 한 번 → 새 그림이 그려진 프레임까지의 시간 (헤드리스 Chromium, 페이지 안에서 잼).

    python benchmarks/browser_latency.py [--steps 100]

세 경로를 같은 실행에서 잽니다 (모두 테스트 세트 10,000개 임베딩의 ``LatentExplorer``):

1. JupyterLab, 브라우저 경로: 페이지가 onnxruntime-web(WASM)으로 디코딩
2. JupyterLab, 커널 경로: ``WebAssembly``를 지운 페이지 → 위젯이 커널에 디코딩을 맡김 (PNG 왕복)
3. HTML 배포본: 파일에서 열고 바깥 요청은 모두 막음

걸음마다: z₁ 슬라이더에 키를 누른 순간(keydown의 ``performance.now()``)부터, 새 디코딩 이미지를 그린 뒤 처음
``requestAnimationFrame``이 불릴 때까지. 목표(브라우저 경로): 중앙값 ≤ 16 ms, p90 ≤ 33 ms.

포인터: 산점도 위에서 누른 채 원을 따라 옮길 때, 포인터 이벤트(``pointerrawupdate``, 없는 브라우저는 ``pointermove``)의
``timeStamp``부터 과녁·산점도·디코딩 이미지를 그린 뒤 처음 ``requestAnimationFrame``까지 (목표: 중앙값 ≤ 8 ms, p90 ≤ 16 ms).
그림판 획: 그림판 위에서 누른 채 옮길 때, 획의 포인터 이벤트부터 인코딩 → 마름모 → 재구성을 그린 뒤 첫 프레임까지
(목표: p90 ≤ 33 ms).
포인터와 획은 "그리기를 마칠 때까지"(다음 프레임을 기다리기 전)의 중앙값도 찍습니다: 나머지는 화면의 다음 프레임
(60 Hz면 최대 16.7 ms)을 기다리는 시간입니다.
시간을 단정하는 테스트는 아닙니다. 기계의 부하(``os.getloadavg``)를 함께 출력합니다.
"""

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aelib.tools import cli  # noqa: E402

from tests.test_browser import (  # noqa: E402
    ALL_CELLS_RAN, CHROMIUM, CHROMIUM_FLAGS, dismiss_popups, jupyterlab_server, kernel_idle, wait_for_kernel,
)

NAME = "latency.ipynb"
SETUP = """from aelib import latent
from aelib.data import load_fashion_mnist
from aelib.explorer import LatentExplorer
from aelib.pretrained import load_pretrained
model, _ = load_pretrained("autoencoder")
images, labels = load_fashion_mnist("test").tensors
z = latent.embed(model, images)"""
SEL = ".aelib-latent-explorer"

# 페이지 안의 측정기: keydown 시각 → 디코딩 이미지를 그린 알림(aelib-painted, decoded) → 다음 프레임
PROBE = """([sel]) => {
  const el = document.querySelector(sel);
  const input = el.querySelector('.aelib-z1 input');
  const probe = { t0: null, ms: [] };
  input.addEventListener('keydown', () => { probe.t0 = performance.now(); }, true);
  el.addEventListener('aelib-painted', (ev) => {
    if (probe.t0 === null || !ev.detail.decoded) return;
    const t0 = probe.t0; probe.t0 = null;
    requestAnimationFrame(() => probe.ms.push(performance.now() - t0));
  });
  window.__probe = probe;
  input.focus();
}"""


def measure(page, steps: int) -> list[float]:
    page.evaluate(PROBE, [SEL])
    slider = page.locator(f"{SEL} .aelib-z1 input")  # press()는 먼저 초점을 줌 (JupyterLab이 초점을 옮겨도)
    slider.press("Home")
    page.wait_for_function("() => window.__probe.ms.length >= 1", timeout=30_000)
    page.wait_for_timeout(300)
    page.evaluate("() => { window.__probe.ms = []; }")
    for i in range(steps):
        slider.press("ArrowRight")
        page.wait_for_function("(n) => window.__probe.ms.length >= n", arg=i + 1, timeout=30_000)
    return list(page.evaluate("() => window.__probe.ms"))


def _screen(page, sel, points):
    box = page.locator(f"{sel} canvas.aelib-scatter").first.bounding_box()
    tr = page.evaluate("(sel) => document.querySelector(sel).__aelib.panels[0].transform", sel)
    sx, sy = box["width"] / tr["width"], box["height"] / tr["height"]
    return [(box["x"] + (tr["ax"] * a + tr["bx"]) * sx, box["y"] + (tr["height"] - (tr["ay"] * b + tr["by"])) * sy)
            for a, b in points]


def _timed_moves(page, kind: str, moves) -> tuple[list[float], list[float]]:
    """누른 채 ``moves``(화면 좌표)를 하나씩 옮기고, 그때마다 페이지의 측정(api.timings, ``kind``)을 기다림.
    (입력 → 프레임, 입력 → 그리기를 마침) 두 목록."""
    page.mouse.move(*moves[0])
    page.mouse.down()
    page.wait_for_function("([sel, k]) => document.querySelector(sel).__aelib.timings.some(t => t.kind === k)",
                           arg=[SEL, kind], timeout=30_000)
    page.wait_for_timeout(300)
    page.evaluate("(sel) => { document.querySelector(sel).__aelib.timings.length = 0; }", SEL)
    for i, (x, y) in enumerate(moves[1:]):
        page.mouse.move(x, y)
        page.wait_for_function("([sel, k, n]) => document.querySelector(sel).__aelib.timings"
                               ".filter(t => t.kind === k).length >= n", arg=[SEL, kind, i + 1], timeout=30_000)
    page.mouse.up()
    timings = [t for t in page.evaluate("(sel) => document.querySelector(sel).__aelib.timings", SEL) if t["kind"] == kind]
    return [t["ms"] for t in timings], [t["work"] for t in timings]


def measure_pointer(page, steps: int) -> tuple[list[float], list[float]]:
    """산점도 위에서 원을 따라 끌기 (원의 중심 = 임베딩의 평균, 반지름 = 상자의 1/4)."""
    box = page.evaluate("(sel) => { const s = document.querySelector(sel); "
                        "return [+s.querySelector('.aelib-z1 input').min, +s.querySelector('.aelib-z1 input').max, "
                        "+s.querySelector('.aelib-z2 input').min, +s.querySelector('.aelib-z2 input').max]; }", SEL)
    c1, c2 = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
    r1, r2 = (box[1] - box[0]) / 4, (box[3] - box[2]) / 4
    angles = np.linspace(0, 4 * np.pi, steps + 1)
    page.locator(f"{SEL} canvas.aelib-scatter").scroll_into_view_if_needed()
    return _timed_moves(page, "point", _screen(page, SEL, [(c1 + r1 * np.cos(a), c2 + r2 * np.sin(a)) for a in angles]))


def measure_stroke(page, steps: int) -> tuple[list[float], list[float]]:
    """그림판 위에서 지그재그로 그리기 (획의 이동마다 인코딩 + 재구성)."""
    pad = page.locator(f"{SEL} canvas.aelib-pad-canvas")
    pad.scroll_into_view_if_needed()
    page.wait_for_function("(sel) => document.querySelector(sel).dataset.pad === 'ready'", arg=SEL, timeout=60_000)
    b = pad.bounding_box()
    xs = np.linspace(0.2, 0.8, steps + 1)
    moves = [(b["x"] + b["width"] * x, b["y"] + b["height"] * (0.3 + 0.4 * ((i // 6) % 2 == 0) * ((i % 6) / 6)))
             for i, x in enumerate(xs)]
    return _timed_moves(page, "stroke", moves)


def summary(name: str, ms) -> str:
    """``ms``: 입력 → 프레임 시간들, 또는 (그것, 입력 → 그리기를 마친 시간들) — 둘째는 중앙값만 덧붙임."""
    ms, work = ms if isinstance(ms, tuple) else (ms, None)
    line = (f"{name:46s} 걸음 {len(ms):3d}  중앙값 {statistics.median(ms):6.1f} ms  "
            f"p90 {float(np.percentile(ms, 90)):6.1f} ms  최대 {max(ms):6.1f} ms")
    if work:
        line += f"  (그리기를 마칠 때까지: 중앙값 {statistics.median(work):4.1f} ms)"
    return line


def run_lab_page(browser, url, steps, init_script=None):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{url}/lab/tree/{NAME}", wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    wait_for_kernel(page, url, 120, NAME)
    kernel_idle(page, 60)
    dismiss_popups(page)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all'], "
                 ".lm-Menu-item[data-command='notebook:run-all-cells']").first.click()
    page.wait_for_function(ALL_CELLS_RAN, timeout=300_000)
    kernel_idle(page, 60)
    want = "kernel" if init_script else "browser"
    page.wait_for_function("([sel, m]) => { const e = document.querySelector(sel); return e && e.dataset.mode === m; }",
                           arg=[SEL, want], timeout=60_000)
    page.locator(SEL).scroll_into_view_if_needed()
    out = {"키": measure(page, steps)}
    if not init_script:
        out["포인터"] = measure_pointer(page, steps)
        out["그림판 획"] = measure_stroke(page, steps)
    page.close()
    return out


def main(argv=None) -> None:
    parser = cli.ArgumentParser(prog="python benchmarks/browser_latency.py", description=__doc__.splitlines()[0])  # 한국어·영어 오류, 종료 코드 2
    parser.add_argument("--steps", type=int, default=100)
    args, _ = parser.parse_known_args(argv)
    if CHROMIUM is None:
        print("Chromium이 없어 건너뜁니다 / no Chromium")
        return
    from nbclient import NotebookClient
    from playwright.sync_api import sync_playwright

    from aelib.handouts import render

    tmp = Path(tempfile.mkdtemp(prefix="aelib-latency-"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(SETUP),
                nbformat.v4.new_code_cell("explorer = LatentExplorer(model, z, labels, images=images)\nexplorer")]
    nbformat.write(nb, tmp / NAME)

    # 배포본: 같은 노트북을 실행해 위젯 상태를 저장하고 HTML로
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    executed = nbformat.read(tmp / NAME, as_version=4)
    NotebookClient(executed, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp)}}).execute()
    nbformat.write(executed, tmp / "executed.ipynb")
    handout = render(tmp / "executed.ipynb", tmp / "out")

    results = {}
    load_before = os.getloadavg()
    with jupyterlab_server(tmp, tmp) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            for what, ms in run_lab_page(browser, url, args.steps).items():
                results[f"JupyterLab, 브라우저 경로 (WASM): {what}"] = ms
            for what, ms in run_lab_page(browser, url, args.steps, init_script="delete window.WebAssembly;").items():
                results[f"JupyterLab, 커널 경로 (WASM 없음): {what}"] = ms
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:", "data:"))
                       else r.abort())
            page.goto(handout.as_uri())
            page.wait_for_function("(sel) => { const e = document.querySelector(sel); "
                                   "return e && e.dataset.mode === 'browser'; }", arg=SEL, timeout=120_000)
            results["HTML 배포본 (파일, 네트워크 없음): 키"] = measure(page, args.steps)
            results["HTML 배포본 (파일, 네트워크 없음): 포인터"] = measure_pointer(page, args.steps)
            results["HTML 배포본 (파일, 네트워크 없음): 그림판 획"] = measure_stroke(page, args.steps)
            page.close()
        finally:
            browser.close()
    load_after = os.getloadavg()
    print(f"입력 → 새 그림이 그려진 프레임 (페이지 안의 performance.now·event.timeStamp + requestAnimationFrame), "
          f"CPU {os.cpu_count()}개, 부하(1분 평균) 시작 {load_before[0]:.1f} · 끝 {load_after[0]:.1f}")
    for name, ms in results.items():
        print(summary(name, ms))
    print(f"배포본 크기 {handout.stat().st_size / 1e6:.1f} MB (테스트 세트 10,000개 임베딩)")
    print("목표 (브라우저 경로): 키 중앙값 ≤ 16 ms, p90 ≤ 33 ms; 포인터 중앙값 ≤ 8 ms, p90 ≤ 16 ms; 그림판 획 p90 ≤ 33 ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""키 한 번 → 새 이미지가 그려진 프레임까지의 시간 (헤드리스 Chromium, 페이지 안에서 잼).

    python benchmarks/browser_latency.py [--steps 100]

세 경로를 같은 실행에서 잽니다 (모두 테스트 세트 10,000개 임베딩의 ``LatentExplorer``):

1. JupyterLab, 브라우저 경로: 페이지가 onnxruntime-web(WASM)으로 디코딩
2. JupyterLab, 커널 경로: ``WebAssembly``를 지운 페이지 → 위젯이 커널에 디코딩을 맡김 (PNG 왕복)
3. HTML 배포본: 파일에서 열고 바깥 요청은 모두 막음

걸음마다: z₁ 슬라이더에 키를 누른 순간(keydown의 ``performance.now()``)부터, 새 디코딩 이미지를 그린 뒤 처음
``requestAnimationFrame``이 불릴 때까지. 목표(브라우저 경로): 중앙값 ≤ 16 ms, p90 ≤ 33 ms.
시간을 단정하는 테스트는 아닙니다. 기계의 부하(``os.getloadavg``)를 함께 출력합니다.
"""

import argparse
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


def summary(name: str, ms: list[float]) -> str:
    return (f"{name:34s} 걸음 {len(ms):3d}  중앙값 {statistics.median(ms):6.1f} ms  "
            f"p90 {float(np.percentile(ms, 90)):6.1f} ms  최대 {max(ms):6.1f} ms")


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
    ms = measure(page, steps)
    # 커널을 다시 시작해 다음 페이지가 새 커널로 (같은 노트북)
    page.close()
    return ms


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell("explorer = LatentExplorer(model, z, labels)\nexplorer")]
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
            results["JupyterLab, 브라우저 경로 (WASM)"] = run_lab_page(browser, url, args.steps)
            results["JupyterLab, 커널 경로 (WASM 없음)"] = run_lab_page(
                browser, url, args.steps, init_script="delete window.WebAssembly;")
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:", "data:"))
                       else r.abort())
            page.goto(handout.as_uri())
            page.wait_for_function("(sel) => { const e = document.querySelector(sel); "
                                   "return e && e.dataset.mode === 'browser'; }", arg=SEL, timeout=120_000)
            results["HTML 배포본 (파일, 네트워크 없음)"] = measure(page, args.steps)
            page.close()
        finally:
            browser.close()
    load_after = os.getloadavg()
    print(f"키 → 새 이미지가 그려진 프레임 (페이지 안의 performance.now + requestAnimationFrame), "
          f"CPU {os.cpu_count()}개, 부하(1분 평균) 시작 {load_before[0]:.1f} · 끝 {load_after[0]:.1f}")
    for name, ms in results.items():
        print(summary(name, ms))
    print(f"배포본 크기 {handout.stat().st_size / 1e6:.1f} MB (테스트 세트 10,000개 임베딩)")
    print("목표 (브라우저 경로): 중앙값 ≤ 16 ms, p90 ≤ 33 ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

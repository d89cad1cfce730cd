"""HTML 배포본의 탐색기를 실제 브라우저로: 파일에서 열고 (file:// 밖의 요청은 모두 막음) 키보드로 슬라이더를 움직이고,
산점도를 마우스로 끌고, 그림판에 그려서 페이지가 디코딩·인코딩한 값을 PyTorch와 비교합니다. 겹쳐 그리기를 켜면 그림이
바뀌고, 깨진 모델·NaN·빈 그림판은 한국어 알림으로.

작은 노트북(클래스마다 50장)을 nbclient로 실행해 위젯 상태를 만들고 ``aelib.handouts.render``로 HTML을 만듭니다.
스크린숏: ``artifacts/browser/handout_*.png``.
"""

import base64
import json
import re
import shutil

import nbformat
import numpy as np
import pytest
import torch

from aelib.labels import KOREAN_NAMES
from aelib.pretrained import load_pretrained
from aelib.problems import data_threshold

from .test_browser import CHROMIUM, ROOT, browser  # noqa: F401 — browser: the same Chromium fixture

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium이 없어 건너뜁니다 / no Chromium"),
    pytest.mark.skipif(shutil.which("npm") is None and not (__import__("aelib.explorer.runtime").explorer.runtime
                                                              .CACHE.is_dir()),
                       reason="npm이 없어 onnxruntime-web을 받을 수 없습니다 / no npm for onnxruntime-web"),
]
SHOTS = ROOT / "artifacts" / "browser"
SETUP = f"""import sys
sys.path.insert(0, {str(ROOT)!r})
from aelib import latent
from aelib.data import class_subset, load_fashion_mnist
from aelib.explorer import CompareExplorer, InterpolationExplorer, LatentExplorer
from aelib.pretrained import load_pretrained
model, _ = load_pretrained("autoencoder")
vae, _ = load_pretrained("vae")
ds = class_subset(load_fashion_mnist("test"), 50)
images, labels = ds.tensors
z = latent.embed(model, images)
z_vae = latent.embed(vae, images)"""


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    from nbclient import NotebookClient

    from aelib.handouts import render

    tmp = tmp_path_factory.mktemp("handout")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(SETUP),
                nbformat.v4.new_code_cell("explorer = LatentExplorer(model, z, labels, images=images)\nexplorer"),
                nbformat.v4.new_code_cell("walk = InterpolationExplorer(model, ds, labels, z, a=(0, 0), b=(7, 0))\nwalk"),
                nbformat.v4.new_code_cell("compare = CompareExplorer(model, vae, z, z_vae, labels, images=images)\ncompare")]
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp)}}).execute()
    path = tmp / "explorers.ipynb"
    nbformat.write(nb, path)
    return render(path, tmp / "out")


@pytest.fixture(scope="module")
def model():
    return load_pretrained("autoencoder")[0]


def open_offline(browser, url):
    """새 페이지에서 ``url``을 엶: file:// 밖의 요청은 모두 막고 목록에 적음."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    left = []

    def route(r):
        if r.request.url.startswith(("file:", "blob:", "data:")):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: None if req.url.startswith(("file:", "blob:", "data:")) else left.append(req.url))
    page.goto(url)
    return page, left


def wait_mode(page, sel, modes=("browser",)):
    page.wait_for_function("([sel, modes]) => { const e = document.querySelector(sel); "
                           "return e && modes.includes(e.dataset.mode); }", arg=[sel, list(modes)], timeout=60_000)


def page_state(page, sel):
    return page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                         "return {z1: a.state.z1, z2: a.state.z2, t: a.state.t, painted: a.state.painted, "
                         "pixels: a.decodedPixels(0), emb: Array.from(a.panels[0].emb), lab: Array.from(a.panels[0].lab)}; }",
                         sel)


def press(page, slider_sel, key, times, explorer_sel):
    before = page_state(page, explorer_sel)["painted"]
    page.locator(slider_sel).focus()
    for _ in range(times):
        page.keyboard.press(key)
    page.wait_for_function("([sel, n]) => document.querySelector(sel).__aelib.state.painted > n",
                           arg=[explorer_sel, before])
    page.wait_for_timeout(300)  # 마지막 키의 그림까지
    page.wait_for_function("(sel) => { const a = document.querySelector(sel).__aelib; return a.state.painted > 0; }",
                           arg=explorer_sel)


@torch.no_grad()
def torch_pixels(model, z1, z2) -> np.ndarray:
    model.eval()
    v = model.decode(torch.tensor([[z1, z2]], dtype=torch.float32))[0, 0].numpy().astype(np.float64)
    return np.rint((1.0 - np.clip(v, 0, 1)) * 255.0).astype(int).reshape(-1)


def expected_readout(st, z1, z2) -> tuple[str, str, float]:
    """(가장 가까운 클래스, 거리의 글자, 거리 ÷ τ): τ는 노트북 06의 정의 (``data_threshold``)."""
    emb = np.asarray(st["emb"], dtype=np.float64).reshape(-1, 2)
    d = np.sqrt((emb[:, 0] - z1) ** 2 + (emb[:, 1] - z2) ** 2)
    i = int(np.argmin(d))
    tau = data_threshold(torch.tensor(emb, dtype=torch.float32))
    return KOREAN_NAMES[st["lab"][i]], f"{d[i]:.3f}", float(d[i] / tau)


def shown_ratio(text: str) -> float:
    """읽은 글의 "τ(…)의 0.25배" (두 자리로 반올림된 값)."""
    return float(re.search(r"τ\([0-9.]+\)의 ([0-9.]+|Infinity)배", text).group(1))


LATENT = ".aelib-latent-explorer"
WALK = ".aelib-interpolation-explorer"
COMPARE = ".aelib-compare-explorer"


def test_handout_explorer_decodes_offline_like_pytorch(handout, browser, model):
    size_mb = handout.stat().st_size / 1e6
    html = handout.read_text(encoding="utf-8")
    assert "cdnjs.cloudflare.com/ajax/libs/require.js" not in html and "html-manager" not in html
    assert html.count('id="aelib-ort-wasm"') == 1  # WASM은 파일에 한 번
    keys = re.findall(r'id="aelib-onnx-([0-9a-f]+)"', html)
    assert len(keys) == len(set(keys)) == 4  # 디코더 2개(오토인코더, VAE)와 인코더 2개, 각각 한 번
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        wait_mode(page, WALK)
        start = page_state(page, LATENT)
        assert np.abs(np.array(start["pixels"]) - torch_pixels(model, start["z1"], start["z2"])).max() <= 1

        press(page, f"{LATENT} .aelib-z1 input", "ArrowRight", 5, LATENT)
        moved = page_state(page, LATENT)
        assert moved["z1"] > start["z1"] and moved["z2"] == start["z2"]
        assert moved["pixels"] != start["pixels"], "이미지가 바뀌지 않았습니다 / image did not change"
        want = torch_pixels(model, moved["z1"], moved["z2"])
        assert np.abs(np.array(moved["pixels"]) - want).max() <= 1  # 양자화 뒤 1/255 이내
        name, dist, ratio = expected_readout(moved, moved["z1"], moved["z2"])
        text = page.locator(f"{LATENT} .aelib-readout").inner_text()
        assert name in text and dist in text and abs(shown_ratio(text) - ratio) <= 0.0051
        assert f"z = ({moved['z1']:.3f}, {moved['z2']:.3f})" in text

        # 모서리(End 키): 데이터에서 먼 빈 곳
        press(page, f"{LATENT} .aelib-z1 input", "End", 1, LATENT)
        press(page, f"{LATENT} .aelib-z2 input", "End", 1, LATENT)
        corner = page_state(page, LATENT)
        name, dist, ratio = expected_readout(corner, corner["z1"], corner["z2"])
        text = page.locator(f"{LATENT} .aelib-readout").inner_text()
        assert dist in text and abs(shown_ratio(text) - ratio) <= 0.0051 and ratio > 1  # 모서리는 τ보다 멂
        assert np.abs(np.array(corner["pixels"]) - torch_pixels(model, corner["z1"], corner["z2"])).max() <= 1
        page.locator(LATENT).screenshot(path=str(_shot("handout_latent_explorer.png")))

        # 보간: t를 키보드로 → 직선 위의 점을 디코딩
        w0 = page_state(page, WALK)
        press(page, f"{WALK} .aelib-t input", "ArrowRight", 30, WALK)
        w1 = page_state(page, WALK)
        assert w1["t"] > 0 and w1["pixels"] != w0["pixels"]
        emb = np.asarray(w1["emb"]).reshape(-1, 2)
        path = page.evaluate("(sel) => document.querySelector(sel).__aelib.panels.length", WALK)
        assert path == 1
        ia, ib = 0, int(np.flatnonzero(np.asarray(w1["lab"]) == 7)[0])
        t = w1["t"]
        z1, z2 = (1 - t) * emb[ia] + t * emb[ib]
        assert np.abs(np.array(w1["pixels"]) - torch_pixels(model, z1, z2)).max() <= 1
        assert f"t = {t:.2f}" in page.locator(f"{WALK} .aelib-interp-readout").inner_text()
        page.locator(WALK).screenshot(path=str(_shot("handout_interpolation_explorer.png")))
        assert page.locator(".aelib-status[data-level='error']").count() == 0
    finally:
        page.close()
    assert left == [], f"페이지 밖으로 나간 요청 / requests left the page: {left}"
    print(f"\n배포본 크기 {size_mb:.1f} MB")


def test_nan_from_the_page_gives_a_korean_message(handout, browser):
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        good = page_state(page, LATENT)
        page.evaluate("(sel) => document.querySelector(sel).__aelib.setFromPage('z1', NaN)", LATENT)
        status = page.locator(f"{LATENT} .aelib-status")
        status.wait_for(state="visible")
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.level === 'error'",
                               arg=f"{LATENT} .aelib-status")
        assert "받을 수 없는" in status.inner_text()
        after = page_state(page, LATENT)
        assert (after["z1"], after["z2"]) == (good["z1"], good["z2"]) and after["pixels"] == good["pixels"]
    finally:
        page.close()
    assert left == []


def test_corrupt_model_payload_gives_a_korean_message(handout, browser, tmp_path):
    html = handout.read_text(encoding="utf-8")
    state = re.search(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', html, re.S)
    data = json.loads(state.group(2))
    key = next(e["state"]["decoders"][0]["key"] for e in data["state"].values()
               if (e.get("state") or {}).get("css_class") == "aelib-latent-explorer")
    garbage = base64.b64encode(b"\x08\x07 not an onnx model " * 50).decode()
    html = re.sub(rf'(id="aelib-onnx-{key}">)[^<]*', lambda m: m.group(1) + garbage, html)
    broken = tmp_path / "broken.html"
    broken.write_text(html, encoding="utf-8")
    page, left = open_offline(browser, broken.as_uri())
    try:
        wait_mode(page, LATENT, modes=("none", "kernel"))
        status = page.locator(f"{LATENT} .aelib-status")
        assert status.is_visible()
        text = status.inner_text()
        assert "손상" in text and "디코더" in text, text
        page.locator(LATENT).screenshot(path=str(_shot("handout_corrupt_model.png")))
    finally:
        page.close()
    assert left == []


def drag(page, sel, points):
    """산점도 위에서 마우스로 끌기: 데이터 좌표 ``points``를 화면 좌표로 바꿔 누르고, 옮기고, 놓음."""
    page.locator(f"{sel} canvas.aelib-scatter").first.scroll_into_view_if_needed()
    box = page.locator(f"{sel} canvas.aelib-scatter").first.bounding_box()
    tr = page.evaluate("(sel) => document.querySelector(sel).__aelib.panels[0].transform", sel)
    sx, sy = box["width"] / tr["width"], box["height"] / tr["height"]
    screen = [(box["x"] + (tr["ax"] * a + tr["bx"]) * sx, box["y"] + (tr["height"] - (tr["ay"] * b + tr["by"])) * sy)
              for a, b in points]
    page.mouse.move(*screen[0])
    page.mouse.down()
    for x, y in screen[1:]:
        page.mouse.move(x, y, steps=3)
    page.mouse.up()


def test_dragging_on_the_map_moves_the_sliders_and_decodes_like_pytorch(handout, browser, model):
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        start = page_state(page, LATENT)
        emb = np.asarray(start["emb"]).reshape(-1, 2)
        a, b = emb[np.asarray(start["lab"]) == 1].mean(axis=0), emb[np.asarray(start["lab"]) == 9].mean(axis=0)
        before = start["painted"]
        drag(page, LATENT, [a, (a + b) / 2, b])
        page.wait_for_function("([sel, n]) => document.querySelector(sel).__aelib.state.painted > n", arg=[LATENT, before])
        page.wait_for_timeout(300)
        moved = page_state(page, LATENT)
        assert abs(moved["z1"] - b[0]) < 0.05 and abs(moved["z2"] - b[1]) < 0.05  # 화면 픽셀 하나 안쪽
        sliders = page.evaluate("(sel) => [...document.querySelectorAll(sel + ' input[type=range]')].map(i => +i.value)",
                                LATENT)
        step = page.evaluate("(sel) => +document.querySelector(sel + ' .aelib-z1 input').step", LATENT)
        assert abs(sliders[0] - moved["z1"]) <= step and abs(sliders[1] - moved["z2"]) <= step
        assert moved["pixels"] != start["pixels"]
        assert np.abs(np.array(moved["pixels"]) - torch_pixels(model, moved["z1"], moved["z2"])).max() <= 1
        trail = page.evaluate("(sel) => document.querySelector(sel).__aelib.trail.length", LATENT)
        assert trail >= 3  # 발자취
        # 키보드는 그대로: 끈 뒤에도 화살표 한 칸
        press(page, f"{LATENT} .aelib-z2 input", "ArrowUp", 1, LATENT)
        assert page_state(page, LATENT)["z2"] > moved["z2"]
        page.locator(LATENT).screenshot(path=str(_shot("handout_drag.png")))
    finally:
        page.close()
    assert left == []


def test_toggles_change_what_is_drawn(handout, browser):
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        wait_mode(page, COMPARE)
        st = page_state(page, LATENT)
        drag(page, LATENT, [(st["z1"], st["z2"]), (st["z1"] + 1.0, st["z2"] + 0.5)])  # 발자취가 생기게
        page.wait_for_timeout(300)
        for sel, key in [(LATENT, "names"), (LATENT, "mask"), (LATENT, "trail"), (COMPARE, "ellipses")]:
            before = page.evaluate("(sel) => document.querySelector(sel).__aelib.scatterPixels(%d)"
                                   % (1 if sel == COMPARE else 0), sel)
            page.locator(f"{sel} .aelib-toggle-{key} input").click()
            page.wait_for_timeout(100)
            after = page.evaluate("(sel) => document.querySelector(sel).__aelib.scatterPixels(%d)"
                                  % (1 if sel == COMPARE else 0), sel)
            assert before != after, f"{key} 켜고 끄기가 그림을 바꾸지 않았습니다"
        page.locator(COMPARE).screenshot(path=str(_shot("handout_compare_overlays.png")))
    finally:
        page.close()
    assert left == []


@torch.no_grad()
def torch_codes(model, pad_values):
    x = torch.zeros(1, 1, 32, 32)
    x[0, 0, 2:30, 2:30] = torch.tensor(np.asarray(pad_values, dtype=np.float32).reshape(28, 28))
    model.eval()
    return model.encoder(x)[0].numpy().astype(np.float64)


def test_drawing_lands_where_pytorch_encodes_it(handout, browser, model):
    vae = load_pretrained("vae")[0]
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.pad === 'ready'", arg=LATENT)
        # 시작 그림(테스트 이미지)을 누름 → PyTorch 인코더와 1e-4 안
        enc = page.evaluate("(sel) => document.querySelector(sel).__aelib.pad.encoded || 0", LATENT)
        page.locator(f"{LATENT} .aelib-pad-example").nth(1).click()
        page.wait_for_function("([sel, n]) => (document.querySelector(sel).__aelib.pad.encoded || 0) > n",
                               arg=[LATENT, enc])
        st = page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                           "return {px: a.padPixels(), codes: a.pad.codes}; }", LATENT)
        assert np.abs(np.asarray(st["codes"][0]) - torch_codes(model, st["px"])).max() <= 1e-4
        # 획을 그음 → 그린 픽셀의 PyTorch 인코딩과 1e-4 안, 마름모가 움직임
        box = page.locator(f"{LATENT} canvas.aelib-pad-canvas").bounding_box()
        page.locator(f"{LATENT} .aelib-pad-clear").click()
        page.mouse.move(box["x"] + 60, box["y"] + 40)
        page.mouse.down()
        for k in range(1, 12):
            page.mouse.move(box["x"] + 60 + 10 * k, box["y"] + 40 + 12 * k, steps=2)
        page.mouse.up()
        page.wait_for_function("(sel) => { const a = document.querySelector(sel).__aelib; "
                               "return !a.pad.busy && a.pad.codes.length > 0; }", arg=LATENT)
        page.wait_for_timeout(300)
        st = page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                           "return {px: a.padPixels(), codes: a.pad.codes, marker: a.panels[0].pad}; }", LATENT)
        assert sum(st["px"]) > 5
        want = torch_codes(model, st["px"])
        assert np.abs(np.asarray(st["codes"][0]) - want).max() <= 1e-4
        assert np.allclose(st["marker"]["z"], want[:2], atol=1e-4)
        page.locator(LATENT).screenshot(path=str(_shot("handout_pad.png")))
        # VAE: 같은 그림의 μ와 σ (점선 타원 μ ± 2σ)
        wait_mode(page, COMPARE)
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.pad === 'ready'", arg=COMPARE)
        page.evaluate("([sel, px]) => document.querySelector(sel).__aelib.setPad(px)", [COMPARE, st["px"]])
        page.wait_for_function("(sel) => { const a = document.querySelector(sel).__aelib; "
                               "return !a.pad.busy && a.pad.codes.length === 2; }", arg=COMPARE)
        cmp = page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                            "return {codes: a.pad.codes, vae: a.panels[1].pad}; }", COMPARE)
        want_vae = torch_codes(vae, st["px"])
        assert np.abs(np.asarray(cmp["codes"][1]) - want_vae).max() <= 1e-4
        assert np.allclose(cmp["vae"]["sigma"], np.exp(0.5 * want_vae[2:]), rtol=1e-4)
        page.locator(COMPARE).screenshot(path=str(_shot("handout_compare_pad.png")))
    finally:
        page.close()
    assert left == []


def test_empty_pad_gives_a_korean_message(handout, browser):
    page, left = open_offline(browser, handout.as_uri())
    try:
        wait_mode(page, LATENT)
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.pad === 'ready'", arg=LATENT)
        page.locator(f"{LATENT} .aelib-pad-clear").click()
        status = page.locator(f"{LATENT} .aelib-status")
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.level === 'error'",
                               arg=f"{LATENT} .aelib-status")
        assert "그림판이 비어 있습니다" in status.inner_text()
        page.evaluate("(sel) => document.querySelector(sel).__aelib.setPad(new Array(784).fill(NaN))", LATENT)
        page.wait_for_function("(sel) => document.querySelector(sel).textContent.includes('NaN')",
                               arg=f"{LATENT} .aelib-status")
    finally:
        page.close()
    assert left == []


def _shot(name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / name

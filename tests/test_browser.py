"""실제 브라우저 테스트: JupyterLab에서 잠재 공간 노트북을 모두 실행하고 z₁ 슬라이더를 키보드로 움직입니다.

데비안의 headless Chromium(``/usr/bin/chromium`` 또는 PATH의 ``chromium``)을 Python Playwright로 띄웁니다
(``playwright install``로 브라우저를 내려받지 않음). Chromium이 없을 때만 건너뜁니다.
노트북은 출력을 지운 임시 복사본을 쓰고, JupyterLab 설정·런타임 폴더도 임시 폴더라 저장소와 사용자 설정을 건드리지 않습니다.
스크린숏: ``artifacts/browser/latent_explorer.png``.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_latent_space.ipynb"
SCREENSHOT = ROOT / "artifacts" / "browser" / "latent_explorer.png"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SMALL = "small_explorer.ipynb"  # 커널 경로(WASM 없음) 시험용: 클래스마다 50장
SMALL_SETUP = """from aelib import latent
from aelib.data import class_subset, load_fashion_mnist
from aelib.explorer import LatentExplorer
from aelib.pretrained import load_pretrained
model, _ = load_pretrained("autoencoder")
ds = class_subset(load_fashion_mnist("test"), 50)
images, labels = ds.tensors
z = latent.embed(model, images)"""
SERVER_START_S = 90
RUN_ALL_S = 120
STEP_S = 20


def find_chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium이 없어 브라우저 테스트를 건너뜁니다 (/usr/bin/chromium도, PATH의 chromium도 없음; "
           "`sudo apt-get install chromium`) / no Chromium at /usr/bin/chromium or on PATH",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_copy(src: Path, dst: Path) -> None:
    """출력과 저장된 위젯 상태를 지운 노트북 복사본: 화면의 위젯은 모두 이번 실행에서 나온 것."""
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, dst)


class LabNotReady(RuntimeError):
    """JupyterLab 서버가 바로 끝났거나 제시간에 준비되지 않음 (서버 기록의 끝을 담음)."""


@contextlib.contextmanager
def jupyterlab_server(work: Path, tmp: Path, start_s: float = SERVER_START_S):
    """``work``를 루트로 JupyterLab 서버를 띄우고 (토큰 없음, 127.0.0.1) 주소를 줍니다. 설정·기록은 ``tmp``에.

    테스트(``lab``)와 ``benchmarks/browser_latency.py``가 함께 씁니다. 블록을 나오면 이 서버(와 그 커널)만,
    프로세스 그룹 번호로 끕니다.
    """
    settings = tmp / "settings"
    # 뉴스·업데이트 알림을 끔 (팝업이 슬라이더를 가리지 않게)
    notif = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True, exist_ok=True)
    notif.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # 모든 셀을 DOM에 두기 (화면 밖 셀도 실행 번호를 읽을 수 있게)
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),  # aelib (설치 안 했어도)
    )
    port = free_port()
    server_log = tmp / "server.log"
    log = open(server_log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         "--port-retries=0", "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_s
        while True:
            if proc.poll() is not None:
                raise LabNotReady(f"JupyterLab이 바로 끝났습니다 / exited early:\n{server_log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise LabNotReady(f"JupyterLab이 {start_s}초 안에 준비되지 않았습니다 / not ready:\n"
                                  f"{server_log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """임시 폴더에서 JupyterLab 서버를 띄우고 (토큰 없음, 127.0.0.1) 주소를 돌려줍니다. 끝나면 서버를 끕니다."""
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "notebooks"
    work.mkdir()
    clean_copy(NOTEBOOK, work / NOTEBOOK.name)
    small = nbformat.v4.new_notebook()
    small.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    small.cells = [nbformat.v4.new_code_cell(SMALL_SETUP),
                   nbformat.v4.new_code_cell("explorer = LatentExplorer(model, z, labels)\nexplorer")]
    nbformat.write(small, work / SMALL)
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(jupyterlab_server(work, tmp))
        except LabNotReady as err:
            pytest.fail(str(err))
        yield {"url": url, "log": tmp / "server.log", "runtime": tmp / "runtime"}


def dismiss_popups(page) -> None:
    """JupyterLab의 알림 팝업(뉴스 받기 등)이 보이면 닫습니다."""
    for selector in (".jp-toast-button:has-text('No')", ".jp-Notification-Toast-Close",
                     ".Toastify__close-button"):
        for button in page.locator(selector).all():
            try:
                if button.is_visible():
                    button.click(timeout=2000)
            except Exception:  # 그사이 사라진 팝업
                pass


def notebook_kernel(url: str, name: str = NOTEBOOK.name) -> dict | None:
    """서버가 아는 이 노트북의 커널 (id, execution_state …), 세션이 없으면 None."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=5) as r:
        sessions = json.load(r)
    for session in sessions:
        if session.get("path", "").endswith(name) and session.get("kernel"):
            return session["kernel"]
    return None


def notebook_kernel_state(url: str, name: str = NOTEBOOK.name) -> str | None:
    """서버가 아는 이 노트북 커널의 상태 ('starting', 'idle', 'busy' …), 세션이 없으면 None."""
    kernel = notebook_kernel(url, name)
    return kernel.get("execution_state") if kernel else None


def kernel_client(lab, name: str):
    """노트북 커널에 붙는 두 번째 클라이언트: 파이썬 쪽에서 위젯을 읽고 바꾸기 (JupyterLab과 같은 커널)."""
    from jupyter_client import BlockingKernelClient

    kernel = notebook_kernel(lab["url"], name)
    client = BlockingKernelClient(connection_file=str(lab["runtime"] / f"kernel-{kernel['id']}.json"))
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    return client


def run_python(client, code: str):
    """커널에서 ``code``를 실행하고 마지막 식의 값(repr → literal_eval)을 돌려줍니다."""
    import ast

    out = {}

    def hook(msg):
        if msg["msg_type"] == "execute_result":
            out["value"] = msg["content"]["data"]["text/plain"]
        elif msg["msg_type"] == "error":
            out["error"] = "\n".join(msg["content"]["traceback"])

    client.execute_interactive(code, output_hook=hook, timeout=60)
    assert "error" not in out, out.get("error")
    return ast.literal_eval(out["value"]) if "value" in out else None


def page_state(page, sel):
    """위젯의 페이지 쪽 상태: 점, 그린 횟수, 디코딩한 32×32 픽셀 (캔버스에서 읽음)."""
    return page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                         "return {z1: a.state.z1, z2: a.state.z2, t: a.state.t, painted: a.state.painted, "
                         "mode: a.state.mode, pixels: a.decodedPixels(0)}; }", sel)


@torch.no_grad()
def torch_pixels(model, z1, z2) -> np.ndarray:
    """PyTorch가 (z1, z2)에서 디코딩한 이미지를 페이지와 같이 양자화: round(255·(1 − v))."""
    model.eval()
    v = model.decode(torch.tensor([[z1, z2]], dtype=torch.float32))[0, 0].numpy().astype(np.float64)
    return np.rint((1.0 - np.clip(v, 0, 1)) * 255.0).astype(int).reshape(-1)


def wait_painted(page, sel, before: int, timeout_s: float = STEP_S):
    page.wait_for_function("([sel, n]) => document.querySelector(sel).__aelib.state.painted > n",
                           arg=[sel, before], timeout=timeout_s * 1000)


def wait_for_kernel(page, url: str, timeout_s: float, name: str = NOTEBOOK.name) -> None:
    """노트북의 커널이 실제로 떠서 쉬고 있을 때까지 기다립니다.

    JupyterLab이 커널 목록을 늦게 받으면 "Select Kernel" 대화 상자를 띄우므로, 보이면 기본 커널(Python 3)을 고릅니다.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            print(f"\n대화 상자 닫음 / accepted dialog: {dialog.first.inner_text()[:60]!r}")
            page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").first.click()
        if notebook_kernel_state(url, name) == "idle":
            return
        page.wait_for_timeout(500)
    pytest.fail(f"노트북 커널이 {timeout_s}초 안에 준비되지 않았습니다 / kernel not ready: {notebook_kernel_state(url, name)}")


def kernel_idle(page, timeout_s: float) -> None:
    page.wait_for_function(
        """() => {
            const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
            return el && el.getAttribute('data-status') === 'idle';
        }""",
        timeout=timeout_s * 1000,
    )


PROMPTS = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent)"
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""


def open_and_run_all(browser, lab, name, init_script=None):
    """노트북을 JupyterLab에서 열고 Run All Cells → 모두 끝날 때까지 기다린 페이지."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{lab['url']}/lab/tree/{name}", wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    wait_for_kernel(page, lab["url"], 90, name)
    kernel_idle(page, 30)
    dismiss_popups(page)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all'], "
                 ".lm-Menu-item[data-command='notebook:run-all-cells']").first.click()
    try:
        page.wait_for_function(ALL_CELLS_RAN, timeout=RUN_ALL_S * 1000)
    except Exception:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT.with_name("failure.png")), full_page=True)
        print(page.evaluate(PROMPTS))
        raise
    kernel_idle(page, 30)
    dismiss_popups(page)
    return page


def assert_no_errors(page):
    """오류 출력이 없어야 함: stderr(경고, 트레이스백), 위젯을 그리지 못함."""
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.all_inner_texts()
    assert page.get_by_text("Error displaying widget").count() == 0
    assert "Traceback" not in page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").inner_text()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def model():
    from aelib.pretrained import load_pretrained

    return load_pretrained("autoencoder")[0]


LATENT = ".aelib-latent-explorer"
WALK = ".aelib-interpolation-explorer"


def test_explorers_decode_in_the_page_in_jupyterlab(lab, browser, model):
    """노트북 05: 페이지가 디코딩(WASM), 키보드 → 이미지가 PyTorch와 같음, 파이썬 ↔ 페이지 점 맞춤."""
    started = time.monotonic()
    page = open_and_run_all(browser, lab, NOTEBOOK.name)
    client = kernel_client(lab, NOTEBOOK.name)
    try:
        ran_s = time.monotonic() - started
        explorer = page.locator(LATENT)
        explorer.wait_for(state="visible")
        explorer.scroll_into_view_if_needed()
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.mode === 'browser'", arg=LATENT,
                               timeout=60_000)
        start = page_state(page, LATENT)
        assert np.abs(np.array(start["pixels"]) - torch_pixels(model, start["z1"], start["z2"])).max() <= 1

        # 페이지 → 파이썬: 키보드로 z₁ 슬라이더를 움직이면 커널의 explorer.point도 따라감
        for _ in range(6):
            page.locator(f"{LATENT} .aelib-z1 input").press("ArrowRight")
        try:
            wait_painted(page, LATENT, start["painted"])
        except Exception:
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT.with_name("failure.png")), full_page=True)
            print(page.evaluate("() => [document.activeElement.outerHTML.slice(0, 200), "
                                "document.querySelector('.aelib-latent-explorer .aelib-z1 input').value]"))
            raise
        page.wait_for_timeout(500)
        kernel_idle(page, STEP_S)
        moved = page_state(page, LATENT)
        assert moved["z1"] > start["z1"] and moved["pixels"] != start["pixels"]
        assert np.abs(np.array(moved["pixels"]) - torch_pixels(model, moved["z1"], moved["z2"])).max() <= 1
        assert run_python(client, "explorer.point") == pytest.approx((moved["z1"], moved["z2"]), abs=1e-9)
        assert run_python(client, "explorer.widget.mode") == "browser"
        text = page.locator(f"{LATENT} .aelib-readout").inner_text()
        py_text = run_python(client, "__import__('re').sub('<[^>]+>', '', explorer.readout.replace('<br>', '\\n'))")
        assert text.split() == py_text.split(), (text, py_text)  # 페이지의 읽은 글 = 파이썬의 읽은 글

        # 파이썬 → 페이지: set_point가 페이지의 슬라이더와 이미지를 옮김
        before = page_state(page, LATENT)["painted"]
        run_python(client, "explorer.set_point(1.0, -1.0)")
        wait_painted(page, LATENT, before)
        page.wait_for_function("(sel) => { const s = document.querySelector(sel).__aelib.state; "
                               "return s.z1 === 1.0 && s.z2 === -1.0; }", arg=LATENT, timeout=STEP_S * 1000)
        page.wait_for_timeout(300)
        there = page_state(page, LATENT)
        slider = float(page.locator(f"{LATENT} .aelib-z1 input").input_value())
        step = run_python(client, "explorer.z1.step")
        assert abs(slider - 1.0) <= step
        assert np.abs(np.array(there["pixels"]) - torch_pixels(model, 1.0, -1.0)).max() <= 1

        # 산점도를 끌기 → 슬라이더, 커널의 점, 이미지가 따라감
        from .test_browser_handout import drag, torch_codes  # 같은 도우미 (화면 좌표 계산, PyTorch 인코더)

        before = page_state(page, LATENT)["painted"]
        drag(page, LATENT, [(1.0, -1.0), (0.0, 2.0), (-1.0, 4.0)])
        wait_painted(page, LATENT, before)
        page.wait_for_timeout(500)
        kernel_idle(page, STEP_S)
        dragged = page_state(page, LATENT)
        assert abs(dragged["z1"] + 1.0) < 0.05 and abs(dragged["z2"] - 4.0) < 0.05
        assert run_python(client, "explorer.point") == pytest.approx((dragged["z1"], dragged["z2"]), abs=1e-9)
        slider = float(page.locator(f"{LATENT} .aelib-z2 input").input_value())
        assert abs(slider - dragged["z2"]) <= run_python(client, "explorer.z2.step")
        assert np.abs(np.array(dragged["pixels"]) - torch_pixels(model, dragged["z1"], dragged["z2"])).max() <= 1

        # 그림판: 인코더 ONNX는 커널이 열쇠로 보냄 → 예시 그림의 자리가 PyTorch 인코더와 1e-4 안
        page.wait_for_function("(sel) => document.querySelector(sel).dataset.pad === 'ready'", arg=LATENT,
                               timeout=60_000)
        page.locator(f"{LATENT} .aelib-pad-example").first.click()
        page.wait_for_function("(sel) => { const a = document.querySelector(sel).__aelib; "
                               "return !a.pad.busy && a.pad.codes.length > 0; }", arg=LATENT, timeout=STEP_S * 1000)
        pad = page.evaluate("(sel) => { const a = document.querySelector(sel).__aelib; "
                            "return {px: a.padPixels(), codes: a.pad.codes}; }", LATENT)
        assert np.abs(np.asarray(pad["codes"][0]) - torch_codes(model, pad["px"])).max() <= 1e-4

        # 보간 위젯도: t를 움직이면 페이지가 디코딩
        walk = page.locator(WALK)
        walk.scroll_into_view_if_needed()
        w0 = page_state(page, WALK)
        for _ in range(10):
            page.locator(f"{WALK} .aelib-t input").press("ArrowRight")
        wait_painted(page, WALK, w0["painted"])
        page.wait_for_timeout(500)
        kernel_idle(page, STEP_S)
        w1 = page_state(page, WALK)
        assert w1["t"] > 0 and w1["pixels"] != w0["pixels"]
        point = run_python(client, "walk.point")
        assert run_python(client, "walk.t") == pytest.approx(w1["t"])
        assert np.abs(np.array(w1["pixels"]) - torch_pixels(model, *point)).max() <= 1
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        walk.screenshot(path=str(SCREENSHOT.with_name("interpolation_explorer.png")))

        assert_no_errors(page)
        assert page.locator(".aelib-status[data-level='error']").count() == 0
        explorer.scroll_into_view_if_needed()
        explorer.screenshot(path=str(SCREENSHOT))

        # 어두운 테마: 설정 메뉴로 바꾸고 스크린숏 (글자는 테마의 색을 따름)
        page.locator(".lm-MenuBar-item", has_text="Settings").first.click()
        page.locator(".lm-Menu-item", has_text="Theme").first.hover()
        page.locator(".lm-Menu-item", has_text="JupyterLab Dark").first.click()
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
        page.wait_for_timeout(500)
        colour = page.evaluate("(sel) => getComputedStyle(document.querySelector(sel + ' .aelib-readout')).color",
                               LATENT)
        rgb = [int(v) for v in re.findall(r"\d+", colour)[:3]]
        assert sum(rgb) / 3 > 150, colour  # 어두운 바탕에 밝은 글자
        explorer.scroll_into_view_if_needed()
        explorer.screenshot(path=str(SCREENSHOT.with_name("latent_explorer_dark.png")))
    finally:
        client.stop_channels()
        page.close()
    print(f"\n노트북 실행까지 {ran_s:.1f} s, 전체 {time.monotonic() - started:.1f} s")


def test_without_webassembly_the_kernel_decodes(lab, browser, model):
    """WASM이 없는 페이지: 한국어 알림 + 커널 경로로 디코딩 (지금까지의 방식)."""
    page = open_and_run_all(browser, lab, SMALL, init_script="delete window.WebAssembly;")
    try:
        page.wait_for_function("(sel) => { const e = document.querySelector(sel); return e && e.dataset.mode === 'kernel'; }",
                               arg=LATENT, timeout=60_000)
        status = page.locator(f"{LATENT} .aelib-status")
        assert status.is_visible() and "커널(파이썬)이 디코딩합니다" in status.inner_text()
        start = page_state(page, LATENT)
        for _ in range(4):
            page.locator(f"{LATENT} .aelib-z2 input").press("ArrowLeft")
        page.wait_for_timeout(500)
        kernel_idle(page, STEP_S)
        page.wait_for_function("([sel, old]) => { const a = document.querySelector(sel).__aelib; "
                               "return JSON.stringify(a.decodedPixels(0)) !== old; }",
                               arg=[LATENT, str(start["pixels"]).replace(" ", "")], timeout=STEP_S * 1000)
        page.wait_for_timeout(1000)  # 마지막 키의 그림까지 (커널 왕복)
        moved = page_state(page, LATENT)
        assert moved["z2"] < start["z2"]
        assert np.abs(np.array(moved["pixels"]) - torch_pixels(model, moved["z1"], moved["z2"])).max() <= 1
        page.locator(LATENT).screenshot(path=str(SCREENSHOT.with_name("kernel_fallback.png")))
        assert_no_errors(page)
    finally:
        page.close()

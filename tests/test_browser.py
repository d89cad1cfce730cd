"""실제 브라우저 테스트: JupyterLab에서 잠재 공간 노트북을 모두 실행하고 z₁ 슬라이더를 키보드로 움직입니다.

데비안의 headless Chromium(``/usr/bin/chromium`` 또는 PATH의 ``chromium``)을 Python Playwright로 띄웁니다
(``playwright install``로 브라우저를 내려받지 않음). Chromium이 없을 때만 건너뜁니다.
노트북은 출력을 지운 임시 복사본을 쓰고, JupyterLab 설정·런타임 폴더도 임시 폴더라 저장소와 사용자 설정을 건드리지 않습니다.
스크린숏: ``artifacts/browser/latent_explorer.png``.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_latent_space.ipynb"
SCREENSHOT = ROOT / "artifacts" / "browser" / "latent_explorer.png"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """임시 폴더에서 JupyterLab 서버를 띄우고 (토큰 없음, 127.0.0.1) 주소를 돌려줍니다. 끝나면 서버를 끕니다."""
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "notebooks"
    work.mkdir()
    clean_copy(NOTEBOOK, work / NOTEBOOK.name)
    settings = tmp / "settings"
    # 뉴스·업데이트 알림을 끔 (팝업이 슬라이더를 가리지 않게)
    notif = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True)
    notif.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # 모든 셀을 DOM에 두기 (화면 밖 셀도 실행 번호를 읽을 수 있게)
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),  # aelib (설치 안 했어도)
    )
    port = free_port()
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         "--port-retries=0", "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab이 바로 끝났습니다 / exited early:\n{(tmp / 'server.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab이 {SERVER_START_S}초 안에 준비되지 않았습니다 / not ready:\n"
                            f"{(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(0.3)
        yield {"url": url, "log": tmp / "server.log"}
    finally:
        # 이 테스트가 띄운 서버(와 그 커널)만, 프로세스 그룹 번호로 끔
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()


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


def notebook_kernel_state(url: str) -> str | None:
    """서버가 아는 이 노트북 커널의 상태 ('starting', 'idle', 'busy' …), 세션이 없으면 None."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=5) as r:
        sessions = json.load(r)
    for session in sessions:
        if session.get("path", "").endswith(NOTEBOOK.name) and session.get("kernel"):
            return session["kernel"].get("execution_state")
    return None


def wait_for_kernel(page, url: str, timeout_s: float) -> None:
    """노트북의 커널이 실제로 떠서 쉬고 있을 때까지 기다립니다.

    JupyterLab이 커널 목록을 늦게 받으면 "Select Kernel" 대화 상자를 띄우므로, 보이면 기본 커널(Python 3)을 고릅니다.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            print(f"\n대화 상자 닫음 / accepted dialog: {dialog.first.inner_text()[:60]!r}")
            page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").first.click()
        if notebook_kernel_state(url) == "idle":
            return
        page.wait_for_timeout(500)
    pytest.fail(f"노트북 커널이 {timeout_s}초 안에 준비되지 않았습니다 / kernel not ready: {notebook_kernel_state(url)}")


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
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""


def test_slider_changes_the_decoded_image_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(f"{lab['url']}/lab/tree/{NOTEBOOK.name}", wait_until="domcontentloaded", timeout=60_000)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
            wait_for_kernel(page, lab["url"], 90)
            kernel_idle(page, 30)
            dismiss_popups(page)

            # 메뉴 Run → Run All Cells
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
            ran_s = time.monotonic() - started

            explorer = page.locator(".aelib-latent-explorer")
            explorer.wait_for(state="visible")
            explorer.scroll_into_view_if_needed()
            decoded = page.locator("img.aelib-decoded")
            readout = page.locator(".aelib-readout")
            decoded.wait_for(state="visible")
            before_src = decoded.get_attribute("src")
            before_png = decoded.screenshot()
            before_text = readout.inner_text()
            assert before_src and "z = (" in before_text

            # z₁ 슬라이더 손잡이에 초점을 두고 키보드 → 여러 번; 한 걸음마다 이미지가 바뀔 때까지 잰 시간
            handle = page.locator(".aelib-z1 .noUi-handle")
            handle.focus()
            step_ms, src = [], before_src
            for _ in range(6):
                t0 = time.monotonic()
                handle.press("ArrowRight")
                page.wait_for_function(
                    "([sel, old]) => { const i = document.querySelector(sel); return i && i.src && i.src !== old; }",
                    arg=["img.aelib-decoded", src], timeout=STEP_S * 1000,
                )
                step_ms.append((time.monotonic() - t0) * 1000)
                src = decoded.get_attribute("src")
            page.wait_for_function(  # 마지막 걸음까지 반영되도록: 읽은 글이 바뀌고 커널이 쉼
                "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
                arg=[".aelib-readout", before_text], timeout=STEP_S * 1000,
            )
            kernel_idle(page, STEP_S)
            page.wait_for_timeout(300)

            after_src = decoded.get_attribute("src")
            after_png = decoded.screenshot()
            after_text = readout.inner_text()
            assert after_src != before_src
            assert after_png != before_png, "디코딩 이미지의 화면이 바뀌지 않았습니다 / decoded image did not change"
            z1_before = float(before_text.split("z = (")[1].split(",")[0])
            z1_after = float(after_text.split("z = (")[1].split(",")[0])
            assert z1_after > z1_before, (before_text, after_text)

            # 보간 위젯도: t 슬라이더를 움직이면 t에서 디코딩한 이미지가 바뀜
            walk = page.locator(".aelib-interpolation-explorer")
            walk.scroll_into_view_if_needed()
            walk_img = page.locator("img.aelib-interp-decoded")
            walk_src = walk_img.get_attribute("src")
            t_handle = page.locator(".aelib-t .noUi-handle")
            t_handle.focus()
            for _ in range(3):
                t_handle.press("ArrowRight")
            page.wait_for_function(
                "([sel, old]) => { const i = document.querySelector(sel); return i && i.src && i.src !== old; }",
                arg=["img.aelib-interp-decoded", walk_src], timeout=STEP_S * 1000,
            )
            kernel_idle(page, STEP_S)
            assert "t = 0.00" not in page.locator(".aelib-interp-readout").inner_text()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            walk.screenshot(path=str(SCREENSHOT.with_name("interpolation_explorer.png")))

            # 오류 출력이 없어야 함: stderr(경고, 트레이스백), 위젯을 그리지 못함
            stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
            assert stderr.count() == 0, stderr.all_inner_texts()
            assert page.get_by_text("Error displaying widget").count() == 0
            assert "Traceback" not in page.locator(".jp-Notebook").inner_text()

            explorer.scroll_into_view_if_needed()
            explorer.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    total_s = time.monotonic() - started
    print(f"\n노트북 실행까지 {ran_s:.1f} s, 키 한 번 → 이미지 바뀜 중앙값 {sorted(step_ms)[len(step_ms) // 2]:.0f} ms "
          f"({', '.join(f'{m:.0f}' for m in step_ms)}), 전체 {total_s:.1f} s")

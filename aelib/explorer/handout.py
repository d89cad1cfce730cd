"""HTML 배포본 안의 살아 있는 탐색기: 노트북에 저장된 위젯 상태로 같은 앞단(explorer.js)을 커널 없이 띄웁니다.

``aelib.handouts``가 nbconvert의 HTML에 이것을 적용합니다:

- nbconvert가 넣는 위젯 렌더러(CDN의 ``@jupyter-widgets/html-manager``)를 빼고 (인터넷에 닿지 않게),
- 위젯 상태 안에서 같은 바이트(두 탐색기가 함께 쓰는 ONNX 디코더 등)는 한 번만 남기고,
- onnxruntime-web의 JS와 gzip WASM, 위젯 상태가 열쇠로 가리키는 ONNX 모델(배포 파일 또는 캐시)을
  파일마다 한 번씩 base64로 넣고 (같은 런타임·모델을 두 번 넣지 않음),
- 작은 적재 스크립트가 탐색기 위젯(anywidget)마다 상태 → 가짜 모델을 만들어 그 앞단의 ``render``를 부릅니다.
"""

import base64
import json
import re

from . import runtime
from .onnx_export import onnx_file

WIDGET_STATE = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
WIDGETS_LOADER = re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?</script>", re.S)
REQUIREJS = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^"]*"></script>')
ESM_MARK = "aelib explorer"  # explorer.js의 첫 줄에 있는 글자: 우리 위젯인지 알아봄

LOADER = r"""
<script>
(function () {
  "use strict";
  function b64(s) { var bin = atob(s), out = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out; }
  var ortFiles = null;
  globalThis.__aelibRuntimeFiles = function () {
    if (!ortFiles) {
      var js = document.getElementById("aelib-ort-js"), wasm = document.getElementById("aelib-ort-wasm");
      if (!js || !wasm) return Promise.reject(new Error("이 배포본에 onnxruntime-web이 들어 있지 않습니다"));
      ortFiles = Promise.resolve({ js: b64(js.textContent.trim()), wasmGz: b64(wasm.textContent.trim()) });
    }
    return ortFiles;
  };
  var modelFiles = {};
  globalThis.__aelibModelFile = function (key) {
    if (!modelFiles[key]) {
      var el = document.getElementById("aelib-onnx-" + key);
      modelFiles[key] = el ? Promise.resolve(b64(el.textContent.trim()))
        : Promise.reject(new Error("이 배포본에 ONNX 모델 " + String(key).slice(0, 12) + "…이 들어 있지 않습니다"));
    }
    return modelFiles[key];
  };
  function fakeModel(state) {
    var listeners = {};
    return {
      __standalone: true,
      get: function (k) { return state[k]; },
      set: function (k, v) { var old = state[k]; state[k] = v; if (old !== v) (listeners["change:" + k] || []).slice().forEach(function (f) { f(); }); },
      on: function (ev, f) { (listeners[ev] = listeners[ev] || []).push(f); },
      off: function (ev, f) { listeners[ev] = (listeners[ev] || []).filter(function (g) { return g !== f; }); },
      save_changes: function () {}, send: function () {}, widget_manager: null
    };
  }
  function setPath(obj, path, value) {
    for (var i = 0; i < path.length - 1; i++) obj = obj[path[i]];
    obj[path[path.length - 1]] = value;
  }
  async function mount() {
    var stateEl = document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
    if (!stateEl) return;
    var models = JSON.parse(stateEl.textContent).state;
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    for (var v = 0; v < views.length; v++) {
      var view = JSON.parse(views[v].textContent), entry = models[view.model_id];
      if (!entry || !entry.state || typeof entry.state._esm !== "string" || entry.state._esm.indexOf("__aelibOrt") < 0) continue;
      var state = JSON.parse(JSON.stringify(entry.state));
      (entry.buffers || []).forEach(function (buf) {
        var src = buf;
        if (buf.same_as) src = models[buf.same_as[0]].buffers[buf.same_as[1]];
        setPath(state, buf.path, b64(src.data));
      });
      var el = document.createElement("div");
      el.className = "aelib-handout-widget";
      views[v].parentNode.insertBefore(el, views[v]);
      try {
        if (state._css) { var st = document.createElement("style"); st.textContent = state._css; document.head.appendChild(st); }
        var url = URL.createObjectURL(new Blob([state._esm], { type: "text/javascript" }));
        var mod = await import(url);
        (mod.default.render || mod.render)({ model: fakeModel(state), el: el });
      } catch (err) {
        el.textContent = "탐색기를 띄우지 못했습니다: " + (err && err.message || err);
        el.style.color = "#9b1111";
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount); else mount();
})();
</script>
"""


def _dedupe(state: dict) -> dict:
    """같은 바이트 버퍼는 처음 것만 남기고 나머지는 ``same_as: [모델, 번호]``로."""
    seen = {}
    for model_id, entry in state.get("state", {}).items():
        for k, buf in enumerate(entry.get("buffers", []) or []):
            data = buf.get("data")
            if not isinstance(data, str) or len(data) < 10_000:
                continue
            if data in seen:
                entry["buffers"][k] = {"path": buf["path"], "same_as": seen[data]}
            else:
                seen[data] = [model_id, k]
    return state


def model_keys(state: dict) -> list[str]:
    """탐색기 위젯들이 쓰는 ONNX 모델의 열쇠 (디코더, 그림판의 인코더), 처음 나온 순서로 한 번씩."""
    keys = []
    for entry in state.get("state", {}).values():
        st = entry.get("state") or {}
        if "__aelibOrt" not in str(st.get("_esm", "")):
            continue
        found = [d.get("key") for d in st.get("decoders") or [] if isinstance(d, dict)]
        found += [(p.get("encoder") or {}).get("key") for p in st.get("panels") or [] if isinstance(p, dict)]
        keys += [k for k in found if isinstance(k, str) and k and k not in keys]
    return keys


def has_explorer(state: dict) -> bool:
    return any("__aelibOrt" in str((e.get("state") or {}).get("_esm", ""))
               for e in state.get("state", {}).values())


def live_widgets(html: str) -> tuple[str, str | None]:
    """nbconvert HTML → 탐색기가 살아 있는 HTML. 둘째 값은 알림 (없으면 None)."""
    found = WIDGET_STATE.search(html)
    if not found:
        return html, None
    state = json.loads(found.group(2))
    if not has_explorer(state):
        return html, None
    keys = model_keys(state)
    state_json = json.dumps(_dedupe(state), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    html = html[:found.start(2)] + state_json + html[found.end(2):]
    html = WIDGETS_LOADER.sub("", html, count=1)  # CDN의 위젯 렌더러(와 그것이 쓰는 require.js) 대신 아래의 적재 스크립트
    html = REQUIREJS.sub("", html, count=1)
    try:
        js, wasm_gz = runtime.files()
    except runtime.RuntimeUnavailable as exc:
        note = f"onnxruntime-web을 받지 못해 배포본의 탐색기는 디코딩하지 못합니다 / explorers cannot decode: {exc}"
        return html.replace("</body>", LOADER + "</body>", 1), note
    blobs = (f'<script type="application/octet-stream" id="aelib-ort-js">{base64.b64encode(js).decode()}</script>\n'
             f'<script type="application/octet-stream" id="aelib-ort-wasm">{base64.b64encode(wasm_gz).decode()}'
             "</script>\n")
    missing = []
    for key in keys:
        path = onnx_file(key)
        if path is None:
            missing.append(key[:12])
            continue
        blobs += (f'<script type="application/octet-stream" id="aelib-onnx-{key}">'
                  f"{base64.b64encode(path.read_bytes()).decode()}</script>\n")
    note = None
    if missing:
        note = (f"ONNX 모델 {missing}을(를) 찾지 못해 배포본의 일부 탐색기는 디코딩하지 못합니다 (노트북을 이 컴퓨터에서 "
                f"다시 실행하면 캐시에 생김) / ONNX models not found: {missing}")
    return html.replace("</body>", blobs + LOADER + "</body>", 1), note

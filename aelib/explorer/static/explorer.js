// aelib explorer — 잠재 공간 탐색기의 앞단 (anywidget ESM): JupyterLab과 HTML 배포본이 함께 씁니다.
// 슬라이더가 움직이면 페이지 안에서 onnxruntime-web(WASM)으로 디코딩하고, 산점도의 과녁과 읽은 글을 다시 그립니다.
// 커널은 점의 값만 따라 받습니다 (파이썬 API용). WASM이 시작되지 않으면 한국어로 알리고,
// JupyterLab에서는 커널이 디코딩한 PNG를 받아 그립니다 (kernel_images).

const ORT_KEY = "__aelibOrt"; // 페이지에 하나뿐인 onnxruntime-web (위젯들이 함께 씀)

function bytesOf(v) {
  if (v == null) return null;
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new Error(`바이트가 아님: ${Object.prototype.toString.call(v)}`);
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// 런타임 파일 (JS, gzip WASM): 배포본은 페이지에 넣어 둔 것을, JupyterLab은 커널에 한 번 달라고 합니다.
function runtimeFiles(model) {
  if (globalThis.__aelibRuntimeFiles) return globalThis.__aelibRuntimeFiles();
  if (model.__standalone) return Promise.reject(new Error("이 페이지에 onnxruntime-web이 들어 있지 않습니다"));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("커널이 onnxruntime-web을 보내지 않았습니다")), 60000);
    const onMsg = (msg, buffers) => {
      if (!msg || msg.type !== "runtime") return;
      clearTimeout(timer);
      model.off("msg:custom", onMsg);
      if (msg.error || !buffers || buffers.length < 2) reject(new Error(msg.error || "런타임 파일이 비었습니다"));
      else resolve({ js: bytesOf(buffers[0]), wasmGz: bytesOf(buffers[1]) });
    };
    model.on("msg:custom", onMsg);
    model.send({ type: "runtime?" });
  });
}

function loadOrt(model) {
  if (!globalThis[ORT_KEY]) {
    globalThis[ORT_KEY] = (async () => {
      if (typeof WebAssembly !== "object") throw new Error("이 브라우저에는 WebAssembly가 없습니다");
      if (typeof DecompressionStream !== "function") throw new Error("이 브라우저는 DecompressionStream이 없습니다");
      const { js, wasmGz } = await runtimeFiles(model);
      const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
      const ort = await import(/* webpackIgnore: true */ url);
      ort.env.wasm.wasmBinary = (await gunzip(wasmGz)).buffer;
      ort.env.wasm.numThreads = 1; // 작업자(worker) 없이: 파일 하나짜리 페이지에서도 됨
      ort.env.wasm.proxy = false;
      return ort;
    })();
    globalThis[ORT_KEY].catch(() => { globalThis[ORT_KEY] = null; });
  }
  return globalThis[ORT_KEY];
}

// ---------------------------------------------------------------------------
// 작은 도우미

function h(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" }[c]));
}

const fix = (x, d) => (Object.is(x, -0) ? 0 : x).toFixed(d);

// 가장 가까운 임베딩 (float64, 파이썬의 _Side.nearest와 같은 계산)
function nearest(emb, z1, z2) {
  let best = Infinity, bi = 0;
  for (let i = 0; i < emb.length; i += 2) {
    const d1 = emb[i] - z1, d2 = emb[i + 1] - z2;
    const d = d1 * d1 + d2 * d2;
    if (d < best) { best = d; bi = i >> 1; }
  }
  return [bi, Math.sqrt(best)];
}

const isEmpty = (dist, tau) => dist > tau; // 파이썬의 _Side.is_empty와 같은 규칙

// 파이썬의 _Side.nearest_html과 같은 글자
function nearestHtml(panel, classes, z1, z2) {
  const [i, dist] = nearest(panel.emb, z1, z2);
  const c = classes[panel.lab[i]];
  let text = `가장 가까운 임베딩의 클래스: <span style="color:${c.color}; font-size:1.3em">●</span> ` +
    `<b>${escapeHtml(c.korean)}</b> (${c.id})<br>그 임베딩까지의 거리: <b>${fix(dist, 3)}</b>`;
  if (isEmpty(dist, panel.tau)) {
    text += `<br><span style='color:#b00'>빈 곳입니다 (τ = ${fix(panel.tau, 3)}보다 멂) — 브라이언이 어떤 옷을 만들까요?</span>`;
  }
  return text;
}

// 디코더 출력 [0, 1] → 흰 바탕에 검은 옷: round(255 · (1 − v))
function paintDecoded(ctx, data) {
  const img = ctx.createImageData(32, 32);
  for (let i = 0; i < 1024; i++) {
    const v = Math.min(1, Math.max(0, data[i]));
    const g = Math.round((1 - v) * 255);
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

async function pngBitmap(bytes) {
  return createImageBitmap(new Blob([bytesOf(bytes)], { type: "image/png" }));
}

// ---------------------------------------------------------------------------
// 산점도 위에 그리기 (파이썬의 LatentCanvas와 같은 모양)

function pixel(tr, z1, z2) {
  return [tr.ax * z1 + tr.bx, tr.height - (tr.ay * z2 + tr.by)];
}

function drawTarget(ctx, tr, z1, z2, r = 8) {
  const [x, y] = pixel(tr, z1, z2);
  ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 3; ctx.strokeStyle = "#000"; ctx.stroke();
  ctx.beginPath(); ctx.arc(x, y, 2.5, 0, 2 * Math.PI); ctx.fillStyle = "#000"; ctx.fill();
}

function drawCrosshair(ctx, tr, z1, z2) {
  const [x, y] = pixel(tr, z1, z2);
  const [l, t, r, b] = tr.box;
  ctx.lineWidth = 1; ctx.strokeStyle = "rgb(150,150,150)";
  ctx.beginPath(); ctx.moveTo(l, y + 0.5); ctx.lineTo(r, y + 0.5); ctx.moveTo(x + 0.5, t); ctx.lineTo(x + 0.5, b); ctx.stroke();
}

function drawPath(ctx, tr, a, b) {
  const pa = pixel(tr, a[0], a[1]), pb = pixel(tr, b[0], b[1]);
  ctx.lineWidth = 2; ctx.strokeStyle = "#000";
  ctx.beginPath(); ctx.moveTo(pa[0], pa[1]); ctx.lineTo(pb[0], pb[1]); ctx.stroke();
  for (const [p, label] of [[pa, "A"], [pb, "B"]]) {
    ctx.fillStyle = "#fff"; ctx.fillRect(p[0] - 6, p[1] - 6, 12, 12);
    ctx.lineWidth = 2; ctx.strokeRect(p[0] - 6, p[1] - 6, 12, 12);
    ctx.font = "bold 15px sans-serif"; ctx.lineWidth = 4; ctx.strokeStyle = "#fff";
    ctx.strokeText(label, p[0] + 9, p[1] - 8); ctx.fillStyle = "#000"; ctx.fillText(label, p[0] + 9, p[1] - 8);
    ctx.strokeStyle = "#000";
  }
}

// ---------------------------------------------------------------------------

function render({ model, el }) {
  // jp-mod-readWrite, data-lm-suppress-shortcuts: JupyterLab의 단축키(명령 모드)가 슬라이더의 화살표 키를 가로채지 않게
  const root = h("div", "aelib-explorer jp-mod-readWrite " + (model.get("css_class") || ""), el);
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  // JupyterLab은 키 입력을 문서에서(버블 단계) 단축키로 처리하므로, 슬라이더·선택 상자의 키는 여기서 멈춤
  for (const ev of ["keydown", "keyup", "keypress"]) {
    root.addEventListener(ev, (e) => { if (e.target.matches("input, select")) e.stopPropagation(); });
  }
  const kind = model.get("kind");
  const classes = model.get("classes");
  h("div", "aelib-title", root).innerHTML = model.get("title");
  const status = h("div", "aelib-status", root);
  const note = (text, level = "info") => {
    status.textContent = text;
    status.dataset.level = level;
  };

  // -- 조종 장치
  const sliders = {};
  function slider(name, label, lo, hi, step, cls) {
    const row = h("label", "aelib-slider " + cls, root);
    h("span", "aelib-slider-label", row, label);
    const input = h("input", "", row);
    Object.assign(input, { type: "range", min: lo, max: hi, step: step });
    input.setAttribute("aria-label", label);
    const out = h("span", "aelib-slider-value", row);
    sliders[name] = { input, out };
    return input;
  }
  let chooser = null;
  if (kind === "point") {
    const [lo, hi, step] = [model.get("lo"), model.get("hi"), model.get("step")];
    const pre = model.get("css_class") === "aelib-compare-explorer" ? "aelib-compare-" : "aelib-";
    slider("z1", "z₁", lo[0], hi[0], step[0], pre + "z1");
    slider("z2", "z₂", lo[1], hi[1], step[1], pre + "z2");
  } else {
    chooser = h("div", "aelib-choose", root);
    slider("t", "t", 0, 1, 0.01, "aelib-t");
  }
  const pointLine = model.get("show_point") ? h("div", "aelib-point", root) : null;

  // -- 패널 (디코더마다 하나)
  const row = h("div", "aelib-panels", root);
  const panels = model.get("panels").map((p, i) => {
    const box = h("div", "aelib-panel", row);
    if (p.heading) h("div", "aelib-panel-name", box).innerHTML = `<b>${escapeHtml(p.name)}</b>`;
    const inner = h("div", "aelib-panel-inner", box);
    let scatter = null;
    if (p.scatter) {
      scatter = h("canvas", "aelib-scatter " + (p.scatter_css || ""), inner);
      scatter.width = p.transform.width; scatter.height = p.transform.height;
    }
    const side = h("div", "aelib-side", inner);
    let pics = side;
    let imgA = null, imgB = null;
    if (kind === "path") {
      pics = h("div", "aelib-pics", side);
      imgA = h("canvas", "aelib-original aelib-item-a", null);
      imgB = h("canvas", "aelib-original aelib-item-b", null);
    }
    const col = (title, child) => { const c = h("div", "aelib-col", pics); h("div", "aelib-col-title", c).innerHTML = `<b>${title}</b>`; c.appendChild(child); return c; };
    const decoded = h("canvas", "aelib-decoded-canvas " + p.css, null);
    decoded.width = decoded.height = 32;
    decoded.style.width = decoded.style.height = `${32 * p.scale}px`;
    if (kind === "path") {
      for (const c of [imgA, imgB]) { c.width = c.height = 32; c.style.width = c.style.height = `${32 * model.get("path").original_scale}px`; }
      col("원본 A", imgA); col("t에서 디코딩", decoded); col("원본 B", imgB);
    } else {
      col(p.heading ? "디코딩한 이미지" : escapeHtml(p.name), decoded);
    }
    const readout = h("div", "aelib-readout-box " + (p.readout_css || ""), side);
    const emb = new Float32Array(bytesOf(p.embeddings).slice().buffer);
    return {
      ...p, i, scatterPng: p.scatter, scatter, decoded, readout, imgA, imgB,
      emb: Float64Array.from(emb), lab: bytesOf(p.labels).slice(),
      ctx: decoded.getContext("2d"), sctx: scatter && scatter.getContext("2d"), base: null, session: null,
    };
  });

  // -- 상태
  const state = { z1: model.get("z1"), z2: model.get("z2"), t: model.get("t"), painted: 0, mode: "starting" };
  const api = { state, panels, lastPaint: 0, decodedPixels: (i = 0) => Array.from(panels[i].ctx.getImageData(0, 0, 32, 32).data.filter((_, k) => k % 4 === 0)) };
  el.__aelib = api;
  root.__aelib = api;

  const path = () => model.get("path");
  function endpoints() {
    const p = path();
    const z = (idx) => [panels[0].emb[2 * idx], panels[0].emb[2 * idx + 1]];
    return [z(p.index_a), z(p.index_b)];
  }
  function currentPoint() {
    if (kind === "point") return [state.z1, state.z2];
    const [a, b] = endpoints();
    const t = state.t;
    if (t === 0) return a;
    if (t === 1) return b;
    return [(1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]];
  }

  function showSliders() {
    for (const [name, s] of Object.entries(sliders)) {
      const v = state[name];
      if (document.activeElement !== s.input || Math.abs(parseFloat(s.input.value) - v) > parseFloat(s.input.step)) s.input.value = v;
      s.out.textContent = fix(v, 2);
    }
  }

  function paintOverlay(p, z) {
    if (!p.sctx || !p.base) return;
    const ctx = p.sctx;
    ctx.drawImage(p.base, 0, 0);
    if (kind === "path") {
      const [a, b] = endpoints();
      drawPath(ctx, p.transform, a, b);
    } else {
      drawCrosshair(ctx, p.transform, z[0], z[1]);
    }
    drawTarget(ctx, p.transform, z[0], z[1]);
  }

  function paintReadouts(z) {
    if (pointLine) pointLine.textContent = `z = (${fix(z[0], 3)}, ${fix(z[1], 3)})`;
    for (const p of panels) {
      let text = nearestHtml(p, classes, z[0], z[1]);
      if (kind === "path") {
        const q = path();
        const ka = classes[p.lab[q.index_a]].korean, kb = classes[p.lab[q.index_b]].korean;
        text = `A: ${escapeHtml(ka)} (#${q.index_a}) → B: ${escapeHtml(kb)} (#${q.index_b})<br>` +
          `t = ${fix(state.t, 2)} · z = (${fix(z[0], 3)}, ${fix(z[1], 3)})<br>${text}`;
      } else if (p.readout_point) {
        text = `z = (${fix(z[0], 3)}, ${fix(z[1], 3)})<br>${text}`;
      }
      p.readout.innerHTML = text;
    }
  }

  // 한 번에 하나씩 디코딩하고, 그사이 들어온 점은 마지막 것만 그림 (슬라이더를 빨리 끌 때)
  let busy = false, pending = false;
  let lastGood = { z1: state.z1, z2: state.z2, t: state.t };
  async function paint() {
    pending = true;
    if (busy) return;
    busy = true;
    try {
      while (pending) {
        pending = false;
        const z = currentPoint();
        if (!Number.isFinite(z[0]) || !Number.isFinite(z[1])) {
          note(`받을 수 없는 점입니다 (z = ${z[0]}, ${z[1]}): 마지막 정상 위치로 되돌렸습니다.`, "error");
          Object.assign(state, lastGood);
          showSliders();
          continue;
        }
        if (state.mode === "browser") {
          const ort = await loadOrt(model);
          const feeds = { z: new ort.Tensor("float32", Float32Array.of(z[0], z[1]), [1, 2]) };
          const outs = await Promise.all(panels.map((p) => p.session.run(feeds)));
          outs.forEach((o, i) => paintDecoded(panels[i].ctx, o.image.data));
        }
        for (const p of panels) paintOverlay(p, z);
        paintReadouts(z);
        showSliders();
        lastGood = { z1: state.z1, z2: state.z2, t: state.t };
        state.painted += 1;
        api.lastPaint = performance.now();
        root.dispatchEvent(new CustomEvent("aelib-painted", { detail: { z, mode: state.mode, decoded: state.mode === "browser" } }));
      }
    } catch (err) {
      fail(err);
    } finally {
      busy = false;
    }
  }

  // 커널 경로: 커널이 디코딩한 32×32 PNG를 그림
  async function paintKernelImages() {
    if (state.mode !== "kernel") return;
    const images = model.get("kernel_images") || [];
    for (let i = 0; i < images.length && i < panels.length; i++) {
      const bmp = await pngBitmap(images[i]);
      panels[i].ctx.drawImage(bmp, 0, 0);
    }
    api.lastPaint = performance.now();
    root.dispatchEvent(new CustomEvent("aelib-painted", { detail: { z: currentPoint(), mode: "kernel", decoded: true } }));
  }

  function fail(err) {
    const reason = (err && err.message) || String(err);
    console.warn("aelib explorer:", err);
    if (model.__standalone) {
      state.mode = "none";
      note(`이 페이지에서 디코더(onnxruntime-web, WASM)를 시작하지 못했습니다: ${reason}. 이 배포본에서는 이미지가 바뀌지 않습니다 — ` +
        "최신 브라우저로 열거나 JupyterLab에서 노트북을 실행하세요.", "error");
    } else {
      state.mode = "kernel";
      note(`이 페이지에서 디코더(onnxruntime-web, WASM)를 시작하지 못해 커널(파이썬)이 디코딩합니다: ${reason}`, "warn");
      model.set("mode", "kernel");
      model.save_changes();
    }
    root.dataset.mode = state.mode;
  }

  function setFromPage(name, value) {
    if (Number.isFinite(value) && status.dataset.level === "error") note("");
    state[name] = value;
    paint();
    if (!model.__standalone) {
      model.set(name, Number.isFinite(value) ? value : null);
      model.save_changes();
    }
  }

  api.setFromPage = setFromPage; // 시험용: 페이지에서 값 넣기 (NaN 포함)
  for (const [name, s] of Object.entries(sliders)) {
    s.input.addEventListener("input", () => setFromPage(name, parseFloat(s.input.value)));
  }

  // 파이썬에서 옮긴 점 → 슬라이더와 그림
  const onModel = (name) => () => {
    const v = model.get(name);
    if (v === state[name]) return;
    if (v == null || !Number.isFinite(v)) {
      note(`받을 수 없는 값이 ${name}에 들어왔습니다 (${v}): 마지막 정상 위치를 그대로 둡니다.`, "error");
      return;
    }
    state[name] = v;
    paint();
  };
  const handlers = [];
  const on = (ev, fn) => { model.on(ev, fn); handlers.push([ev, fn]); };
  for (const name of Object.keys(sliders)) on(`change:${name}`, onModel(name));
  on("change:kernel_images", paintKernelImages);
  on("change:status", () => { const s = model.get("status"); if (s) note(s, "error"); });
  on("change:path", () => { drawOriginals(); fillChooser(); paint(); });

  // -- 보간: 원본 A·B와 선택 상자
  async function drawOriginals() {
    if (kind !== "path") return;
    const q = path();
    const p = panels[0];
    p.imgA.getContext("2d").drawImage(await pngBitmap(q.image_a), 0, 0);
    p.imgB.getContext("2d").drawImage(await pngBitmap(q.image_b), 0, 0);
  }
  function fillChooser() {
    if (!chooser) return;
    const q = path();
    chooser.textContent = "";
    for (const end of ["a", "b"]) {
      const box = h("span", "aelib-choose-end", chooser);
      h("span", "", box, end.toUpperCase() + " 클래스 ");
      const sel = h("select", `aelib-class-${end}`, box);
      for (const [label, id] of q.options) {
        const o = h("option", "", sel, label); o.value = id; if (id === q[end][0]) o.selected = true;
      }
      h("span", "", box, " 번호 ");
      const num = h("input", `aelib-item-${end}-number`, box);
      const count = q.options.find((o) => o[1] === q[end][0])[2];
      Object.assign(num, { type: "number", min: 0, max: count - 1, step: 1, value: q[end][1] });
      const send = () => {
        const choice = { a: [...q.a], b: [...q.b] };
        const cls = parseInt(sel.value, 10);
        const max = q.options.find((o) => o[1] === cls)[2] - 1;
        choice[end] = [cls, Math.min(Math.max(parseInt(num.value, 10) || 0, 0), max)];
        model.set("choose", choice);
        model.save_changes();
      };
      sel.addEventListener("change", send);
      num.addEventListener("change", send);
      if (model.__standalone) { sel.disabled = num.disabled = true; }
    }
    if (model.__standalone) h("span", "aelib-choose-note", chooser, " (A·B 바꾸기는 JupyterLab에서: 원본 이미지가 파이썬에 있음)");
  }

  // -- 시작: 바탕 그림, 런타임, 세션
  (async () => {
    fillChooser();
    await drawOriginals();
    await Promise.all(panels.map(async (p) => { if (p.scatterPng) p.base = await pngBitmap(p.scatterPng); }));
    state.mode = "none";
    paint(); // 디코딩 전에도 산점도·읽은 글은 보임
    note("디코더(onnxruntime-web, WASM)를 준비하는 중…");
    try {
      const ort = await loadOrt(model);
      const decoders = model.get("decoders");
      const sessions = [];
      for (const d of decoders) {
        try {
          sessions.push(await ort.InferenceSession.create(bytesOf(d).slice(), { executionProviders: ["wasm"] }));
        } catch (err) {
          throw new Error(`디코더 모델(ONNX)이 손상되어 읽을 수 없습니다 (${(err && err.message) || err})`);
        }
      }
      panels.forEach((p) => { p.session = sessions[p.decoder]; });
      state.mode = "browser";
      root.dataset.mode = "browser";
      note("");
      if (!model.__standalone) { model.set("mode", "browser"); model.save_changes(); }
      paint();
    } catch (err) {
      fail(err);
    }
  })();

  return () => { for (const [ev, fn] of handlers) model.off(ev, fn); };
}

export default { render };

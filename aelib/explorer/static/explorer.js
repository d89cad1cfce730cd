// aelib explorer — 잠재 공간 탐색기의 앞단 (anywidget ESM): JupyterLab과 HTML 배포본이 함께 씁니다.
// 슬라이더·산점도 끌기(마우스, 터치, 펜)로 점이 움직이면 페이지 안에서 onnxruntime-web(WASM)으로 디코딩하고,
// 산점도의 과녁·발자취·겹쳐 그리기와 읽은 글을 다시 그립니다. 그림판의 획은 인코더(ONNX)로 잠재 공간의 표시가 됩니다.
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

// ONNX 모델 바이트 (열쇠 = 가중치의 SHA-256): 배포본은 페이지에 넣어 둔 것을, JupyterLab은 커널에 한 번 달라고 합니다.
const MODELS_KEY = "__aelibModelBytes";
function modelBytes(model, key) {
  const cache = (globalThis[MODELS_KEY] = globalThis[MODELS_KEY] || {});
  if (!cache[key]) {
    if (globalThis.__aelibModelFile) cache[key] = globalThis.__aelibModelFile(key);
    else if (model.__standalone) cache[key] = Promise.reject(new Error("이 페이지에 ONNX 모델이 들어 있지 않습니다"));
    else cache[key] = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { model.off("msg:custom", onMsg); reject(new Error("커널이 ONNX 모델을 보내지 않았습니다")); }, 60000);
      const onMsg = (msg, buffers) => {
        if (!msg || msg.type !== "onnx" || msg.key !== key) return;
        clearTimeout(timer);
        model.off("msg:custom", onMsg);
        if (msg.error || !buffers || !buffers.length) reject(new Error(msg.error || "ONNX 모델이 비었습니다"));
        else resolve(bytesOf(buffers[0]).slice());
      };
      model.on("msg:custom", onMsg);
      model.send({ type: "onnx?", key });
    });
    cache[key].catch(() => { delete cache[key]; });
  }
  return cache[key];
}

async function session(ort, model, key, what) {
  const bytes = await modelBytes(model, key);
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  } catch (err) {
    throw new Error(`${what} 모델(ONNX)이 손상되어 읽을 수 없습니다 (${(err && err.message) || err})`);
  }
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

// 소수 d자리 글자; 0으로 반올림되는 음수는 "-0.000"이 아니라 "0.000" (widgets.py의 fix와 같음)
const fix = (x, d) => { const s = x.toFixed(d); return s.startsWith("-") && Number(s) === 0 ? s.slice(1) : s; };

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

const GAUGE_TAUS = 3; // 게이지의 끝 = 3τ (파이썬의 GAUGE_TAUS)

// 파이썬의 _Side.nearest_html과 같은 글자: 클래스와 거리, 거리 ÷ τ의 게이지 (연속이라 깜박이지 않음)
function nearestHtml(panel, classes, z1, z2) {
  const [i, dist] = nearest(panel.emb, z1, z2);
  const c = classes[panel.lab[i]];
  const tau = panel.tau;
  const ratio = tau > 0 ? dist / tau : Infinity;
  const fill = Math.min(ratio / GAUGE_TAUS, 1) * 100;
  return `가장 가까운 임베딩의 클래스: <span style="color:${c.color}; font-size:1.3em">●</span> ` +
    `<b>${escapeHtml(c.korean)}</b> (${c.id})<br>그 임베딩까지의 거리: <b>${fix(dist, 3)}</b> = τ(${fix(tau, 3)})의 <b>${fix(ratio, 2)}</b>배<br>` +
    `<span class="aelib-gauge" title="0 … 3τ, 눈금 = τ"><span class="aelib-gauge-fill" style="width:${fix(fill, 1)}%"></span>` +
    `<span class="aelib-gauge-tau"></span></span> <span class="aelib-gauge-note">눈금 = τ</span>`;
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

function zOfPixel(tr, x, y) {
  return [(x - tr.bx) / tr.ax, ((tr.height - y) - tr.by) / tr.ay];
}

function drawTrail(ctx, tr, trail) {
  if (trail.length < 2) return;
  ctx.save();
  ctx.lineWidth = 2; ctx.strokeStyle = "rgba(0,0,0,0.28)"; ctx.lineJoin = "round";
  ctx.beginPath();
  trail.forEach(([a, b], k) => { const [x, y] = pixel(tr, a, b); if (k) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
  ctx.stroke();
  ctx.restore();
}

function drawNames(ctx, tr, classes, centres) {
  ctx.save();
  ctx.font = "bold 12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
  centres.forEach((c, k) => {
    if (!c) return;
    const [x, y] = pixel(tr, c[0], c[1]);
    ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.92)"; ctx.strokeText(classes[k].korean, x, y);
    ctx.fillStyle = "#000"; ctx.fillText(classes[k].korean, x, y);
  });
  ctx.restore();
}

// 축에 나란한 타원 (대각 공분산): 중심 (m1, m2), 반지름 (r1, r2)는 데이터 단위
function drawEllipse(ctx, tr, m1, m2, r1, r2) {
  const [x, y] = pixel(tr, m1, m2);
  ctx.beginPath(); ctx.ellipse(x, y, Math.max(Math.abs(tr.ax * r1), 0.5), Math.max(Math.abs(tr.ay * r2), 0.5), 0, 0, 2 * Math.PI);
}

function drawPosteriors(ctx, tr, ell) {
  ctx.save();
  ctx.lineWidth = 1; ctx.strokeStyle = "rgba(40,40,40,0.35)";
  for (let k = 0; k + 3 < ell.length; k += 4) { drawEllipse(ctx, tr, ell[k], ell[k + 1], 2 * ell[k + 2], 2 * ell[k + 3]); ctx.stroke(); }
  ctx.restore();
}

// 그림판의 자리: 검은 테두리의 흰 마름모 (과녁과 다른 모양), VAE면 μ ± 2σ 타원
function drawPadMarker(ctx, tr, pad) {
  const [x, y] = pixel(tr, pad.z[0], pad.z[1]);
  ctx.save();
  if (pad.sigma) {
    drawEllipse(ctx, tr, pad.z[0], pad.z[1], 2 * pad.sigma[0], 2 * pad.sigma[1]);
    ctx.fillStyle = "rgba(255,255,255,0.35)"; ctx.fill();
    ctx.setLineDash([5, 3]); ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke(); ctx.setLineDash([]);
  }
  const r = pad.sigma ? 5 : 9; // VAE: 타원이 보이게 작은 마름모
  ctx.beginPath(); ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
  ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 3; ctx.strokeStyle = "#000"; ctx.stroke();
  ctx.restore();
}

// 그림판: 28×28 값 [0, 1] (잉크 = 1) → 화면 (흰 바탕에 검은 잉크)
function paintPad(ctx, px) {
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const g = Math.round((1 - Math.min(1, Math.max(0, px[i]))) * 255);
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// 붓: (x0, y0) → (x1, y1) 선분에서 거리 d인 픽셀은 max(지금 값, clamp((1.6 − d) / 1.0)) (격자 단위)
function brush(px, x0, y0, x1, y1) {
  const R = 1.6, minX = Math.max(0, Math.floor(Math.min(x0, x1) - R)), maxX = Math.min(27, Math.ceil(Math.max(x0, x1) + R));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - R)), maxY = Math.min(27, Math.ceil(Math.max(y0, y1) + R));
  const dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (let j = minY; j <= maxY; j++) for (let i = minX; i <= maxX; i++) {
    const cx = i + 0.5, cy = j + 0.5;
    const u = len2 > 0 ? Math.min(1, Math.max(0, ((cx - x0) * dx + (cy - y0) * dy) / len2)) : 0;
    const d = Math.hypot(cx - (x0 + u * dx), cy - (y0 + u * dy));
    const v = Math.min(1, Math.max(0, R - d));
    if (v > px[j * 28 + i]) px[j * 28 + i] = v;
  }
}

// ---------------------------------------------------------------------------

function render({ model, el }) {
  // jp-mod-readWrite, data-lm-suppress-shortcuts: JupyterLab의 단축키(명령 모드)가 슬라이더의 화살표 키를 가로채지 않게
  const root = h("div", "aelib-explorer jp-mod-readWrite " + (model.get("css_class") || ""), el);
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  // JupyterLab은 키 입력을 문서에서(버블 단계) 단축키로 처리하므로, 슬라이더·선택 상자의 키는 여기서 멈춤
  for (const ev of ["keydown", "keyup", "keypress"]) {
    root.addEventListener(ev, (e) => { if (e.target.matches("input, select, button")) e.stopPropagation(); });
  }
  const kind = model.get("kind");
  const classes = model.get("classes");
  const [lo, hi] = [model.get("lo"), model.get("hi")];
  h("div", "aelib-title", root).innerHTML = model.get("title");
  const status = h("div", "aelib-status", root);
  const note = (text, level = "info") => {
    status.textContent = text;
    status.dataset.level = level;
  };

  // -- 조종 장치
  const sliders = {};
  function slider(name, label, lo_, hi_, step, cls) {
    const row = h("label", "aelib-slider " + cls, root);
    h("span", "aelib-slider-label", row, label);
    const input = h("input", "", row);
    Object.assign(input, { type: "range", min: lo_, max: hi_, step: step });
    input.setAttribute("aria-label", label);
    const out = h("span", "aelib-slider-value", row);
    sliders[name] = { input, out };
    return input;
  }
  let chooser = null;
  if (kind === "point") {
    const step = model.get("step");
    const pre = model.get("css_class") === "aelib-compare-explorer" ? "aelib-compare-" : "aelib-";
    const names = model.get("axis_labels") || ["z₁", "z₂"];
    slider("z1", names[0], lo[0], hi[0], step[0], pre + "z1");
    slider("z2", names[1], lo[1], hi[1], step[1], pre + "z2");
  } else {
    chooser = h("div", "aelib-choose", root);
    slider("t", "t", 0, 1, 0.01, "aelib-t");
  }
  // 읽은 글의 점 이름: z₁, z₂ 축이면 "z", 주성분 평면처럼 다른 축이면 "(제1 주성분, 제2 주성분)"
  const axisNames = model.get("axis_labels") || ["z₁", "z₂"];
  const pointName = axisNames[0] === "z₁" && axisNames[1] === "z₂" ? "z" : `(${escapeHtml(axisNames[0])}, ${escapeHtml(axisNames[1])})`;
  const pointLine = model.get("show_point") ? h("div", "aelib-point", root) : null;

  // -- 겹쳐 그리기 (각각 켜고 끄기)
  const rawPanels = model.get("panels");
  const hasEll = rawPanels.some((p) => p.ellipses && bytesOf(p.ellipses).length >= 16);
  const show = { names: true, mask: false, ellipses: false, trail: kind === "point" };
  const toggles = {};
  if (rawPanels.some((p) => p.scatter)) {
    const bar = h("div", "aelib-toggles", root);
    const toggle = (key, label) => {
      const lab = h("label", `aelib-toggle aelib-toggle-${key}`, bar);
      const box = h("input", "", lab);
      box.type = "checkbox"; box.checked = show[key];
      h("span", "", lab, " " + label);
      box.addEventListener("change", () => { show[key] = box.checked; paintAllOverlays(); });
      toggles[key] = box;
    };
    toggle("names", "클래스 이름");
    toggle("mask", "빈 곳 (τ보다 먼 곳, 빗금)");
    if (hasEll) toggle("ellipses", "사후 분포 μ ± 2σ (테스트 이미지 일부)");
    if (kind === "point") toggle("trail", "발자취");
  }

  // -- 패널 (디코더마다 하나)
  const row = h("div", "aelib-panels", root);
  const panels = rawPanels.map((p, i) => {
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
    const ellBytes = p.ellipses ? bytesOf(p.ellipses).slice() : new Uint8Array(0);
    return {
      ...p, i, scatterPng: p.scatter, scatter, decoded, readout, imgA, imgB,
      emb: Float64Array.from(emb), lab: bytesOf(p.labels).slice(),
      ell: new Float32Array(ellBytes.buffer, 0, ellBytes.byteLength >> 2),
      ctx: decoded.getContext("2d"), sctx: scatter && scatter.getContext("2d"), base: null, maskImg: null,
      session: null, encSession: null, pad: null, padCtx: null,
    };
  });

  // -- 상태
  const state = { z1: model.get("z1"), z2: model.get("z2"), t: model.get("t"), painted: 0, mode: "starting" };
  const trail = [];
  const api = {
    state, panels, show, trail, lastPaint: 0, timings: [],
    decodedPixels: (i = 0) => Array.from(panels[i].ctx.getImageData(0, 0, 32, 32).data.filter((_, k) => k % 4 === 0)),
    scatterPixels: (i = 0) => Array.from(panels[i].sctx.getImageData(0, 0, panels[i].scatter.width, panels[i].scatter.height).data),
  };
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

  // 바뀌지 않는 층(바탕 산점도 + 켠 겹쳐 그리기)은 한 번 그려 두고, 프레임마다 그 한 장 위에 움직이는 것만 그림
  function staticLayer(p) {
    const want = `${show.mask}|${show.ellipses}|${show.names}`;
    if (p.layer && p.layerKey === want) return p.layer;
    const c = p.layer || document.createElement("canvas");
    c.width = p.scatter.width; c.height = p.scatter.height;
    const ctx = c.getContext("2d"), tr = p.transform;
    ctx.drawImage(p.base, 0, 0);
    if (show.mask && p.maskImg) ctx.drawImage(p.maskImg, 0, 0);
    if (show.ellipses && p.ell.length) drawPosteriors(ctx, tr, p.ell);
    if (show.names && p.centres) drawNames(ctx, tr, classes, p.centres);
    p.layer = c; p.layerKey = want;
    return c;
  }

  function paintOverlay(p, z) {
    if (!p.sctx || !p.base) return;
    const ctx = p.sctx, tr = p.transform;
    ctx.drawImage(staticLayer(p), 0, 0);
    if (kind === "path") {
      const [a, b] = endpoints();
      drawPath(ctx, tr, a, b);
    } else {
      if (show.trail) drawTrail(ctx, tr, trail);
      drawCrosshair(ctx, tr, z[0], z[1]);
    }
    if (p.pad) drawPadMarker(ctx, tr, p.pad);
    drawTarget(ctx, tr, z[0], z[1]);
  }
  function paintAllOverlays() { const z = currentPoint(); for (const p of panels) paintOverlay(p, z); }

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
        text = `${pointName} = (${fix(z[0], 3)}, ${fix(z[1], 3)})<br>${text}`;
      }
      p.readout.innerHTML = text;
    }
  }

  // 디코더 입력: 주성분 평면이면 평면 좌표를 원래 공간으로 (lift: weight (out, 2), bias (out))
  const decoders = model.get("decoders");
  const lifts = decoders.map((d) => d.lift ? {
    w: new Float32Array(bytesOf(d.lift.weight).slice().buffer), b: new Float32Array(bytesOf(d.lift.bias).slice().buffer), out: d.lift.out,
  } : null);
  function decoderInput(ort, p, z) {
    const L = lifts[p.decoder];
    if (!L) return new ort.Tensor("float32", Float32Array.of(z[0], z[1]), [1, 2]);
    const v = new Float32Array(L.out);
    for (let j = 0; j < L.out; j++) v[j] = L.b[j] + L.w[2 * j] * z[0] + L.w[2 * j + 1] * z[1];
    return new ort.Tensor("float32", v, [1, L.out]);
  }
  async function decodeAll(ort, z) {
    return Promise.all(panels.map((p) => p.session.run({ z: decoderInput(ort, p, z) })));
  }

  // 한 번에 하나씩 디코딩하고, 그사이 들어온 점은 마지막 것만 그림 (슬라이더·포인터를 빨리 끌 때)
  let busy = false, pending = false, pendingT0 = null;
  let lastGood = { z1: state.z1, z2: state.z2, t: state.t };
  async function paint(t0 = null) {
    pending = true;
    if (t0 !== null) pendingT0 = t0;
    if (busy) return;
    busy = true;
    try {
      while (pending) {
        pending = false;
        const start = pendingT0; pendingT0 = null;
        const z = currentPoint();
        if (!Number.isFinite(z[0]) || !Number.isFinite(z[1])) {
          note(`받을 수 없는 점입니다 (z = ${z[0]}, ${z[1]}): 마지막 정상 위치로 되돌렸습니다.`, "error");
          Object.assign(state, lastGood);
          showSliders();
          continue;
        }
        if (kind === "point" && (!trail.length || trail[trail.length - 1][0] !== z[0] || trail[trail.length - 1][1] !== z[1])) {
          trail.push([z[0], z[1]]);
          if (trail.length > 40) trail.shift();
        }
        if (state.mode === "browser") {
          const ort = await loadOrt(model);
          const outs = await decodeAll(ort, z);
          outs.forEach((o, i) => paintDecoded(panels[i].ctx, o.image.data));
        }
        for (const p of panels) paintOverlay(p, z);
        paintReadouts(z);
        showSliders();
        lastGood = { z1: state.z1, z2: state.z2, t: state.t };
        state.painted += 1;
        api.lastPaint = performance.now();
        // 시험·벤치마크용: work = 입력 → 캔버스에 그리기를 마침, ms = 입력 → 그다음 프레임
        if (start !== null) { const work = performance.now() - start; requestAnimationFrame(() => api.timings.push({ kind: "point", ms: performance.now() - start, work })); }
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

  // 커널로 보내기: 포인터를 끄는 동안 움직임마다가 아니라, 화면을 그린 뒤 한 번에 마지막 값만 (프레임마다 메시지 하나)
  const dirty = new Set();
  let flushQueued = false;
  function flushSync() {
    flushQueued = false;
    if (!dirty.size) return;
    for (const name of dirty) model.set(name, Number.isFinite(state[name]) ? state[name] : null);
    dirty.clear();
    model.save_changes();
  }
  function sync(names) {
    if (model.__standalone) return;
    for (const name of names) dirty.add(name);
    if (state.mode === "kernel") { flushSync(); return; } // 커널 경로: 커널이 디코딩하므로 바로 보냄
    if (flushQueued) return;
    flushQueued = true;
    requestAnimationFrame(() => setTimeout(flushSync, 0));
    setTimeout(flushSync, 100); // 탭이 가려져 프레임이 멈춰도 값은 커널로 감
  }

  function setFromPage(name, value, t0 = null) {
    if (Number.isFinite(value) && status.dataset.level === "error") note("");
    state[name] = value;
    paint(t0);
    sync([name]);
  }

  api.setFromPage = setFromPage; // 시험용: 페이지에서 값 넣기 (NaN 포함)
  for (const [name, s] of Object.entries(sliders)) {
    s.input.addEventListener("input", () => setFromPage(name, parseFloat(s.input.value)));
  }

  // -- 산점도를 누르거나 끌기 (마우스·터치·펜: 포인터 이벤트)
  if (kind === "point") {
    for (const p of panels) {
      if (!p.scatter) continue;
      const cv = p.scatter;
      cv.style.touchAction = "none";
      cv.style.cursor = "crosshair";
      // 끄는 동안은 누를 때 잰 캔버스 위치를 씀 (움직일 때마다 재면 큰 페이지에서 레이아웃을 다시 계산하게 됨)
      let rect = null;
      window.addEventListener("scroll", () => { rect = null; }, { capture: true, passive: true });
      const toZ = (e) => {
        const r = rect || (rect = cv.getBoundingClientRect());
        const x = (e.clientX - r.left) * (cv.width / r.width), y = (e.clientY - r.top) * (cv.height / r.height);
        const z = zOfPixel(p.transform, x, y);
        return [Math.min(Math.max(z[0], lo[0]), hi[0]), Math.min(Math.max(z[1], lo[1]), hi[1])];
      };
      const inBox = (e) => {
        const r = cv.getBoundingClientRect();
        const x = (e.clientX - r.left) * (cv.width / r.width), y = (e.clientY - r.top) * (cv.height / r.height);
        const [l, t, rr, b] = p.transform.box;
        return x >= l && x <= rr && y >= t && y <= b;
      };
      let dragging = false;
      const move = (e) => {
        const z = toZ(e);
        if (status.dataset.level === "error") note("");
        state.z1 = z[0]; state.z2 = z[1];
        paint(e.timeStamp); // 포인터 이벤트가 생긴 때부터 (지연 측정용)
        sync(["z1", "z2"]);
      };
      cv.addEventListener("pointerdown", (e) => {
        rect = null;
        if (!inBox(e)) return;
        dragging = true;
        cv.setPointerCapture(e.pointerId);
        e.preventDefault();
        move(e);
      });
      // pointerrawupdate: 브라우저가 받은 즉시 (pointermove는 다음 프레임까지 모아 보냄); 없는 브라우저는 pointermove
      const moveEvent = "onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove";
      cv.addEventListener(moveEvent, (e) => { if (dragging) move(e); });
      const stop = (e) => { if (dragging) { dragging = false; try { cv.releasePointerCapture(e.pointerId); } catch (_) { /* 이미 놓음 */ } } };
      cv.addEventListener("pointerup", stop);
      cv.addEventListener("pointercancel", stop);
    }
  }

  // -- 그림판: 28×28 (8배로 보임), 획마다 인코더(ONNX) → 산점도의 마름모(VAE는 μ ± 2σ 타원) + 재구성
  const padPanels = kind === "point" ? panels.filter((p) => p.encoder) : [];
  const pad = { px: new Float32Array(784), codes: [], recon: [], busy: false, again: false, strokes: 0 };
  api.pad = pad;
  let padCtx = null, padInfo = null;
  if (padPanels.length) {
    const wrap = h("div", "aelib-pad", root);
    h("div", "aelib-pad-title", wrap).innerHTML = "<b>그림판</b>: 옷을 그려 보세요 (28×28). 획마다 인코더가 옷장의 자리(◇)를 찾고, 브라이언이 그 자리에서 다시 만듭니다.";
    const rowPad = h("div", "aelib-pad-row", wrap);
    const padCanvas = h("canvas", "aelib-pad-canvas", rowPad);
    padCanvas.width = padCanvas.height = 28;
    padCanvas.style.width = padCanvas.style.height = "224px";
    padCanvas.style.touchAction = "none";
    padCtx = padCanvas.getContext("2d");
    for (const p of padPanels) {
      const c = h("div", "aelib-col", rowPad);
      h("div", "aelib-col-title", c).innerHTML = `<b>재구성${padPanels.length > 1 ? " (" + escapeHtml(p.name) + ")" : ""}</b>`;
      const rc = h("canvas", "aelib-decoded-canvas aelib-pad-recon", c);
      rc.width = rc.height = 32; rc.style.width = rc.style.height = "160px";
      p.padCtx = rc.getContext("2d");
    }
    const buttons = h("div", "aelib-pad-buttons", wrap);
    const clear = h("button", "aelib-pad-clear", buttons, "지우기");
    clear.addEventListener("click", () => { pad.px.fill(0); drawPadNow(); encodePad(); });
    for (const ex of model.get("pad_images") || []) {
      const b = h("button", "aelib-pad-example", buttons, `${ex.label} (#${ex.index})`);
      b.addEventListener("click", () => {
        const bytes = bytesOf(ex.pixels);
        for (let i = 0; i < 784; i++) pad.px[i] = bytes[i] / 255;
        drawPadNow(); encodePad();
      });
    }
    padInfo = h("div", "aelib-pad-info", wrap);
    let last = null;
    const cell = (e) => {
      const r = padCanvas.getBoundingClientRect();
      return [(e.clientX - r.left) * 28 / r.width, (e.clientY - r.top) * 28 / r.height];
    };
    padCanvas.addEventListener("pointerdown", (e) => {
      padCanvas.setPointerCapture(e.pointerId); e.preventDefault();
      last = cell(e); brush(pad.px, last[0], last[1], last[0], last[1]); drawPadNow(); encodePad(e.timeStamp);
    });
    padCanvas.addEventListener("onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove", (e) => {
      if (!last) return;
      const c = cell(e); brush(pad.px, last[0], last[1], c[0], c[1]); last = c; drawPadNow(); encodePad(e.timeStamp);
    });
    const up = () => { if (last) pad.strokes += 1; last = null; };
    padCanvas.addEventListener("pointerup", up);
    padCanvas.addEventListener("pointercancel", up);
    drawPadNow();
  }
  function drawPadNow() { if (padCtx) paintPad(padCtx, pad.px); }

  // 그림판 → 인코더 → (마름모, 타원) → 디코더 → 재구성. 한 번에 하나, 사이에 온 획은 마지막 것만.
  let padT0 = null;
  async function encodePad(t0 = null) {
    if (t0 !== null && padT0 === null) padT0 = t0;
    if (pad.busy) { pad.again = true; return; }
    pad.busy = true;
    try {
      do {
        pad.again = false;
        const start = padT0; padT0 = null;
        let ink = 0;
        for (let i = 0; i < 784; i++) if (!Number.isFinite(pad.px[i])) { ink = NaN; break; } else ink += pad.px[i];
        if (!(ink > 0)) {
          for (const p of padPanels) p.pad = null;
          pad.codes = [];
          note(Number.isNaN(ink) ? "그림판에 받을 수 없는 값(NaN)이 있습니다: 지우기를 누르고 다시 그리세요."
            : "그림판이 비어 있습니다: 옷을 그리거나 아래의 예시 그림을 고르세요. 빈 그림은 인코딩하지 않습니다.", "error");
          if (padInfo) padInfo.textContent = "";
          paintAllOverlays();
          continue;
        }
        if (state.mode !== "browser" || padPanels.some((p) => !p.encSession)) {
          if (padInfo) padInfo.textContent = "인코더를 준비하는 중… (브라우저 안의 ONNX가 필요합니다)";
          continue;
        }
        if (status.dataset.level === "error" && status.textContent.startsWith("그림판")) note("");
        const ort = await loadOrt(model);
        const x = new Float32Array(1024);
        for (let j = 0; j < 28; j++) for (let i = 0; i < 28; i++) x[(j + 2) * 32 + (i + 2)] = pad.px[j * 28 + i];
        const feeds = { x: new ort.Tensor("float32", x, [1, 1, 32, 32]) };
        const codes = await Promise.all(padPanels.map((p) => p.encSession.run(feeds)));
        pad.codes = codes.map((o) => Array.from(o.code.data));
        const parts = [];
        for (let k = 0; k < padPanels.length; k++) {
          const p = padPanels[k], c = pad.codes[k];
          p.pad = p.encoder.kind === "vae" ? { z: [c[0], c[1]], sigma: [Math.exp(0.5 * c[2]), Math.exp(0.5 * c[3])] } : { z: [c[0], c[1]], sigma: null };
          const out = await p.session.run({ z: decoderInput(ort, p, p.pad.z) });
          paintDecoded(p.padCtx, out.image.data);
          const [, dist] = nearest(p.emb, p.pad.z[0], p.pad.z[1]);
          parts.push(`${padPanels.length > 1 ? escapeHtml(p.name) + ": " : ""}◇ z = (${fix(p.pad.z[0], 3)}, ${fix(p.pad.z[1], 3)})` +
            (p.pad.sigma ? `, σ = (${fix(p.pad.sigma[0], 3)}, ${fix(p.pad.sigma[1], 3)}), 점선 타원 = μ ± 2σ` : "") +
            ` · 가장 가까운 임베딩까지 τ의 ${fix(p.tau > 0 ? dist / p.tau : Infinity, 2)}배`);
        }
        if (padInfo) padInfo.innerHTML = parts.join("<br>");
        paintAllOverlays();
        pad.encoded = (pad.encoded || 0) + 1;
        if (start !== null) { const work = performance.now() - start; requestAnimationFrame(() => api.timings.push({ kind: "stroke", ms: performance.now() - start, work })); }
        root.dispatchEvent(new CustomEvent("aelib-pad-encoded", { detail: { codes: pad.codes } }));
      } while (pad.again);
    } catch (err) {
      note(`그림판을 인코딩하지 못했습니다: ${(err && err.message) || err}`, "error");
    } finally {
      pad.busy = false;
    }
  }
  api.setPad = (values) => { for (let i = 0; i < 784; i++) pad.px[i] = values[i]; drawPadNow(); return encodePad(performance.now()); };
  api.padPixels = () => Array.from(pad.px);

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
    await Promise.all(panels.map(async (p) => {
      if (p.scatterPng) p.base = await pngBitmap(p.scatterPng);
      if (p.mask) p.maskImg = await pngBitmap(p.mask);
    }));
    state.mode = "none";
    paint(); // 디코딩 전에도 산점도·읽은 글은 보임
    note("디코더(onnxruntime-web, WASM)를 준비하는 중…");
    try {
      const ort = await loadOrt(model);
      const sessions = [];
      for (const d of decoders) sessions.push(await session(ort, model, d.key, "디코더"));
      panels.forEach((p) => { p.session = sessions[p.decoder]; });
      state.mode = "browser";
      root.dataset.mode = "browser";
      note("");
      if (!model.__standalone) { model.set("mode", "browser"); model.save_changes(); }
      paint();
    } catch (err) {
      fail(err);
      return;
    }
    try {
      const ort = await loadOrt(model);
      for (const p of padPanels) p.encSession = await session(ort, model, p.encoder.key, "인코더");
      root.dataset.pad = padPanels.length ? "ready" : "none";
      if (padInfo) padInfo.textContent = "";
    } catch (err) {
      root.dataset.pad = "failed";
      note(`그림판의 인코더를 시작하지 못했습니다: ${(err && err.message) || err}`, "warn");
    }
  })();

  return () => { for (const [ev, fn] of handlers) model.off(ev, fn); };
}

export default { render };

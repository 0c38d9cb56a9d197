/**
 * The web demo (served by routes/web.ts at `/`). Server mode posts the image to /v1/xray, whose
 * `mapRegion` places each boundary map on the image; browser mode
 * loads browser-run.js, which runs the same pipeline with onnxruntime-web. The threshold slider re-renders
 * from the boundary maps already in hand and never re-requests.
 */
import xrayCard from '../../models/xray.card.json';
import type { RgbaImage } from '../pipeline/types.js';
import { HEAT_PALETTE, paletteLevel } from '../wasm/kernel-math.js';
import type { FaceView, MapView, ScanView } from './view.js';

declare const __BROWSER_RUN_URL__: string;
declare const __ORT_WASM_URL__: string;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------- tabs
const tabs = [$('tab-detect'), $('tab-swap')];
function selectTab(tab: HTMLElement, focus = false) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !on;
  }
  if (focus) tab.focus();
  history.replaceState(null, '', tab.id === 'tab-swap' ? '#swap' : location.pathname);
}
tabs.forEach((t, i) => {
  t.addEventListener('click', () => selectTab(t));
  t.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'ArrowRight' || k === 'ArrowLeft') selectTab(tabs[(i + (k === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length], true);
  });
});
if (location.hash === '#swap') selectTab(tabs[1]);

// ---------------------------------------------------------------- problem+json
type Problem = { title?: string; status?: number; detail?: string; type?: string };
async function problemOf(res: Response): Promise<string> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const p = (await res.json()) as Problem;
      return `${p.title ?? res.statusText} (${p.status ?? res.status})${p.detail ? ` — ${p.detail}` : ''}`;
    } catch {
      /* fall through */
    }
  }
  return `HTTP ${res.status} ${res.statusText}`;
}

// ---------------------------------------------------------------- boundary maps
/** Heat-palette colour → level (0..255): the server's boundary-map PNGs are the palette applied to the values. */
const paletteIndex = new Map<number, number>();
for (let i = 0; i < 256; i++) paletteIndex.set((HEAT_PALETTE[i * 4] << 16) | (HEAT_PALETTE[i * 4 + 1] << 8) | HEAT_PALETTE[i * 4 + 2], i);
function levelOf(r: number, g: number, b: number): number {
  const exact = paletteIndex.get((r << 16) | (g << 8) | b);
  if (exact !== undefined) return exact;
  let best = 0, dist = Infinity;
  for (let i = 0; i < 256; i++) {
    const d = (HEAT_PALETTE[i * 4] - r) ** 2 + (HEAT_PALETTE[i * 4 + 1] - g) ** 2 + (HEAT_PALETTE[i * 4 + 2] - b) ** 2;
    if (d < dist) (dist = d), (best = i);
  }
  return best;
}

async function decodeBoundaryMap(dataUrl: string): Promise<Omit<MapView, 'toImage'>> {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, c.width, c.height);
  const values = new Float32Array(c.width * c.height);
  for (let i = 0; i < values.length; i++) values[i] = levelOf(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]) / 255;
  return { values, width: c.width, height: c.height };
}

// ---------------------------------------------------------------- server scan
type XrayJson = {
  verdict: 'fake' | 'real' | null;
  reason?: string;
  score: number | null;
  threshold: number;
  model: { name: string; version: string };
  faces: {
    box: FaceView['box'];
    score: number;
    label: 'fake' | 'real';
    peak: number;
    boundaryArea: number;
    boundaryMap: string;
    mapRegion: { x: number; y: number; size: number };
  }[];
};

async function scanOnServer(file: File, size: { width: number; height: number }): Promise<ScanView> {
  const form = () => {
    const f = new FormData();
    f.append('image', file, file.name);
    return f;
  };
  const t = performance.now();
  const xr = await fetch('/v1/xray', { method: 'POST', body: form(), headers: { accept: 'application/json' } });
  if (!xr.ok) throw new Error(await problemOf(xr));
  const x = (await xr.json()) as XrayJson;
  const ms = performance.now() - t;
  const faces = await Promise.all(
    x.faces.map(async (f): Promise<FaceView> => {
      const decoded = await decodeBoundaryMap(f.boundaryMap);
      const { x: rx, y: ry, size } = f.mapRegion;
      const s = size / decoded.width;
      return {
        box: f.box,
        score: f.score,
        label: f.label,
        peak: f.peak,
        boundaryArea: f.boundaryArea,
        map: { ...decoded, toImage: [s, 0, rx, 0, s, ry] },
      };
    }),
  );
  return {
    source: 'server',
    verdict: x.verdict,
    reason: x.reason,
    score: x.score,
    threshold: x.threshold,
    model: `${x.model.name} ${x.model.version}`,
    width: size.width,
    height: size.height,
    ms,
    backend: 'worker (workerd, onnxruntime-web wasm)',
    faces,
  };
}

// ---------------------------------------------------------------- browser scan
type BrowserRun = {
  scanInBrowser(image: RgbaImage, maxFaces?: number): Promise<ScanView>;
  backendInfo: { name: string; provider: string; webgpuInBrowser: boolean };
};
let browserRun: Promise<BrowserRun> | null = null;
let browserLoadMs = 0;
function loadBrowserRun(): Promise<BrowserRun> {
  if (!browserRun) {
    const t = performance.now();
    const url: string = __BROWSER_RUN_URL__;
    browserRun = (import(/* @vite-ignore */ url) as Promise<BrowserRun>).then((m) => {
      browserLoadMs = performance.now() - t;
      return m;
    });
    browserRun.catch(() => (browserRun = null));
  }
  return browserRun;
}

// ---------------------------------------------------------------- state and rendering
const canvas = $<HTMLCanvasElement>('canvas');
const ctx = canvas.getContext('2d')!;
const slider = $<HTMLInputElement>('threshold');
const showMap = $<HTMLInputElement>('show-map');
const local = $<HTMLInputElement>('local');
const status = $('status');
const resultEl = $('result');

let bitmap: ImageBitmap | null = null;
let rgba: RgbaImage | null = null;
let currentFile: File | null = null;
let view: ScanView | null = null;
let runId = 0;
const heatCache = new WeakMap<MapView, { threshold: number; canvas: HTMLCanvasElement; cells: number }>();

const threshold = () => Number(slider.value);
const labelOf = (score: number, t: number) => (score >= t ? 'fake' : 'real');
const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

function setStatus(text: string, kind: 'info' | 'error' | 'busy' = 'info') {
  status.textContent = text;
  status.dataset.kind = kind;
}

/** The map coloured with the heat palette where value ≥ threshold, transparent elsewhere. */
function heatCanvas(map: MapView, t: number) {
  const cached = heatCache.get(map);
  if (cached && cached.threshold === t) return cached;
  const c = cached?.canvas ?? document.createElement('canvas');
  c.width = map.width;
  c.height = map.height;
  const g = c.getContext('2d')!;
  const img = g.createImageData(map.width, map.height);
  let cells = 0;
  for (let i = 0; i < map.values.length; i++) {
    const v = map.values[i];
    if (v < t) continue;
    const p = paletteLevel(v) * 4;
    img.data[i * 4] = HEAT_PALETTE[p];
    img.data[i * 4 + 1] = HEAT_PALETTE[p + 1];
    img.data[i * 4 + 2] = HEAT_PALETTE[p + 2];
    img.data[i * 4 + 3] = Math.round(255 * (0.45 + 0.4 * v));
    cells++;
  }
  g.putImageData(img, 0, 0);
  const entry = { threshold: t, canvas: c, cells };
  heatCache.set(map, entry);
  return entry;
}

function render() {
  if (!bitmap) return;
  const t = threshold();
  $('threshold-out').textContent = t.toFixed(2);
  $('threshold-calibrated').textContent = slider.dataset.calibrated ? Number(slider.dataset.calibrated).toFixed(2) : '—';
  $('legend-cut').style.left = `${t * 100}%`;
  // Draw at 720–1600 px on the long side: small photos get crisp boxes and labels, large ones stay cheap.
  const long = Math.max(bitmap.width, bitmap.height);
  const scale = Math.min(1600 / long, Math.max(1, 720 / long));
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  if (!view) return;

  let overlayCells = 0;
  const line = Math.max(2, Math.round(Math.max(canvas.width, canvas.height) / 320));
  view.faces.forEach((f, i) => {
    const label = labelOf(f.score, t);
    if (showMap.checked && f.map?.toImage) {
      const heat = heatCanvas(f.map, t);
      overlayCells += heat.cells;
      const [a, b, c, d, e, ff] = f.map.toImage;
      ctx.save();
      ctx.setTransform(a * scale, d * scale, b * scale, e * scale, c * scale, ff * scale);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(heat.canvas, 0, 0);
      ctx.restore();
    }
    const colour = label === 'fake' ? '#e5484d' : '#30a46c';
    const x = f.box.x * scale, y = f.box.y * scale, w = f.box.width * scale, h = f.box.height * scale;
    ctx.lineWidth = line;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, w, h);
    const text = `${i + 1} · ${label === 'fake' ? 'swapped' : 'real'} ${f.score.toFixed(3)}`;
    ctx.font = `600 ${Math.max(12, Math.round(line * 6))}px system-ui, sans-serif`;
    const tw = ctx.measureText(text).width + line * 4;
    const th = Math.max(12, Math.round(line * 6)) + line * 2;
    const ty = y - th >= 0 ? y - th : y + h;
    ctx.fillStyle = colour;
    ctx.fillRect(x - line / 2, ty, tw, th);
    ctx.fillStyle = '#fff';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x + line * 1.5, ty + th / 2);
  });
  canvas.dataset.overlayCells = String(overlayCells);
  canvas.dataset.placedMaps = String(view.faces.filter((f) => f.map?.toImage).length);

  // Verdict against the chosen threshold.
  const verdictEl = $('verdict');
  const score = view.faces.length ? Math.max(...view.faces.map((f) => f.score)) : null;
  const verdict = score === null ? null : labelOf(score, t);
  verdictEl.dataset.verdict = verdict ?? 'none';
  verdictEl.querySelector('.verdict-label')!.textContent =
    verdict === 'fake' ? 'Likely face-swapped' : verdict === 'real' ? 'No swap detected' : 'No face found';
  verdictEl.querySelector('.verdict-score')!.textContent =
    score === null ? 'Try a photo with a clearly visible face.' : `score ${score.toFixed(3)} · threshold ${t.toFixed(2)}`;

  const list = $('faces');
  list.replaceChildren(
    ...view.faces.map((f, i) => {
      const label = labelOf(f.score, t);
      const li = document.createElement('li');
      li.className = `face face-${label}`;
      li.dataset.label = label;
      li.innerHTML = `
        <div class="face-head"><span class="face-n">Face ${i + 1}</span><span class="chip chip-${label}">${label === 'fake' ? 'swapped' : 'real'}</span></div>
        <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="1" aria-valuenow="${f.score}" aria-label="Face ${i + 1} swap score">
          <span class="bar-fill" style="width:${(f.score * 100).toFixed(1)}%"></span><span class="bar-cut" style="left:${(t * 100).toFixed(1)}%"></span>
        </div>
        <dl class="face-stats">
          <div><dt>score</dt><dd data-testid="face-score">${f.score.toFixed(3)}</dd></div>
          <div><dt>peak</dt><dd>${f.peak.toFixed(3)}</dd></div>
          <div><dt>boundary area</dt><dd>${(f.boundaryArea * 100).toFixed(1)}%</dd></div>
          <div><dt>box</dt><dd>${Math.round(f.box.width)}×${Math.round(f.box.height)} px</dd></div>
        </dl>`;
      return li;
    }),
  );
  resultEl.dataset.source = view.source;
  resultEl.dataset.faces = String(view.faces.length);
  resultEl.dataset.score = view.score === null ? '' : String(view.score);
  canvas.setAttribute(
    'aria-label',
    `Uploaded image, ${view.faces.length} face${view.faces.length === 1 ? '' : 's'}: ` +
      view.faces.map((f, i) => `face ${i + 1} ${labelOf(f.score, t) === 'fake' ? 'swapped' : 'real'} (${f.score.toFixed(2)})`).join(', '),
  );
}

function runInfo(v: ScanView, extra = '') {
  const where = v.source === 'server' ? 'Scanned on the server' : 'Scanned in your browser';
  $('runinfo').textContent = `${where} · ${v.backend} · ${ms(v.ms)}${v.detail ? ` (${v.detail})` : ''} · model ${v.model}${extra}`;
  $('runinfo').dataset.source = v.source;
}

function toRgba(b: ImageBitmap): RgbaImage {
  const c = document.createElement('canvas');
  c.width = b.width;
  c.height = b.height;
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(b, 0, 0);
  const d = g.getImageData(0, 0, b.width, b.height);
  return { width: d.width, height: d.height, data: d.data };
}

async function scan() {
  if (!currentFile || !bitmap) return;
  const id = ++runId;
  const useBrowser = local.checked;
  resultEl.setAttribute('aria-busy', 'true');
  try {
    let next: ScanView;
    let extra = '';
    if (useBrowser) {
      setStatus(browserRun ? 'Scanning in your browser…' : 'Downloading the models and runtime to your browser…', 'busy');
      const run = await loadBrowserRun();
      if (id !== runId) return;
      setStatus('Scanning in your browser…', 'busy');
      rgba ??= toRgba(bitmap);
      next = await run.scanInBrowser(rgba);
      extra = ` · pipeline and models downloaded in ${ms(browserLoadMs)}`;
      if (run.backendInfo.webgpuInBrowser) extra += ' · navigator.gpu present, but the WebGPU runtime is not served: wasm used';
    } else {
      setStatus('Scanning on the server…', 'busy');
      next = await scanOnServer(currentFile, bitmap);
    }
    if (id !== runId) return;
    view = next;
    if (!slider.dataset.touched) slider.value = String(next.threshold);
    slider.dataset.calibrated = String(next.threshold);
    resultEl.hidden = false;
    runInfo(next, extra);
    render();
    setStatus(
      next.faces.length
        ? `${next.faces.length} face${next.faces.length === 1 ? '' : 's'} scanned.`
        : 'No face found in this image.',
    );
  } catch (error) {
    if (id !== runId) return;
    setStatus(`Scan failed: ${(error as Error).message}`, 'error');
  } finally {
    if (id === runId) resultEl.removeAttribute('aria-busy');
  }
}

async function useFile(file: File | undefined) {
  if (!file) return;
  if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
    setStatus(`${file.name}: not a JPEG, PNG or WebP image.`, 'error');
    return;
  }
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    setStatus(`${file.name}: the browser could not decode this image.`, 'error');
    return;
  }
  currentFile = file;
  rgba = null;
  view = null;
  resultEl.hidden = false;
  $('faces').replaceChildren();
  $('runinfo').textContent = '';
  render();
  await scan();
}

// ---------------------------------------------------------------- wiring
const drop = $('drop');
const fileInput = $<HTMLInputElement>('file');
fileInput.addEventListener('change', () => useFile(fileInput.files?.[0]));
for (const type of ['dragenter', 'dragover']) {
  drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
}
for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  void useFile((e as DragEvent).dataTransfer?.files[0]);
});
drop.addEventListener('keydown', (e) => {
  if (e.target === drop && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    fileInput.click();
  }
});

slider.addEventListener('input', () => {
  slider.dataset.touched = '1';
  render();
});
$('threshold-reset').addEventListener('click', () => {
  delete slider.dataset.touched;
  if (slider.dataset.calibrated) slider.value = slider.dataset.calibrated;
  render();
});
showMap.addEventListener('change', render);
local.addEventListener('change', () => {
  if (local.checked) void loadBrowserRun().catch(() => undefined);
  void scan();
});
// "auto" (default build): ORT's wasm comes from the server's R2 model bucket; enable the switch once it is there.
const browserRunMode = document.body.dataset.browserRun;
const noBrowserRun = (why: string) => {
  local.disabled = true;
  local.dataset.available = 'false';
  $('local-hint').textContent = why;
};
if (browserRunMode === 'auto') {
  local.disabled = true;
  local.dataset.available = 'pending';
  void fetch(__ORT_WASM_URL__, { method: 'HEAD' })
    .then((res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      local.disabled = false;
      local.dataset.available = 'true';
    })
    .catch(() =>
      noBrowserRun(
        'Not available on this server: onnxruntime-web\'s wasm runtime is not in its model bucket ' +
          '(run `node tools/seed-models.mjs`, which `npm start` does).',
      ),
    );
} else if (browserRunMode !== 'on') {
  noBrowserRun('Not available on this deployment.');
} else {
  local.dataset.available = 'true';
}
slider.value = String(xrayCard.calibration.threshold);
$('threshold-out').textContent = Number(slider.value).toFixed(2);

// ---------------------------------------------------------------- swap
function preview(input: HTMLInputElement, img: HTMLImageElement) {
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (img.src) URL.revokeObjectURL(img.src);
    img.hidden = !f;
    if (f) img.src = URL.createObjectURL(f);
  });
}
preview($('swap-source'), $('swap-source-preview'));
preview($('swap-target'), $('swap-target-preview'));

$('swap-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const source = $<HTMLInputElement>('swap-source').files?.[0];
  const target = $<HTMLInputElement>('swap-target').files?.[0];
  const key = $<HTMLInputElement>('swap-key').value.trim();
  const problem = $('swap-problem');
  const out = $('swap-result');
  const swapStatus = $('swap-status');
  problem.hidden = true;
  if (!source || !target) return;
  const body = new FormData();
  body.append('source', source, source.name);
  body.append('target', target, target.name);
  const method = (document.getElementById('swap-model') as unknown as { value: string }).value; // a <select>
  body.append('model', method === 'classical' ? 'classical' : 'aei');
  if (method === 'aei+hear') body.append('hear', 'true');
  const button = $<HTMLButtonElement>('swap-go');
  button.disabled = true;
  swapStatus.textContent = 'Swapping…';
  const t = performance.now();
  try {
    const res = await fetch('/v1/swap', { method: 'POST', body, headers: key ? { authorization: `Bearer ${key}` } : {} });
    if (!res.ok) {
      const message = await problemOf(res);
      problem.textContent =
        res.status === 404 ? `The swap route is not available on this server yet. ${message}` :
        res.status === 401 ? `Not authorised: check the API key. ${message}` :
        res.status === 403 ? `Refused by the server. ${message}` : message;
      problem.hidden = false;
      out.hidden = true;
      swapStatus.textContent = '';
      return;
    }
    const type = res.headers.get('content-type') ?? '';
    let src: string | null = null;
    if (type.startsWith('image/')) src = URL.createObjectURL(await res.blob());
    else if (type.includes('json')) {
      const j = (await res.json()) as Record<string, unknown>;
      const candidate = [j.image, j.result, j.output].find((v) => typeof v === 'string' && /^(data:image\/|https?:|\/)/.test(v as string));
      src = (candidate as string | undefined) ?? null;
      if (!src) throw new Error(`unexpected JSON answer: ${JSON.stringify(j).slice(0, 200)}`);
    } else throw new Error(`unexpected answer of type ${type || 'unknown'}`);
    $<HTMLImageElement>('swap-img').src = src;
    $('swap-caption').textContent = `Swapped on the server (${res.headers.get('x-seamline-model') ?? method}) in ${ms(performance.now() - t)}.`;
    out.hidden = false;
    swapStatus.textContent = 'Done.';
  } catch (error) {
    problem.textContent = `Swap failed: ${(error as Error).message}`;
    problem.hidden = false;
    swapStatus.textContent = '';
  } finally {
    button.disabled = false;
  }
});

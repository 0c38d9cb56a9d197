/**
 * HTTP benchmark against the real worker in workerd (wrangler's unstable_startWorker, as in the integration
 * tests): per route, the first request (cold: includes model session creation), a warm-up, then N sequential
 * requests with p50/p95 latency and the CPU time the workerd process(es) spent per request, read from
 * /proc/<pid>/stat (utime + stime, clock ticks) before and after the timed loop.
 *
 * Must run under tools/run.mjs (the scene is built with src/wasm kernels and src/image codecs, which import
 * .wasm statically). Part of `npm run bench`; routes are added by path (`--routes /v1/faces,/v1/xray`).
 * `/v1/swap?model=aei` (or any `/v1/swap…`) is a multipart swap: source face-4.jpg into the ~1 MP scene, with an API
 * key; its models come from R2, so the worker then starts on a temp persist dir seeded by tools/seed-models.mjs.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { decodeImage, encodeJpeg } from '../src/image/index';
import type { RgbaImage } from '../src/pipeline/types';
import { wasmKernels } from '../src/wasm/kernels';
import { startSeededWorker } from '../test/support/models';
import { startWorker, type WorkerHandle } from '../test/support/worker';

/** How a route is called: a raw-image body, or (swap) multipart `source` + `target` with the bench's API key. */
export type RouteSpec = { path: string; method: 'POST'; contentType: string; multipart?: { source: Uint8Array<ArrayBuffer> } };
const BENCH_KEY = 'bench-key';

export type RouteResult =
  | { route: string; skipped: true; status: number; note: string }
  | {
      route: string;
      skipped: false;
      /** Latency of the very first request to this route (model session creation happens here). */
      firstMs: number;
      firstStatus: number;
      warmup: number;
      /** Latency of each warm-up request, in order (shows when the route settles). */
      warmupMs: number[];
      n: number;
      p50Ms: number;
      p95Ms: number;
      meanMs: number;
      minMs: number;
      maxMs: number;
      /** CPU (user + system) of the workerd process running the worker, over the timed loop divided by n; null when not found. */
      cpuMsPerRequest: number | null;
      /** Same for wrangler's dev proxy workerd in front of it (local dev only, not in production); null when not identified. */
      proxyCpuMsPerRequest: number | null;
      /** Non-200 answers in the timed loop. */
      errors: number;
      /** The isolate's WebAssembly memory after the route (its /health), MiB. */
      wasmMiB: { onnxruntime: number | null; kernels: number } | null;
      /** Peak RSS of the worker's workerd process during the route (from its first request, or from worker start for the first route), MiB: runtime included. */
      workerdPeakRssMiB: number | null;
      /** Short summary of the last answer (e.g. faces found). */
      answer: string;
    };

export type HttpBenchResult = {
  image: { width: number; height: number; jpegBytes: number; quality: number };
  /** Wall-clock of starting the worker (wrangler bundling + workerd start), before any request. */
  workerStartMs: number;
  /** workerd process(es) running the worker (all workerd descendants except the proxy). */
  workerdPids: number[];
  /** wrangler's dev proxy workerd (owns the listening socket of the URL); null when not identified. */
  proxyPid: number | null;
  clockTicksPerSecond: number;
  routes: RouteResult[];
};

export type HttpBenchOptions = { routes?: string[]; n?: number; warmup?: number };

// ---------------------------------------------------------------------------------------------- scene

/**
 * face-1.jpg (224²) upscaled 2.5× onto a 1200×800 (0.96 MP) gradient background, JPEG q90; with `megapixels`,
 * the same picture enlarged to about that many megapixels.
 */
export async function makeScene(quality = 90, megapixels = 0.96): Promise<{ image: RgbaImage; jpeg: Uint8Array<ArrayBuffer> }> {
  const face = await decodeImage(new Uint8Array(readFileSync(new URL('../test/fixtures/face-1.jpg', import.meta.url))));
  const k = Math.sqrt(megapixels / 0.96);
  const width = Math.round(1200 * k), height = Math.round(800 * k), scale = 2.5 * k, ox = Math.round(420 * k), oy = Math.round(110 * k);
  // dst pixel → src coordinates (see src/pipeline/align.ts): src = (dst - offset) / scale.
  const placed = wasmKernels.warpAffine(face, [1 / scale, 0, -ox / scale, 0, 1 / scale, -oy / scale], width, height, { border: 'zero' });
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const a = placed.data[i + 3] / 255;
      const bg = [70 + (110 * x) / width, 90 + (60 * y) / height, 120 - (50 * x) / width];
      for (let c = 0; c < 3; c++) data[i + c] = placed.data[i + c] * a + bg[c] * (1 - a);
      data[i + 3] = 255;
    }
  }
  const image = { width, height, data };
  return { image, jpeg: new Uint8Array(await encodeJpeg(image, quality)) }; // copy: fetch bodies need an ArrayBuffer-backed view
}

// ---------------------------------------------------------------------------------------------- /proc

type ProcStat = { pid: number; ppid: number; comm: string; ticks: number };

function readStat(pid: number): ProcStat | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')'); // comm may contain spaces and parentheses
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' '); // f[0] = state (field 3), f[1] = ppid (4), f[11] = utime (14), f[12] = stime (15)
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

/** workerd processes that descend from this Node process (scan of /proc ppid chains). */
export function workerdDescendants(root = process.pid): number[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is ProcStat => !!s);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (/workerd/.test(c.comm)) out.push(c.pid);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Inodes of sockets listening on `port` (from /proc/net/tcp{,6}; state 0A = LISTEN). */
function listeningInodes(port: number): Set<string> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(`:${hex}`) && f[3] === '0A') out.add(f[9]);
    }
  }
  return out;
}

/** Which of `pids` owns a socket listening on `port` (wrangler's dev proxy worker, in front of the user worker). */
function ownerOfPort(pids: number[], port: number): number | undefined {
  const inodes = listeningInodes(port);
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try { return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''); } catch { return false; }
      });
    } catch {
      return false;
    }
  });
}

const cpuTicks = (pids: number[]) => pids.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0);

/** Peak resident set (VmHWM, MiB) summed over the processes; null where /proc does not say. */
function peakRssMiB(pids: number[]): number | null {
  if (!pids.length) return null;
  try {
    return pids.reduce((kb, pid) => kb + Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]), 0) / 1024;
  } catch {
    return null; // exited meanwhile, or no VmHWM line
  }
}

/** Starts a new peak-RSS window (Linux clear_refs 5); where that is not allowed the window simply keeps running. */
function resetPeakRss(pids: number[]): void {
  try {
    for (const pid of pids) writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted: the next route's peak then also covers the earlier ones
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

// ---------------------------------------------------------------------------------------------- bench

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]; // nearest rank
}

function summarize(route: string, res: Response, text: string): string {
  if (res.status !== 200) return `${res.status} ${text.slice(0, 120)}`;
  try {
    const body = JSON.parse(text) as { faces?: unknown[] };
    if (route === '/v1/faces' && Array.isArray(body.faces)) return `${body.faces.length} face(s)`;
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return `${res.headers.get('content-type')}, ${text.length} chars`;
  }
}

async function timed(worker: WorkerHandle, spec: RouteSpec, body: Uint8Array<ArrayBuffer>): Promise<{ ms: number; res: Response; text: string }> {
  const t0 = performance.now();
  let res: Response;
  if (spec.multipart) {
    const form = new FormData();
    form.append('source', new Blob([spec.multipart.source], { type: 'image/jpeg' }), 'source.jpg');
    form.append('target', new Blob([body], { type: 'image/jpeg' }), 'target.jpg');
    res = await worker.fetch(spec.path, { method: spec.method, headers: { authorization: `Bearer ${BENCH_KEY}` }, body: form });
  } else {
    res = await worker.fetch(spec.path, { method: spec.method, headers: { 'content-type': spec.contentType }, body });
  }
  const text = await res.text();
  return { ms: performance.now() - t0, res, text };
}

export async function benchHttp(options: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const { routes = ['/v1/faces'], n = 30, warmup = 10 } = options;
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'; // miniflare would fetch Request.cf from workers.cloudflare.com
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  const { image, jpeg } = await makeScene(90);
  const largeScenes = new Map<number, Uint8Array<ArrayBuffer>>();
  const hz = clockTicks();
  const t0 = performance.now();
  const swaps = routes.some((r) => r.startsWith('/v1/swap'));
  const worker = swaps ? await startSeededWorker({ SEAMLINE_API_KEY: BENCH_KEY }) : await startWorker();
  const workerStartMs = performance.now() - t0;
  const results: RouteResult[] = [];
  let pids: number[] = [];
  let proxy: number | undefined;
  const port = Number(new URL(worker.url).port);
  try {
    for (const route of routes) {
      // `/v1/xray@12MP`: the route with the scene enlarged to 12 MP (a phone photo), analysed scaled down.
      const [path, size] = route.split('@');
      const megapixels = size ? Number(size.replace(/MP$/i, '')) : undefined;
      if (megapixels && !largeScenes.has(megapixels)) largeScenes.set(megapixels, (await makeScene(90, megapixels)).jpeg);
      const body = megapixels ? largeScenes.get(megapixels)! : jpeg;
      const spec: RouteSpec = path.startsWith('/v1/swap')
        ? { path, method: 'POST', contentType: 'multipart/form-data', multipart: { source: new Uint8Array(readFileSync(new URL('../test/fixtures/face-4.jpg', import.meta.url))) } }
        : { path, method: 'POST', contentType: 'image/jpeg' };
      const first = await timed(worker, spec, body);
      if (first.res.status === 404) {
        results.push({ route, skipped: true, status: 404, note: 'route answered 404 (not deployed in this build); skipped' });
        continue;
      }
      const warmupMs: number[] = [];
      for (let i = 0; i < warmup; i++) warmupMs.push((await timed(worker, spec, body)).ms);
      const samples: number[] = [];
      let errors = 0, last = first;
      // Scan after the first request: wrangler starts the proxy and the user worker in separate workerd processes.
      const all = workerdDescendants();
      proxy = ownerOfPort(all, port);
      pids = all.filter((p) => p !== proxy);
      const before = cpuTicks(pids), proxyBefore = proxy ? cpuTicks([proxy]) : 0;
      for (let i = 0; i < n; i++) {
        last = await timed(worker, spec, body);
        samples.push(last.ms);
        if (last.res.status !== 200) errors++;
      }
      const after = cpuTicks(pids), proxyAfter = proxy ? cpuTicks([proxy]) : 0;
      const workerdPeakRssMiB = peakRssMiB(pids);
      const memory = await worker.fetch('/health').then((r) => r.json() as Promise<{ memory?: { onnxruntimeWasmBytes: number | null; kernelsWasmBytes: number } }>).catch(() => ({ memory: undefined }));
      const mib = (b: number) => b / 2 ** 20;
      const wasmMiB = memory.memory ? { onnxruntime: memory.memory.onnxruntimeWasmBytes === null ? null : mib(memory.memory.onnxruntimeWasmBytes), kernels: mib(memory.memory.kernelsWasmBytes) } : null;
      resetPeakRss(pids);
      const sorted = [...samples].sort((a, b) => a - b);
      results.push({
        route, skipped: false, firstMs: first.ms, firstStatus: first.res.status, warmup, warmupMs, n,
        p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95),
        meanMs: samples.reduce((a, b) => a + b, 0) / n, minMs: sorted[0], maxMs: sorted[n - 1],
        cpuMsPerRequest: pids.length ? ((after - before) * 1000) / hz / n : null,
        proxyCpuMsPerRequest: proxy ? ((proxyAfter - proxyBefore) * 1000) / hz / n : null,
        errors, answer: summarize(route, last.res, last.text), wasmMiB, workerdPeakRssMiB,
      });
    }
  } finally {
    await worker.stop();
  }
  return {
    image: { width: image.width, height: image.height, jpegBytes: jpeg.byteLength, quality: 90 },
    workerStartMs, workerdPids: pids, proxyPid: proxy ?? null, clockTicksPerSecond: hz, routes: results,
  };
}

export function formatHttpBench(r: HttpBenchResult): string {
  const lines = [
    `request body: ${r.image.width}x${r.image.height} JPEG q${r.image.quality}, ${r.image.jpegBytes} bytes; ` +
      `worker start ${r.workerStartMs.toFixed(0)} ms; worker workerd pid(s) ${r.workerdPids.join(',') || 'not found'}, dev-proxy workerd pid ${r.proxyPid ?? 'not identified'}; CLK_TCK ${r.clockTicksPerSecond}`,
    `${'route'.padEnd(12)} ${'first ms'.padStart(9)} ${'n'.padStart(4)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'min ms'.padStart(8)} ${'max ms'.padStart(8)} ${'CPU ms/req'.padStart(10)} ${'proxy CPU'.padStart(9)} ${'errors'.padStart(6)}  answer`,
  ];
  for (const x of r.routes) {
    if (x.skipped) {
      lines.push(`${x.route.padEnd(12)} skipped: ${x.note}`);
      continue;
    }
    const cpu = x.cpuMsPerRequest === null ? 'n/a' : x.cpuMsPerRequest.toFixed(1);
    const proxyCpu = x.proxyCpuMsPerRequest === null ? 'n/a' : x.proxyCpuMsPerRequest.toFixed(1);
    lines.push(
      `${x.route.padEnd(12)} ${x.firstMs.toFixed(1).padStart(9)} ${String(x.n).padStart(4)} ${x.p50Ms.toFixed(1).padStart(8)} ${x.p95Ms.toFixed(1).padStart(8)} ` +
        `${x.meanMs.toFixed(1).padStart(8)} ${x.minMs.toFixed(1).padStart(8)} ${x.maxMs.toFixed(1).padStart(8)} ${cpu.padStart(10)} ${proxyCpu.padStart(9)} ${String(x.errors).padStart(6)}  ${x.answer}`,
    );
  }
  lines.push(`${'route'.padEnd(30)} ${'ORT wasm MiB'.padStart(12)} ${'kernels MiB'.padStart(11)} ${'workerd peak RSS MiB'.padStart(20)}`);
  for (const x of r.routes) {
    if (x.skipped) continue;
    const f = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1));
    lines.push(`${x.route.padEnd(30)} ${f(x.wasmMiB?.onnxruntime).padStart(12)} ${f(x.wasmMiB?.kernels).padStart(11)} ${f(x.workerdPeakRssMiB).padStart(20)}`);
  }
  for (const x of r.routes) {
    if (!x.skipped && x.warmupMs.length) lines.push(`${x.route} warm-up requests (ms, in order): ${x.warmupMs.map((v) => v.toFixed(0)).join(' ')}`);
  }
  lines.push(
    'first ms = wall-clock of the first request to the route after worker start (cold: includes ORT-web and model session creation);',
    `then ${r.routes.find((x) => !x.skipped && 'warmup' in x)?.warmup ?? 0} warm-up requests, then n timed sequential requests. ` +
      `CPU ms/req = utime+stime of the worker's workerd process over the timed loop / n (/proc/<pid>/stat; resolution ${(1000 / r.clockTicksPerSecond).toFixed(0)} ms over the loop);`,
    'proxy CPU = the same for the dev-only proxy workerd that wrangler puts in front (not part of a production request).',
    'ORT / kernels wasm MiB = the isolate\'s WebAssembly memory after the route, from its /health (grows, never shrinks: the largest route so far);',
    'workerd peak RSS = VmHWM of the worker\'s workerd process over the route (window reset after each route with clear_refs), runtime and all isolates included — an upper bound, not the isolate figure the 128 MB limit counts.',
  );
  return lines.join('\n');
}

/**
 * `npm run load`: load test of the local worker (workerd via wrangler, on 127.0.0.1) with autocannon.
 *
 * Builds a 1200×800 (0.96 MP) one-face JPEG from test/fixtures/face-1.jpg (scaled ×1.6 into a plain
 * scene with the wasm kernels, encoded with src/image's encodeJpeg), checks each route answers it
 * with 200 once, then drives each route in turn for `--duration` seconds (or `--max-requests`,
 * whichever comes first) with `--connections` keep-alive connections, one request in flight each.
 *
 *   npm run load -- --duration 10 --connections 4 --routes /v1/faces,/v1/xray
 *
 * Prints RPS, p50 / p97.5 / p99 latency, non-2xx and errors per route, then one JSON line. Exits 1 if
 * any request errored, timed out or returned non-2xx (including the warm-up check).
 */
// @ts-expect-error autocannon ships no types (and @types/autocannon is not a dependency); typed below.
import autocannonUntyped from 'autocannon';
import { decodeImage, encodeJpeg } from '../src/image/index.js';
import type { RgbaImage } from '../src/pipeline/types.js';
import { kernels } from '../src/wasm/kernels.js';
import { fixture } from '../test/fixtures/index.js';
import { startWorker } from '../test/support/worker.js';

/** The part of autocannon's API used here. */
type AutocannonResult = {
  requests: { total: number };
  latency: { p50: number; p97_5: number; p99: number; max: number };
  non2xx: number; errors: number; timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
};
type AutocannonInstance = { on(event: 'response', listener: () => void): void; stop(): void };
const autocannon = autocannonUntyped as (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

type Options = { duration: number; connections: number; maxRequests: number; timeout: number; routes: string[] };

function parseArgs(argv: string[]): Options {
  const o: Options = { duration: 60, connections: 4, maxRequests: 100_000, timeout: 30, routes: ['/v1/faces', '/v1/xray'] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    const num = (name: string) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
      return n;
    };
    if (flag === '--duration' || flag === '-d') o.duration = num(flag);
    else if (flag === '--connections' || flag === '-c') o.connections = Math.round(num(flag));
    else if (flag === '--max-requests') o.maxRequests = Math.round(num(flag));
    else if (flag === '--timeout') o.timeout = num(flag);
    else if (flag === '--routes') o.routes = value().split(',').map((r) => r.trim()).filter(Boolean);
    else if (flag === '--help' || flag === '-h') {
      console.log('npm run load -- [--duration s=60] [--connections n=4] [--max-requests n=100000] [--timeout s=30] [--routes /v1/faces,/v1/xray]');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

/** 1200×800 scene: soft vertical gradient with face-1 (224 px) scaled ×1.6 to 358 px, left of centre. */
async function sceneJpeg(): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
  const face = await decodeImage(fixture('face-1.jpg'));
  const width = 1200, height = 800, scale = 1.6;
  const scaled = kernels.warpAffine(face, [1 / scale, 0, 0, 0, 1 / scale, 0], Math.round(face.width * scale), Math.round(face.height * scale), { border: 'replicate' });
  const scene: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  for (let y = 0; y < height; y++) {
    const v = 170 - Math.round((y / height) * 60);
    for (let x = 0; x < width; x++) scene.data.set([v, v + 8, v + 20, 255], (y * width + x) * 4);
  }
  const ox = 380, oy = 190;
  for (let y = 0; y < scaled.height; y++) {
    scene.data.set(scaled.data.subarray(y * scaled.width * 4, (y + 1) * scaled.width * 4), ((oy + y) * width + ox) * 4);
  }
  return { jpeg: await encodeJpeg(scene, 88), width, height };
}

type RouteResult = {
  route: string; requests: number; seconds: number; rps: number;
  latencyMs: { p50: number; p97_5: number; p99: number; max: number };
  non2xx: number; errors: number; timeouts: number; statusCodes: Record<string, number>;
};

function drive(url: string, route: string, body: Buffer, o: Options): Promise<RouteResult> {
  return new Promise((resolve, reject) => {
    let requests = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: url + route,
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body,
        connections: o.connections,
        pipelining: 1,
        duration: o.duration,
        timeout: o.timeout,
      },
      (error, r) => {
        clearTimeout(guard);
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        const statusCodes: Record<string, number> = {};
        for (const [code, n] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = n.count;
        resolve({
          route, requests: r.requests.total, seconds: +seconds.toFixed(2), rps: +(r.requests.total / seconds).toFixed(2),
          latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
          non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, statusCodes,
        });
      },
    );
    // Bounded in count as well as time, and a hard stop in case the worker wedges.
    instance.on('response', () => { if (++requests >= o.maxRequests) instance.stop(); });
    const guard = setTimeout(() => instance.stop(), (o.duration + o.timeout + 10) * 1000);
  });
}

const o = parseArgs(process.argv.slice(2));
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'; // no Request.cf download (as in npm start)
const { jpeg, width, height } = await sceneJpeg();
const body = Buffer.from(jpeg);
console.log(`load: ${width}×${height} JPEG, ${body.length} bytes; ${o.connections} connections, ${o.duration} s (≤ ${o.maxRequests} requests) per route`);

const worker = await startWorker();
let failed = false;
const results: RouteResult[] = [];
const checks: Record<string, string> = {};
try {
  console.log(`load: worker at ${worker.url}`);
  for (const route of o.routes) {
    // Warm-up (model load, wasm compile) and a sanity check that the route finds the face.
    const res = await worker.fetch(route, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body });
    const text = await res.text();
    const faces = res.status === 200 ? ((JSON.parse(text) as { faces?: unknown[] }).faces?.length ?? 0) : 0;
    checks[route] = `${res.status}, ${faces} face(s)`;
    console.log(`load: ${route} warm-up → ${res.status}, ${faces} face(s)${res.status === 200 ? '' : `: ${text.slice(0, 200)}`}`);
    if (res.status !== 200) failed = true;
    const r = await drive(worker.url, route, body, o);
    results.push(r);
    if (r.errors || r.timeouts || r.non2xx) failed = true;
  }
} finally {
  await worker.stop();
}

console.log('');
console.log('route          requests     RPS   p50 ms  p97.5 ms  p99 ms  max ms  non-2xx  errors  timeouts  statuses');
for (const r of results) {
  console.log(
    `${r.route.padEnd(14)} ${String(r.requests).padStart(8)} ${r.rps.toFixed(2).padStart(7)} ${String(r.latencyMs.p50).padStart(8)} ${String(r.latencyMs.p97_5).padStart(9)} ` +
    `${String(r.latencyMs.p99).padStart(7)} ${String(r.latencyMs.max).padStart(7)} ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.timeouts).padStart(9)}  ${JSON.stringify(r.statusCodes)}`,
  );
}
console.log(JSON.stringify({
  load: { image: { width, height, bytes: body.length }, connections: o.connections, duration: o.duration, maxRequests: o.maxRequests, warmup: checks },
  routes: results, ok: !failed,
}));
process.exitCode = failed ? 1 : 0;

/**
 * All benchmarks in one run (`npm run bench` = `npm run build && node tools/run.mjs bench/index.ts`):
 *   1. kernels — AssemblyScript SIMD vs plain-TS reference (bench/kernels.ts)
 *   2. models  — ORT-web wasm (1 thread) vs onnxruntime-node (1 intra-op thread) per shipped model (bench/models.ts)
 *   3. http    — the real worker in workerd: cold first request, p50/p95 and workerd CPU ms per request (bench/http.ts),
 *                and what that CPU costs per request at Workers list prices (bench/cost.ts)
 * Ends with one JSON line holding every figure. Numbers are printed, never asserted.
 *
 * Options (after `npm run bench --`):
 *   --n 30                         timed requests per route
 *   --warmup 10                    warm-up requests per route (after the first, cold one; the route settles after ~5)
 *   --routes /v1/faces,/v1/xray    routes to call with the JPEG body (default DEFAULT_ROUTES); a route answering 404 is
 *                                  skipped with a note, so a route can be listed before it is deployed
 *   --runs 30                      model runs per runtime (median and min reported)
 *   --only kernels,models,http     run a subset
 */
import { cpus } from 'node:os';
import { formatCosts, routeCosts, type RouteCost } from './cost';
import { benchHttp, formatHttpBench, type HttpBenchResult } from './http';
import { benchKernels, formatKernelBench, type KernelBenchRow } from './kernels';
import { benchModels, formatRows, shippedTargets, type BenchRow } from './models';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function intArg(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

/** Routes benchmarked by default: POST with the ~1 MP JPEG as a raw image/jpeg body (`@12MP`: the scene enlarged to 12 MP). */
export const DEFAULT_ROUTES = ['/v1/faces', '/v1/xray', '/v1/xray@12MP', '/v1/swap?model=classical', '/v1/swap?model=aei', '/v1/swap?model=aei&hear=true'];

const n = intArg('n', 30);
const warmup = arg('warmup') === '0' ? 0 : intArg('warmup', 10);
const runs = intArg('runs', 30);
const routes = (arg('routes') ?? DEFAULT_ROUTES.join(',')).split(',').map((r) => r.trim()).filter(Boolean).map((r) => (r.startsWith('/') ? r : `/${r}`));
const only = new Set((arg('only') ?? 'kernels,models,http').split(',').map((s) => s.trim()));

const heading = (title: string) => console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 100 - title.length))}`);

const env = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  date: new Date().toISOString(),
};
console.log(`seamline bench — node ${env.node}, ${env.cores} × ${env.cpu}, ${env.date}`);

let kernels: KernelBenchRow[] | undefined;
let models: BenchRow[] | undefined;
let http: HttpBenchResult | undefined;
let cost: RouteCost[] | undefined;

if (only.has('kernels')) {
  heading('kernels: AssemblyScript wasm SIMD vs plain-TS reference (Node, median ms per call)');
  kernels = benchKernels();
  console.log(formatKernelBench(kernels));
}

if (only.has('models')) {
  heading(`models: onnxruntime-node (CPU EP, 1 intra-op thread) vs onnxruntime-web (wasm SIMD, 1 thread) in Node, median of ${runs} runs after 3 warm-up`);
  models = await benchModels(shippedTargets(), runs);
  console.log(formatRows(models));
}

if (only.has('http')) {
  heading(`http: real worker in workerd (wrangler unstable_startWorker), ${n} sequential requests per route`);
  http = await benchHttp({ routes, n, warmup });
  console.log(formatHttpBench(http));
  cost = routeCosts(http);
  heading('cost per request at Workers list prices, from the CPU ms above');
  console.log(formatCosts(cost));
  const cold = http.routes.filter((r) => !r.skipped);
  if (cold.length) {
    console.log(`cold start (model session creation + first inference) = first request latency: ` +
      cold.map((r) => `${r.route} ${r.skipped ? '' : r.firstMs.toFixed(0)} ms`).join(', '));
  }
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const rounded = (o: unknown): unknown =>
  typeof o === 'number' ? round(o) : Array.isArray(o) ? o.map(rounded) : o && typeof o === 'object'
    ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rounded(v)])) : o;

heading('json');
console.log(JSON.stringify(rounded({ bench: 'seamline', env, options: { n, warmup, runs, routes }, kernels, models, http, cost })));

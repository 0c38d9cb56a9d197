/**
 * Inference time of the shipped face models: onnxruntime-node (CPU EP, 1 intra-op thread) vs
 * onnxruntime-web (wasm SIMD, 1 thread) running in Node. Median of `runs` after `warmup` runs.
 *
 *   node tools/run.mjs bench/models.ts [--runs 30]   (or npx tsx bench/models.ts); part of `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

export interface BenchTarget {
  label: string;
  bytes: Uint8Array;
  /** Every graph input (name and static shape), from the model card. */
  inputs: { name: string; shape: number[] }[];
}

export interface BenchRow {
  label: string;
  /** Median ms per run. */
  nodeMs: number;
  webMs: number;
  /** webMs / nodeMs */
  ratio: number;
  /** Fastest single run (less sensitive to other load on a shared machine). */
  nodeMinMs: number;
  webMinMs: number;
}

export interface Timing {
  median: number;
  min: number;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function input(shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = ((i * 2654435761) % 1000) / 1000; // deterministic, [0,1)
  return x;
}

async function timeSession(run: () => Promise<unknown>, runs: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { median: median(times), min: Math.min(...times) };
}

export async function timeNode(t: BenchTarget, runs = 30, warmup = 3): Promise<Timing> {
  const session = await ortNode.InferenceSession.create(t.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = Object.fromEntries(t.inputs.map((i) => [i.name, new ortNode.Tensor('float32', input(i.shape), i.shape)]));
  const ms = await timeSession(() => session.run(feeds), runs, warmup);
  await session.release();
  return ms;
}

export async function timeWeb(t: BenchTarget, runs = 30, warmup = 3): Promise<Timing> {
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.logLevel = 'error';
  const session = await ortWeb.InferenceSession.create(t.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = Object.fromEntries(t.inputs.map((i) => [i.name, new ortWeb.Tensor('float32', input(i.shape), i.shape)]));
  const ms = await timeSession(() => session.run(feeds), runs, warmup);
  await session.release();
  return ms;
}

export async function benchModels(targets: BenchTarget[], runs = 30, warmup = 3): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const t of targets) {
    const node = await timeNode(t, runs, warmup);
    const web = await timeWeb(t, runs, warmup);
    rows.push({ label: t.label, nodeMs: node.median, webMs: web.median, ratio: web.median / node.median, nodeMinMs: node.min, webMinMs: web.min });
  }
  return rows;
}

interface RegistryFile { path: string; dtype: string }
interface RegistryEntry { name: string; card: string; files: RegistryFile[] }

/** Every shipped model file listed in models/registry.json, with its input from the model card. */
export function shippedTargets(root = ROOT): BenchTarget[] {
  const registry = JSON.parse(readFileSync(join(root, 'models/registry.json'), 'utf8')) as { models: RegistryEntry[] };
  return registry.models.flatMap((m) => {
    type Input = { name: string; shape: number[] };
    const card = JSON.parse(readFileSync(join(root, m.card), 'utf8')) as { input: Input | Input[] };
    const inputs = (Array.isArray(card.input) ? card.input : [card.input]).map(({ name, shape }) => ({ name, shape }));
    return m.files.map((f) => ({ label: `${m.name}.${f.dtype}`, bytes: readFileSync(join(root, f.path)), inputs }));
  });
}

export function formatRows(rows: BenchRow[]): string {
  const lines = ['model                  node 1t median (min) ms   web wasm 1t median (min) ms   web/node'];
  for (const r of rows) {
    const node = `${r.nodeMs.toFixed(2)} (${r.nodeMinMs.toFixed(2)})`;
    const web = `${r.webMs.toFixed(2)} (${r.webMinMs.toFixed(2)})`;
    lines.push(`${r.label.padEnd(22)} ${node.padStart(25)} ${web.padStart(29)} ${r.ratio.toFixed(2).padStart(10)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 30;
  benchModels(shippedTargets(), runs).then((rows) => console.log(formatRows(rows)));
}

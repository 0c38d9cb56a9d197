/**
 * Face-swap evaluation (identity transfer, attribute preservation, detectability, provenance) through the
 * same pipeline code the worker runs, on onnxruntime-node for speed.
 *
 *   npm run eval:swap -- --faces <list.txt|dir|tar> [--pairs N] [--model classical|aei|aei+hear] [--seed S] [--faceres-cache PATH] [--threads T]
 *                      [--classical '{"maskPoints":"0-67","colorStrength":0.5}'] (recipe options of the classical swapper)
 *
 * Ends with ONE JSON line of the figures. faceres (evaluation-only identity net) is converted on first use
 * into --faceres-cache (default training/runs/cache/faceres.fp16.onnx, gitignored).
 */
import { performance } from 'node:perf_hooks';
import { setBackend } from '../../src/backends/ort.js';
import { createNodeBackend } from '../../src/backends/ort-node.js';
import { listImages } from '../eval-xray/inputs.js';
import { numberFlag, parseArgs } from '../lib/args.js';
import { formatSwapReport, runSwapEval } from './evaluate.js';
import { DEFAULT_FACERES_CACHE, loadFaceres } from './faceres.js';
import { resolveSwapper } from './swappers.js';

const USAGE = 'usage: npm run eval:swap -- --faces <list.txt|dir|tar> [--pairs N] [--model classical|aei|aei+hear] [--seed S] [--faceres-cache PATH] [--threads T]';
const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.faces !== 'string') {
  console.error(USAGE);
  process.exit(2);
}
try {
  const t0 = performance.now();
  const model = typeof flags.model === 'string' ? flags.model : 'classical';
  const swapper = await resolveSwapper(model, typeof flags.classical === 'string' ? JSON.parse(flags.classical) : undefined);
  setBackend(createNodeBackend({ threads: numberFlag(flags, 'threads', 1) }));
  const faceres = await loadFaceres(typeof flags['faceres-cache'] === 'string' ? flags['faceres-cache'] : DEFAULT_FACERES_CACHE);
  console.error(`faceres: ${faceres.path}${faceres.converted ? ' (converted now)' : ' (cached)'}`);
  const faces = listImages(flags.faces);
  const pairs = numberFlag(flags, 'pairs', 100);
  const report = await runSwapEval({
    faces, pairs, seed: numberFlag(flags, 'seed', 1), swapper, faceres: faceres.model,
    onProgress: (done, total) => { if (done % 20 === 0 || done === total) console.error(`${done}/${total} pairs (${((performance.now() - t0) / 1000).toFixed(0)} s)`); },
  });
  for (const line of formatSwapReport(report)) console.log(line);
} catch (err) {
  console.error(`eval:swap: ${(err as Error).message}`);
  process.exitCode = 1;
}

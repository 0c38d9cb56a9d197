/**
 * Face-finding rate on FairFace val (each image holds one face), through the same pipeline code
 * the worker runs (onnxruntime-web wasm, AssemblyScript kernels).
 *   npm run eval:faces -- [--n 500] [--tar ../shared/data/fairface/val.tar]
 */
import { performance } from 'node:perf_hooks';
import { decodeImage } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { numberFlag, parseArgs, percentile } from './lib/args.js';
import { iterateTar } from './lib/tar.js';
import { readFileSync } from 'node:fs';

const { flags } = parseArgs(process.argv.slice(2));
const n = numberFlag(flags, 'n', 500);
const tarPath = typeof flags.tar === 'string' ? flags.tar : '../shared/data/fairface/val.tar';

const byIndex = (name: string) => Number(/(\d+)\.jpg$/.exec(name)?.[1] ?? Infinity);
const entries = [...iterateTar(readFileSync(tarPath))].filter(([name]) => name.endsWith('.jpg'));
entries.sort((a, b) => byIndex(a[0]) - byIndex(b[0]));

let found = 0;
let multiple = 0;
const missed: string[] = [];
const times: number[] = [];
for (const [name, bytes] of entries.slice(0, n)) {
  const image = await decodeImage(bytes);
  const t0 = performance.now();
  const { faces } = await findFaces(image);
  times.push(performance.now() - t0);
  if (faces.length) found++;
  else missed.push(name);
  if (faces.length > 1) multiple++;
}
const total = Math.min(n, entries.length);
const result = {
  images: total,
  found,
  rate: found / total,
  multipleFaces: multiple,
  msPerImageP50: Math.round(percentile(times, 50) * 10) / 10,
  msPerImageP95: Math.round(percentile(times, 95) * 10) / 10,
};
console.log(`faces found on ${found}/${total} FairFace val images (${(100 * result.rate).toFixed(1)} %), ${multiple} with more than one face`);
if (missed.length) console.log(`missed: ${missed.slice(0, 20).join(' ')}${missed.length > 20 ? ' …' : ''}`);
console.log(JSON.stringify(result));

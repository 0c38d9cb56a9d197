/**
 * Calibrates the X-ray score on held-out data and writes it into the model card:
 * Platt scaling of the raw logit (reals + blends), then the default threshold = the lowest one giving
 * ≤ 1 % false positives on real faces re-compressed as JPEG at a random quality in 60–95.
 *   npm run calibrate:xray -- --real <dir|tar|list> --fake <dir|tar|list> [--n N] [--card models/xray.card.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeImage, encodeJpeg } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { landmarks68, xrayFace } from '../src/processors/xray/index.js';
import type { RgbaImage } from '../src/pipeline/types.js';
import { createRng } from '../src/pipeline/random.js';
import { listImages } from './eval-xray/inputs.js';
import { numberFlag, parseArgs } from './lib/args.js';
import { fitPlatt } from './lib/platt.js';

const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.real !== 'string' || typeof flags.fake !== 'string') {
  console.error('usage: npm run calibrate:xray -- --real <dir|tar|list> --fake <dir|tar|list> [--n N] [--card path]');
  process.exit(2);
}
const n = numberFlag(flags, 'n', Infinity);
const cardPath = typeof flags.card === 'string' ? flags.card : 'models/xray.card.json';
const fprTarget = numberFlag(flags, 'fpr', 0.01);
const rng = createRng(numberFlag(flags, 'seed', 7));

/** Raw logits of every face, or null when no face was found. */
async function logits(image: RgbaImage): Promise<number[] | null> {
  const { faces } = await findFaces(image);
  if (!faces.length) return null;
  const out: number[] = [];
  for (const f of faces) out.push((await xrayFace(image, landmarks68(f))).logit);
  return out;
}

const x: number[] = [], y: number[] = [];
const recompressedRealMax: number[] = [];
let skipped = 0;
for (const entry of listImages(flags.real).slice(0, n)) {
  const image = await decodeImage(entry.bytes());
  const l = await logits(image);
  if (l) { x.push(Math.max(...l)); y.push(0); } else skipped++;
  const q = Math.round(rng.uniform(60, 95));
  const l2 = await logits(await decodeImage(await encodeJpeg(image, q)));
  if (l2) { x.push(Math.max(...l2)); y.push(0); recompressedRealMax.push(Math.max(...l2)); }
}
for (const entry of listImages(flags.fake).slice(0, n)) {
  const l = await logits(await decodeImage(entry.bytes()));
  if (l) { x.push(Math.max(...l)); y.push(1); } else skipped++;
}
const { a, b } = fitPlatt(x, y);
const prob = (v: number) => 1 / (1 + Math.exp(-(a * v + b)));
const realScores = recompressedRealMax.map(prob).sort((p, q) => p - q);
// Lowest threshold with at most fprTarget of the re-compressed reals at or above it.
const allowed = Math.floor(fprTarget * realScores.length);
const threshold = Math.min(0.999, realScores[realScores.length - 1 - allowed] + 1e-4);
const fpr = realScores.filter((s) => s >= threshold).length / realScores.length;

const card = JSON.parse(readFileSync(cardPath, 'utf8'));
card.calibration = {
  method: 'Platt scaling of the raw logit: p = sigmoid(a·logit + b)',
  a: Math.round(a * 1e5) / 1e5,
  b: Math.round(b * 1e5) / 1e5,
  threshold: Math.round(threshold * 1e4) / 1e4,
  thresholdRule: `lowest threshold with ≤ ${fprTarget * 100} % false positives on real faces re-compressed as JPEG q60–95 (image score = max over faces)`,
  fittedOn: { realImages: listImages(flags.real).slice(0, n).length, fakeImages: listImages(flags.fake).slice(0, n).length, samples: x.length, noFaceSkipped: skipped, real: flags.real, fake: flags.fake },
  fprAtThresholdOnFit: Math.round(fpr * 1e4) / 1e4,
  date: new Date().toISOString().slice(0, 10),
};
writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
console.log(JSON.stringify(card.calibration));

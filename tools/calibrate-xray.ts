/**
 * Calibrates the X-ray score on held-out data and writes it into the model card:
 * Platt scaling of the raw logit (reals + blends), then the default threshold = the lowest one giving
 * ≤ `--fpr` (default 0.8 %, a margin under the 1 % promise) false positives on real faces as uploaded
 * and re-compressed as JPEG at each of q60, q75 and q90 — the strictest of those four wins.
 *   npm run calibrate:xray -- --real <dir|tar|list> --fake <dir|tar|list> [--n N] [--fpr F] [--card models/xray.card.json]
 *                             [--cache logits.json]
 * --cache keeps the raw logits: when the file exists they are read from it instead of recomputed (same model
 * and inputs assumed), so trying another --fpr takes a second instead of a full pass.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeImage, encodeJpeg } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { landmarks68, xrayFace } from '../src/processors/xray/index.js';
import type { RgbaImage } from '../src/pipeline/types.js';
import { listImages } from './eval-xray/inputs.js';
import { numberFlag, parseArgs } from './lib/args.js';
import { fitPlatt } from './lib/platt.js';
// @ts-expect-error plain ESM tool without type declarations
import { writeCards } from './model-cards.mjs';

const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.real !== 'string' || typeof flags.fake !== 'string') {
  console.error('usage: npm run calibrate:xray -- --real <dir|tar|list> --fake <dir|tar|list> [--n N] [--card path]');
  process.exit(2);
}
const n = numberFlag(flags, 'n', Infinity);
const cardPath = typeof flags.card === 'string' ? flags.card : 'models/xray.card.json';
const fprTarget = numberFlag(flags, 'fpr', 0.008);
const QUALITIES = [60, 75, 90];

/** Raw logits of every face, or null when no face was found. */
async function logits(image: RgbaImage): Promise<number[] | null> {
  const { faces } = await findFaces(image);
  if (!faces.length) return null;
  const out: number[] = [];
  for (const f of faces) out.push((await xrayFace(image, landmarks68(f))).logit);
  return out;
}

type Logits = { x: number[]; y: number[]; realByCondition: Record<string, number[]>; skipped: number };

/** Image-level (max over faces) logits: every real as uploaded and at each JPEG quality, every fake as given. */
async function computeLogits(): Promise<Logits> {
  const x: number[] = [], y: number[] = [];
  const realByCondition: Record<string, number[]> = {};
  const addReal = (condition: string, value: number) => {
    (realByCondition[condition] ??= []).push(value);
    x.push(value);
    y.push(0);
  };
  let skipped = 0;
  for (const entry of listImages(flags.real as string).slice(0, n)) {
    const image = await decodeImage(entry.bytes());
    const l = await logits(image);
    if (l) addReal('original', Math.max(...l)); else skipped++;
    for (const q of QUALITIES) {
      const lq = await logits(await decodeImage(await encodeJpeg(image, q)));
      if (lq) addReal(`q${q}`, Math.max(...lq));
    }
  }
  for (const entry of listImages(flags.fake as string).slice(0, n)) {
    const l = await logits(await decodeImage(entry.bytes()));
    if (l) { x.push(Math.max(...l)); y.push(1); } else skipped++;
  }
  return { x, y, realByCondition, skipped };
}

const cachePath = typeof flags.cache === 'string' ? flags.cache : undefined;
const cached = cachePath && existsSync(cachePath);
const { x, y, realByCondition, skipped } = cached ? (JSON.parse(readFileSync(cachePath, 'utf8')) as Logits) : await computeLogits();
if (cachePath && !cached) writeFileSync(cachePath, JSON.stringify({ x, y, realByCondition, skipped }));
const { a, b } = fitPlatt(x, y);
const prob = (v: number) => 1 / (1 + Math.exp(-(a * v + b)));
// Per condition, the lowest threshold with at most fprTarget of its reals at or above it; keep the strictest.
const thresholdFor = (values: number[]) => {
  const scores = values.map(prob).sort((p, q) => p - q);
  return scores[scores.length - 1 - Math.floor(fprTarget * scores.length)] + 1e-4;
};
const threshold = Math.min(0.999, Math.max(...Object.values(realByCondition).map(thresholdFor)));
const fprByCondition = Object.fromEntries(
  Object.entries(realByCondition).map(([k, v]) => [k, Math.round((v.map(prob).filter((s) => s >= threshold).length / v.length) * 1e4) / 1e4]),
);

const card = JSON.parse(readFileSync(cardPath, 'utf8'));
card.calibration = {
  method: 'Platt scaling of the raw logit: p = sigmoid(a·logit + b)',
  a: Math.round(a * 1e5) / 1e5,
  b: Math.round(b * 1e5) / 1e5,
  threshold: Math.round(threshold * 1e4) / 1e4,
  thresholdRule: `lowest threshold with ≤ ${fprTarget * 100} % false positives on real images (score = max over faces) as uploaded and after JPEG re-compression at each of q${QUALITIES.join(', q')}; the strictest condition sets it`,
  fittedOn: { realImages: listImages(flags.real).slice(0, n).length, fakeImages: listImages(flags.fake).slice(0, n).length, samples: x.length, noFaceSkipped: skipped, real: flags.real, fake: flags.fake },
  fprAtThresholdOnFit: fprByCondition,
  date: new Date().toISOString().slice(0, 10),
};
writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
writeCards();
console.log(JSON.stringify(card.calibration));

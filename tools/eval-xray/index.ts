/**
 * Face X-Ray detector evaluation through the same pipeline code the worker runs
 * (findFaces → xrayFace per face; image score = max over faces; no face → score 0, counted).
 *
 *   npm run eval:xray -- --real <dir|tar|list.txt> --fake <dir|tar|list.txt> [--n N] [--jpeg Q] [--threshold T] [--scorer module.ts]
 *                        [--scores out.jsonl]
 *
 * Prints AUC, AP, EER, TPR at 1 % FPR, FPR/TPR at the deployed threshold, mean latency and the number of
 * images without a face, ending with one JSON line.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeImage, encodeJpeg } from '../../src/image/index.js';
import type { Face, Point2 } from '../../src/pipeline/types.js';
import { numberFlag, parseArgs } from '../lib/args.js';
import { evaluate, formatReport, maxOverFaces, type FaceScorer } from './evaluate.js';
import { listImages } from './inputs.js';

const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.real !== 'string' || typeof flags.fake !== 'string') {
  console.error('usage: npm run eval:xray -- --real <dir|tar|list.txt> --fake <dir|tar|list.txt> [--n N] [--jpeg Q] [--threshold T]');
  process.exit(2);
}
const n = numberFlag(flags, 'n', Infinity);
const real = listImages(flags.real).slice(0, n);
const fake = listImages(flags.fake).slice(0, n);

// The scorer loads lazily so that nothing here needs a model at import time. Default: the worker's X-ray
// processor; --scorer <module> swaps in any module exporting `scoreFace: FaceScorer` (baselines, stubs).
const { findFaces } = await import('../../src/pipeline/faces.js');
const { MESH_TO_68 } = await import('../../src/processors/landmarker/mesh-indices.js');
const landmarks68 = (f: Face): Point2[] => MESH_TO_68.map((i) => [f.landmarks[i][0], f.landmarks[i][1]] as Point2); // = xray landmarks68
let scoreFace: FaceScorer;
let defaultThreshold = 0.5;
if (typeof flags.scorer === 'string') {
  scoreFace = (await import(/* @vite-ignore */ resolve(flags.scorer))).scoreFace;
} else {
  const xray = await import('../../src/processors/xray/index.js');
  const models = (await import('../../src/models.js')) as { XRAY?: { calibration?: { threshold?: number } } };
  if (!models.XRAY) throw new Error('src/models.ts has no XRAY entry yet (the X-ray model has not landed); use --scorer to evaluate another scorer');
  defaultThreshold = models.XRAY.calibration?.threshold ?? 0.5;
  scoreFace = (image, points) => xray.xrayFace(image, points);
}
const threshold = numberFlag(flags, 'threshold', defaultThreshold);
const scoreImage = maxOverFaces(async (image) => (await findFaces(image)).faces.map((f) => landmarks68(f)), scoreFace);
const report = await evaluate({
  real, fake, scoreImage, decode: decodeImage, threshold,
  jpeg: typeof flags.jpeg === 'string' ? { quality: numberFlag(flags, 'jpeg', 90), encode: encodeJpeg } : undefined,
  onProgress: (done, total) => { if (done % 100 === 0) console.error(`${done}/${total}`); },
});
// Per-image scores, for breaking the figures down by how each fake was made (synth's manifest.jsonl).
if (typeof flags.scores === 'string') {
  const names = [...real, ...fake].map((e) => e.name);
  writeFileSync(flags.scores, names.map((name, i) => JSON.stringify({ name, label: report.labels[i], score: report.scores[i], face: report.faceFound[i] })).join('\n') + '\n');
}
for (const line of formatReport(report)) console.log(line);

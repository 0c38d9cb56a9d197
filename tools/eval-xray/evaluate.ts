/**
 * Detector evaluation on real vs fake image sets. The scorer is injected: the CLI passes the worker's
 * findFaces → xrayFace; tests pass a stub. Images where no face is found score 0 (counted, reported).
 */
import { performance } from 'node:perf_hooks';
import type { Point2, RgbaImage } from '../../src/pipeline/types.js';
import {
  averagePrecision, equalErrorRate, fprAtThreshold, rocAuc, tprAtFpr, tprAtThreshold,
} from '../lib/metrics.js';
import type { ImageEntry } from './inputs.js';

/** Fake-probability of the whole image; null when it holds no face. */
export type ImageScorer = (image: RgbaImage) => Promise<number | null>;
export type FaceLocator = (image: RgbaImage) => Promise<Point2[][]>;
export type FaceScorer = (image: RgbaImage, points68: readonly Point2[]) => Promise<{ score: number }>;

/** Image score = highest face score (a forgery anywhere makes the image fake). */
export function maxOverFaces(locate: FaceLocator, score: FaceScorer): ImageScorer {
  return async (image) => {
    const faces = await locate(image);
    if (!faces.length) return null;
    let best = -Infinity;
    for (const points of faces) best = Math.max(best, (await score(image, points)).score);
    return best;
  };
}

export type EvalOptions = {
  real: ImageEntry[];
  fake: ImageEntry[];
  scoreImage: ImageScorer;
  decode: (bytes: Uint8Array) => Promise<RgbaImage>;
  /** Re-compress every image (both classes) at this JPEG quality before scoring. */
  jpeg?: { quality: number; encode: (image: RgbaImage, quality: number) => Promise<Uint8Array> };
  /** Decision threshold on the score (the deployed calibration's). */
  threshold: number;
  onProgress?: (done: number, total: number) => void;
};

export type EvalReport = {
  real: number;
  fake: number;
  auc: number;
  /** AUC over the images in which a face was found: the detector's own quality, apart from face finding's misses. */
  aucFaceFound: number;
  ap: number;
  eer: number;
  tprAtFpr1: number;
  threshold: number;
  fprAtThreshold: number;
  tprAtThreshold: number;
  meanLatencyMs: number;
  noFaceReal: number;
  noFaceFake: number;
  jpeg: number | null;
};

export async function evaluate(opts: EvalOptions): Promise<EvalReport & { scores: number[]; labels: number[]; faceFound: boolean[] }> {
  const scores: number[] = [], labels: number[] = [], faceFound: boolean[] = [];
  let latency = 0;
  const all: [ImageEntry, number][] = [...opts.real.map((e) => [e, 0] as [ImageEntry, number]), ...opts.fake.map((e) => [e, 1] as [ImageEntry, number])];
  for (const [entry, label] of all) {
    let image = await opts.decode(entry.bytes());
    if (opts.jpeg) image = await opts.decode(await opts.jpeg.encode(image, opts.jpeg.quality));
    const t0 = performance.now();
    const s = await opts.scoreImage(image);
    latency += performance.now() - t0;
    scores.push(s ?? 0);
    labels.push(label);
    faceFound.push(s !== null);
    opts.onProgress?.(scores.length, all.length);
  }
  const noFace = (label: number) => labels.filter((l, i) => l === label && !faceFound[i]).length;
  return {
    real: opts.real.length,
    fake: opts.fake.length,
    auc: rocAuc(scores, labels),
    aucFaceFound: rocAuc(scores.filter((_, i) => faceFound[i]), labels.filter((_, i) => faceFound[i])),
    ap: averagePrecision(scores, labels),
    eer: equalErrorRate(scores, labels),
    tprAtFpr1: tprAtFpr(scores, labels, 0.01),
    threshold: opts.threshold,
    fprAtThreshold: fprAtThreshold(scores, labels, opts.threshold),
    tprAtThreshold: tprAtThreshold(scores, labels, opts.threshold),
    meanLatencyMs: latency / all.length,
    noFaceReal: noFace(0),
    noFaceFake: noFace(1),
    jpeg: opts.jpeg?.quality ?? null,
    scores,
    labels,
    faceFound,
  };
}

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;

/** Human-readable lines, then ONE JSON line with the figures (scores left out). */
export function formatReport(r: EvalReport): string[] {
  return [
    `images: ${r.real} real, ${r.fake} fake${r.jpeg !== null ? `, re-compressed at JPEG q${r.jpeg}` : ''}`,
    `AUC ${pct(r.auc)}  AP ${pct(r.ap)}  EER ${pct(r.eer)}  TPR@1%FPR ${pct(r.tprAtFpr1)}`,
    `threshold ${r.threshold}: FPR ${pct(r.fprAtThreshold)}, TPR ${pct(r.tprAtThreshold)}`,
    `mean latency ${r.meanLatencyMs.toFixed(1)} ms/image (face finding + X-ray)`,
    `no face found: ${r.noFaceReal} real, ${r.noFaceFake} fake (scored 0); AUC over images with a face ${pct(r.aucFaceFound)}`,
    JSON.stringify({
      real: r.real, fake: r.fake, auc: r4(r.auc), aucFaceFound: r4(r.aucFaceFound), ap: r4(r.ap), eer: r4(r.eer), tprAtFpr1: r4(r.tprAtFpr1), threshold: r.threshold,
      fprAtThreshold: r4(r.fprAtThreshold), tprAtThreshold: r4(r.tprAtThreshold), meanLatencyMs: Math.round(r.meanLatencyMs * 10) / 10,
      noFaceReal: r.noFaceReal, noFaceFake: r.noFaceFake, jpeg: r.jpeg,
    }),
  ];
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

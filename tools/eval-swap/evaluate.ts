/**
 * Swap evaluation: N seeded source/target pairs → swap each with the chosen swapper → deliver it the way
 * /v1/swap does (watermark, JPEG q92, XMP) → measure on the delivered image:
 *   - identity: faceres embedding of the swapped face vs every distinct source (top-1 retrieval, cosine);
 *   - attributes: pose and 68-landmark errors against the target (findFaces on both);
 *   - detection: X-ray image score (scanImage: max face score) of swaps vs their untouched targets → AUC;
 *   - provenance: provenanceOf on the delivered bytes (XMP or watermark) and on the pixels alone (watermark).
 */
import { performance } from 'node:perf_hooks';
import type { ModelSource } from '../../src/backends/types.js';
import { decodeImage, encodeJpeg } from '../../src/image/index.js';
import { findFaces } from '../../src/pipeline/faces.js';
import { scanImage } from '../../src/pipeline/scan.js';
import type { Face, RgbaImage } from '../../src/pipeline/types.js';
import { points68, type Swapper } from '../../src/processors/swapper/index.js';
import { detectWatermark, markProvenance, provenanceOf, withXmp } from '../../src/provenance/index.js';
import type { ImageEntry } from '../eval-xray/inputs.js';
import { percentile } from '../lib/args.js';
import { rocAuc } from '../lib/metrics.js';
import { embedFace } from './faceres.js';
import { boxIou, landmarkErrorPct, poseError } from './geometry.js';
import { makePairs } from './pairs.js';
import { centre, cosine, retrievalTop1 } from './retrieval.js';

/** /v1/swap's JPEG quality (src/routes/swap.ts). */
export const ROUTE_JPEG_QUALITY = 92;
/** A face found in the swap counts as the swapped face when its box overlaps the target face's this much. */
const MIN_IOU = 0.3;

export type SwapEvalOptions = {
  faces: ImageEntry[];
  pairs: number;
  seed: number;
  swapper: Swapper;
  faceres: ModelSource;
  onProgress?: (done: number, total: number) => void;
};

export type SwapEvalReport = {
  model: string;
  pairs: number;
  evaluated: number;
  facesUsed: number;
  seed: number;
  noFace: { source: number; target: number; swap: number };
  identity: { top1: number; top1Centred: number; gallery: number; meanCosSource: number; meanCosTarget: number; targetTop1: number };
  pose: { yaw: number; pitch: number; roll: number; mean: number; n: number };
  landmarkErrorPct: { mean: number; median: number; n: number };
  xray: { auc: number; aucFaceFound: number; swaps: number; targets: number; meanSwap: number; meanTarget: number; noFaceSwap: number; noFaceTarget: number };
  provenance: { file: number; pixels: number; targetsFlagged: number; of: number };
  latencyMs: { swapMean: number; swapMedian: number };
};

type Loaded = { image: RgbaImage; face: Face | null };

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

export async function runSwapEval(o: SwapEvalOptions): Promise<SwapEvalReport> {
  const faces = o.faces.slice(0, Math.min(o.faces.length, 2 * o.pairs));
  const pairs = makePairs(faces.length, o.pairs, o.seed);
  const cache = new Map<number, Promise<Loaded>>();
  const load = (i: number) => {
    let p = cache.get(i);
    if (!p) {
      p = (async () => {
        const image = await decodeImage(faces[i].bytes());
        return { image, face: (await findFaces(image)).faces[0] ?? null }; // largest face
      })();
      cache.set(i, p);
    }
    return p;
  };
  const embeddings = new Map<number, Float32Array>();
  const embedOf = async (i: number) => {
    let e = embeddings.get(i);
    if (!e) { const l = await load(i); e = await embedFace(o.faceres, l.image, l.face!.box); embeddings.set(i, e); }
    return e;
  };

  const noFace = { source: 0, target: 0, swap: 0 };
  const swapLatency: number[] = [];
  const probes: Float32Array[] = [], probeSource: number[] = [], probeTarget: number[] = [];
  const poses: ReturnType<typeof poseError>[] = [];
  const lmErr: number[] = [];
  const swapScores: number[] = [];
  let xrayNoFaceSwap = 0;
  const swapFaceFound: boolean[] = [];
  const prov = { file: 0, pixels: 0 };
  const targetsUsed = new Set<number>();

  for (let k = 0; k < pairs.length; k++) {
    const { source, target } = pairs[k];
    const s = await load(source), t = await load(target);
    if (!s.face) noFace.source++;
    if (!t.face) noFace.target++;
    if (!s.face || !t.face) { o.onProgress?.(k + 1, pairs.length); continue; }
    targetsUsed.add(target);

    const t0 = performance.now();
    const swapped = await o.swapper.swap(s.image, s.face, t.image, t.face);
    swapLatency.push(performance.now() - t0);

    const bytes = withXmp(await encodeJpeg(markProvenance(swapped), ROUTE_JPEG_QUALITY), 'jpeg');
    const delivered = await decodeImage(bytes);
    if (provenanceOf(bytes, delivered) === 'seamline') prov.file++;
    if (detectWatermark(delivered).present) prov.pixels++;

    const found = (await findFaces(delivered)).faces
      .map((f) => ({ f, iou: boxIou(f.box, t.face!.box) }))
      .sort((a, b) => b.iou - a.iou)[0];
    const swapFace = found && found.iou >= MIN_IOU ? found.f : null;
    if (!swapFace) noFace.swap++;
    else {
      poses.push(poseError(swapFace.pose, t.face.pose));
      lmErr.push(landmarkErrorPct(points68(swapFace), points68(t.face)));
    }
    // Identity: the swapped face's crop (the target's box when the swap's face was not found: same place).
    probes.push(await embedFace(o.faceres, delivered, (swapFace ?? t.face).box));
    probeSource.push(source);
    probeTarget.push(target);
    await embedOf(source);
    await embedOf(target);

    const scan = await scanImage(delivered);
    if (scan.score === null) xrayNoFaceSwap++;
    swapScores.push(scan.score ?? 0);
    swapFaceFound.push(scan.score !== null);
    o.onProgress?.(k + 1, pairs.length);
  }
  if (!probes.length) throw new Error('no pair had a face in both source and target');

  // Gallery: every distinct source face (FF++ protocol); also the targets, to see how much target identity remains.
  const sourceIds = [...new Set(probeSource)], targetIds = [...targetsUsed];
  const gallery = sourceIds.map((i) => embeddings.get(i)!);
  const truth = probeSource.map((i) => sourceIds.indexOf(i));
  const raw = retrievalTop1(probes, gallery, truth);
  const centred = retrievalTop1(centre(probes, [...probes, ...gallery]), centre(gallery, [...probes, ...gallery]), truth);
  const targetGallery = targetIds.map((i) => embeddings.get(i)!);
  const toTarget = retrievalTop1(probes, targetGallery, probeTarget.map((i) => targetIds.indexOf(i)));

  const targetScores: number[] = [], targetFaceFound: boolean[] = [];
  let xrayNoFaceTarget = 0, targetsFlagged = 0;
  for (const i of targetIds) {
    const l = await load(i);
    const scan = await scanImage(l.image);
    if (scan.score === null) xrayNoFaceTarget++;
    targetScores.push(scan.score ?? 0);
    targetFaceFound.push(scan.score !== null);
    if (provenanceOf(faces[i].bytes(), l.image) === 'seamline') targetsFlagged++;
  }

  return {
    model: o.swapper.name,
    pairs: pairs.length,
    evaluated: probes.length,
    facesUsed: faces.length,
    seed: o.seed,
    noFace,
    identity: {
      top1: raw.top1,
      top1Centred: centred.top1,
      gallery: gallery.length,
      meanCosSource: raw.meanTrueCosine,
      meanCosTarget: mean(probes.map((p, k) => cosine(p, embeddings.get(probeTarget[k])!))),
      targetTop1: toTarget.top1,
    },
    pose: {
      yaw: mean(poses.map((p) => p.yaw)), pitch: mean(poses.map((p) => p.pitch)), roll: mean(poses.map((p) => p.roll)),
      mean: mean(poses.map((p) => p.mean)), n: poses.length,
    },
    landmarkErrorPct: { mean: mean(lmErr), median: percentile(lmErr, 50), n: lmErr.length },
    xray: {
      auc: rocAuc([...swapScores, ...targetScores], [...swapScores.map(() => 1), ...targetScores.map(() => 0)]),
      aucFaceFound: aucWhere([...swapScores, ...targetScores], [...swapScores.map(() => 1), ...targetScores.map(() => 0)], [...swapFaceFound, ...targetFaceFound]),
      swaps: swapScores.length, targets: targetScores.length,
      meanSwap: mean(swapScores), meanTarget: mean(targetScores), noFaceSwap: xrayNoFaceSwap, noFaceTarget: xrayNoFaceTarget,
    },
    provenance: { file: prov.file, pixels: prov.pixels, targetsFlagged, of: probes.length },
    latencyMs: { swapMean: mean(swapLatency), swapMedian: percentile(swapLatency, 50) },
  };
}

/** AUC over the images where X-ray found a face (NaN when a class is empty). */
function aucWhere(scores: number[], labels: number[], keep: boolean[]): number {
  const s = scores.filter((_, i) => keep[i]), l = labels.filter((_, i) => keep[i]);
  return l.includes(0) && l.includes(1) ? rocAuc(s, l) : NaN;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const r4 = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);

/** Human-readable lines, then ONE JSON line with the figures. */
export function formatSwapReport(r: SwapEvalReport): string[] {
  const round = (x: unknown): unknown =>
    typeof x === 'number' ? r4(x) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)])) : x;
  return [
    `model ${r.model}: ${r.pairs} pairs from ${r.facesUsed} faces (seed ${r.seed}); ${r.evaluated} evaluated`,
    `faces not found: ${r.noFace.source} source, ${r.noFace.target} target (pair skipped), ${r.noFace.swap} swapped (no pose/landmarks; identity crop = target box)`,
    `ID retrieval top-1 (faceres, cosine, gallery ${r.identity.gallery} sources): ${pct(r.identity.top1)}  (centred embeddings ${pct(r.identity.top1Centred)})`,
    `  mean cosine swap↔source ${f2(r.identity.meanCosSource)}, swap↔target ${f2(r.identity.meanCosTarget)}; swap retrieves its own target among targets: ${pct(r.identity.targetTop1)}`,
    `pose error vs target (n=${r.pose.n}): yaw ${f2(r.pose.yaw)}°, pitch ${f2(r.pose.pitch)}°, roll ${f2(r.pose.roll)}°, mean ${f2(r.pose.mean)}°`,
    `landmark error vs target (68 pts, similarity-normalised, % inter-ocular; n=${r.landmarkErrorPct.n}): mean ${f2(r.landmarkErrorPct.mean)} %, median ${f2(r.landmarkErrorPct.median)} %`,
    `X-ray AUC swaps vs untouched targets (pixels only): ${pct(r.xray.auc)}, over images with a face ${pct(r.xray.aucFaceFound)} (${r.xray.swaps} swaps, ${r.xray.targets} targets; mean score ${f2(r.xray.meanSwap)} vs ${f2(r.xray.meanTarget)}; no face: ${r.xray.noFaceSwap} swaps, ${r.xray.noFaceTarget} targets, scored 0)`,
    `provenance: ${r.provenance.file}/${r.provenance.of} delivered swaps (XMP or watermark), ${r.provenance.pixels}/${r.provenance.of} by watermark alone; targets flagged: ${r.provenance.targetsFlagged}`,
    `latency: ${f2(r.latencyMs.swapMean)} ms/swap mean, ${f2(r.latencyMs.swapMedian)} ms median (swapper.swap only)`,
    JSON.stringify(round(r)),
  ];
}

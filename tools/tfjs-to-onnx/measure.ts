/** Accuracy measurements of a storage variant against the fp32 conversion (and fp32 against tfjs). */
import type { AccuracyKind, ModelSpec } from './models.js';

export type Outputs = Record<string, Float32Array>;

export interface DiffStats {
  maxAbs: number;
  meanAbs: number;
}

export function diffStats(ref: Float32Array[], test: Float32Array[]): DiffStats {
  let max = 0, sum = 0, n = 0;
  ref.forEach((r, k) => {
    const t = test[k];
    if (r.length !== t.length) throw new Error(`length mismatch ${r.length} vs ${t.length}`);
    for (let i = 0; i < r.length; i++) {
      const d = Math.abs(r[i] - t[i]);
      if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
      sum += d;
    }
    n += r.length;
  });
  return { maxAbs: max, meanAbs: n ? sum / n : 0 };
}

/** Per-output max/mean |Δ| across a list of runs. */
export function outputDiffs(ref: Outputs[], test: Outputs[]): Record<string, DiffStats> {
  return Object.fromEntries(Object.keys(ref[0]).map((k) => [k, diffStats(ref.map((o) => o[k]), test.map((o) => o[k]))]));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) (ab += a[i] * b[i]), (aa += a[i] * a[i]), (bb += b[i] * b[i]);
  return ab / Math.sqrt(aa * bb);
}

/** Task-level error of `test` vs `ref` on real faces; see ACCEPT for the thresholds. */
export function domainMetrics(kind: AccuracyKind, ref: Outputs[], test: Outputs[]): Record<string, number> {
  if (kind === 'detector') {
    let kpMax = 0, kpSum = 0, boxMax = 0, scoreMax = 0, n = 0;
    ref.forEach((r, f) => {
      const t = test[f];
      const logits = [...r.logits_stride16, ...r.logits_stride32];
      const best = logits.indexOf(Math.max(...logits));
      const regR = best < 512 ? r.regressors_stride16.subarray(best * 16, best * 16 + 16) : r.regressors_stride32.subarray((best - 512) * 16, (best - 512) * 16 + 16);
      const regT = best < 512 ? t.regressors_stride16.subarray(best * 16, best * 16 + 16) : t.regressors_stride32.subarray((best - 512) * 16, (best - 512) * 16 + 16);
      const lt = best < 512 ? t.logits_stride16[best] : t.logits_stride32[best - 512];
      for (let i = 0; i < 16; i++) {
        const d = Math.abs(regR[i] - regT[i]);
        if (i < 4) boxMax = Math.max(boxMax, d);
        else (kpMax = Math.max(kpMax, d)), (kpSum += d), n++;
      }
      scoreMax = Math.max(scoreMax, Math.abs(sigmoid(logits[best]) - sigmoid(lt)));
    });
    return { keypointMaxPx: kpMax, keypointMeanPx: kpSum / n, boxMaxPx: boxMax, bestScoreMaxAbs: scoreMax };
  }
  if (kind === 'mesh') {
    const mesh = diffStats(ref.map((o) => o.output_mesh), test.map((o) => o.output_mesh));
    const flag = diffStats(ref.map((o) => o.output_faceflag), test.map((o) => o.output_faceflag));
    return { meshMaxPx: mesh.maxAbs, meshMeanPx: mesh.meanAbs, faceflagMaxAbs: flag.maxAbs };
  }
  const cos = ref.map((r, f) => cosine(r.embedding, test[f].embedding));
  const out: Record<string, number> = { embeddingCosineMin: Math.min(...cos), embeddingCosineMean: cos.reduce((a, b) => a + b, 0) / cos.length };
  if (ref[0].age) {
    const argmax = (a: Float32Array) => a.indexOf(Math.max(...a));
    out.ageArgmaxAgreement = ref.filter((r, f) => argmax(r.age) === argmax(test[f].age)).length / ref.length;
    out.genderMaxAbs = diffStats(ref.map((o) => o.gender), test.map((o) => o.gender)).maxAbs;
  }
  return out;
}

/** A variant is kept only if its task-level error stays inside these bounds (vs fp32, real faces). */
export const ACCEPT: Record<AccuracyKind, { describe: string; ok: (m: Record<string, number>) => boolean; badness: (m: Record<string, number>) => number }> = {
  detector: {
    describe: 'best-anchor keypoint and box error ≤ 0.5 px at 256 input, best-score error ≤ 0.01',
    ok: (m) => m.keypointMaxPx <= 0.5 && m.boxMaxPx <= 0.5 && m.bestScoreMaxAbs <= 0.01,
    badness: (m) => Math.max(m.keypointMaxPx / 0.5, m.boxMaxPx / 0.5, m.bestScoreMaxAbs / 0.01),
  },
  mesh: {
    describe: 'mesh error (x, y, z) ≤ 0.5 px at 192 input, faceflag error ≤ 0.01',
    ok: (m) => m.meshMaxPx <= 0.5 && m.faceflagMaxAbs <= 0.01,
    badness: (m) => Math.max(m.meshMaxPx / 0.5, m.faceflagMaxAbs / 0.01),
  },
  embedding: {
    describe: 'cosine similarity to the fp32 embedding ≥ 0.999 on every face',
    ok: (m) => m.embeddingCosineMin >= 0.999,
    badness: (m) => (1 - m.embeddingCosineMin) / 0.001,
  },
};

export function acceptance(spec: ModelSpec) {
  return ACCEPT[spec.accuracy];
}

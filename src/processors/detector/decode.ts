import type { Anchor } from './anchors.js';
import type { Candidate } from './nms.js';

/** Raw BlazeFace regressors (16 per anchor: cx, cy, w, h, then 6 key points) to boxes in input-normalised units. */
export function decodeCandidates(
  regressors: Float32Array,
  logits: Float32Array,
  anchors: Anchor[],
  inputSize: number,
  minScore: number,
): Candidate[] {
  const out: Candidate[] = [];
  const minLogit = Math.log(minScore / (1 - minScore));
  for (let i = 0; i < anchors.length; i++) {
    const logit = logits[i];
    if (!(logit >= minLogit)) continue;
    const score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, logit))));
    const r = i * 16;
    const a = anchors[i];
    const cx = regressors[r] / inputSize + a.x;
    const cy = regressors[r + 1] / inputSize + a.y;
    const w = regressors[r + 2] / inputSize;
    const h = regressors[r + 3] / inputSize;
    if (!(w > 0 && h > 0)) continue;
    const points: number[] = [];
    for (let k = 0; k < 6; k++) {
      points.push(regressors[r + 4 + 2 * k] / inputSize + a.x, regressors[r + 5 + 2 * k] / inputSize + a.y);
    }
    out.push({ score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], points });
  }
  return out;
}

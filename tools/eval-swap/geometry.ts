/**
 * Attribute-preservation errors of a swap against its target: head pose (degrees) and the 68 iBUG
 * landmarks after a least-squares similarity alignment of the swap's points onto the target's,
 * in % of the target's inter-ocular distance (outer eye corners 36–45, the 300-W normalisation).
 */
import { applyAffine, estimateSimilarity } from '../../src/pipeline/align.js';
import type { HeadPose, Point2 } from '../../src/pipeline/types.js';

export function poseError(a: HeadPose, b: HeadPose): { yaw: number; pitch: number; roll: number; mean: number } {
  const wrap = (d: number) => Math.abs(((d + 540) % 360) - 180);
  const yaw = wrap(a.yaw - b.yaw), pitch = wrap(a.pitch - b.pitch), roll = wrap(a.roll - b.roll);
  return { yaw, pitch, roll, mean: (yaw + pitch + roll) / 3 };
}

export function landmarkErrorPct(swapped68: readonly Point2[], target68: readonly Point2[]): number {
  if (swapped68.length !== 68 || target68.length !== 68) throw new RangeError('landmarkErrorPct: need 68 points each');
  const m = estimateSimilarity(swapped68, target68);
  const iod = Math.hypot(target68[45][0] - target68[36][0], target68[45][1] - target68[36][1]);
  if (!(iod > 0)) throw new RangeError('landmarkErrorPct: degenerate inter-ocular distance');
  let sum = 0;
  for (let i = 0; i < 68; i++) {
    const [x, y] = applyAffine(m, swapped68[i]);
    sum += Math.hypot(x - target68[i][0], y - target68[i][1]);
  }
  return (100 * sum) / 68 / iod;
}

/** Intersection over union of two boxes {x, y, width, height}. */
export function boxIou(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * @module pipeline/blend/bi
 * Face X-Ray blended images (Li et al. 2020): partner search by landmark shape and partner alignment.
 * Shapes are compared after normalising each by its own least-squares similarity to the mean face
 * (training/xray/landmarks.py `normalise_shapes` / `nearest_neighbours`).
 */
import { estimateSimilarity, invertAffine } from '../align';
import { kernels } from '../../wasm/kernels';
import type { Point2, RgbaImage } from '../types';
import { MEAN_FACE_68 } from './mean-shape';

const MEAN = (() => {
  let mx = 0, my = 0;
  for (const [x, y] of MEAN_FACE_68) { mx += x / 68; my += y / 68; }
  let norm = 0;
  for (const [x, y] of MEAN_FACE_68) norm += (x - mx) ** 2 + (y - my) ** 2;
  norm = Math.sqrt(norm);
  return MEAN_FACE_68.map(([x, y]) => [(x - mx) / norm, (y - my) / norm] as Point2);
})();

/** 136 numbers: the shape aligned (rotation, scale, translation) to the centred unit-norm mean face. */
export function normaliseShape(points68: readonly Point2[]): Float64Array {
  const a = estimateSimilarity(points68, MEAN);
  const out = new Float64Array(136);
  points68.forEach(([x, y], i) => {
    out[2 * i] = a[0] * x + a[1] * y + a[2];
    out[2 * i + 1] = a[3] * x + a[4] * y + a[5];
  });
  return out;
}

/**
 * Indices of the k nearest other shapes for each shape (Euclidean distance of normalised shapes),
 * optionally restricted by `allowed(i, j)`. Ties keep the lower index first.
 */
export function nearestNeighbours(shapes: readonly Float64Array[], k: number, allowed?: (i: number, j: number) => boolean): number[][] {
  return shapes.map((a, i) => {
    const cand: [number, number][] = [];
    shapes.forEach((b, j) => {
      if (j === i || (allowed && !allowed(i, j))) return;
      let d = 0;
      for (let t = 0; t < a.length; t++) d += (a[t] - b[t]) ** 2;
      cand.push([d, j]);
    });
    cand.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    return cand.slice(0, k).map(([, j]) => j);
  });
}

/**
 * The partner image warped onto the target's frame by the least-squares similarity partner → target
 * landmarks (transparent black outside the partner image).
 * @example
 * const donor = alignPartner(partner, partnerPoints68, targetPoints68, target.width, target.height);
 */
export function alignPartner(partner: RgbaImage, partnerPoints: readonly Point2[], targetPoints: readonly Point2[], width: number, height: number): RgbaImage {
  const partnerToTarget = estimateSimilarity(partnerPoints, targetPoints);
  return kernels.warpAffine(partner, invertAffine(partnerToTarget), width, height);
}

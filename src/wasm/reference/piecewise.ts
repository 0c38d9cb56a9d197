/** Reference warpTriangles (see assembly/piecewise.ts). */
import type { Point2, RgbaImage } from '../../pipeline/types';
import { TRIANGLE_STRIDE, checkImage, checkSize, newImage, round8, triangleSpan, triangleWarpParams, type Triangle } from '../kernel-math';
import { sampleRgba } from './sample';

export function warpTriangles(
  src: RgbaImage, srcPoints: readonly Point2[], dstPoints: readonly Point2[], triangles: readonly Triangle[], width: number, height: number,
): RgbaImage {
  checkImage(src, 'warpTriangles src');
  checkSize(width, height);
  const params = triangleWarpParams(srcPoints, dstPoints, triangles, width, height);
  const out = newImage(width, height);
  const px = new Float64Array(4);
  for (let t = 0; t < params.length / TRIANGLE_STRIDE; t++) {
    const o = t * TRIANGLE_STRIDE;
    const [a, b, c, d, e, f] = params.subarray(o, o + 6);
    for (let y = params[o + 15]; y < params[o + 16]; y++) {
      const yc = y + 0.5;
      const [x0, x1] = triangleSpan(params, t, yc, width);
      for (let x = x0; x <= x1; x++) {
        const xc = x + 0.5;
        sampleRgba(src.data, src.width, src.height, a * xc + b * yc + c - 0.5, d * xc + e * yc + f - 0.5, false, px);
        const p = (y * width + x) * 4;
        for (let k = 0; k < 4; k++) out.data[p + k] = round8(px[k]);
      }
    }
  }
  return out;
}

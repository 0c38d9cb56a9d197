/** Reference alphaBlend / featherMask / erodeDilate / fillPolygon (see assembly/blend.ts). */
import type { Point2, RgbaImage } from '../../pipeline/types';
import { checkImage, checkMask, checkSize, gaussianWeights, newImage, polygonEdges, round8 } from '../kernel-math';
import type { BlendResult, PolygonOptions } from '../types';

const clamp01 = (m: number) => (m > 0 ? (m < 1 ? m : 1) : 0);

export function alphaBlend(fg: RgbaImage, bg: RgbaImage, mask: Float32Array): BlendResult {
  checkImage(fg, 'alphaBlend foreground');
  checkImage(bg, 'alphaBlend background');
  if (fg.width !== bg.width || fg.height !== bg.height) throw new RangeError('alphaBlend: images differ in size');
  checkMask(mask, fg.width, fg.height);
  const n = fg.width * fg.height;
  const image = newImage(fg.width, fg.height);
  const boundary = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = clamp01(mask[i]);
    for (let c = 0; c < 4; c++) {
      const b = bg.data[i * 4 + c];
      image.data[i * 4 + c] = round8(b + m * (fg.data[i * 4 + c] - b));
    }
    boundary[i] = 4 * m * (1 - m);
  }
  return { image, boundary };
}

type Op = (acc: number, v: number, w: number, first: boolean) => number;
const weighted: Op = (acc, v, w, first) => (first ? v * w : acc + v * w);
const maxOp: Op = (acc, v, _w, first) => (first ? v : Math.max(acc, v));
const minOp: Op = (acc, v, _w, first) => (first ? v : Math.min(acc, v));

/** Separable filter with replicate border: horizontal pass, then vertical. */
function separable(src: Float32Array, w: number, h: number, weights: Float32Array, op: Op): Float32Array {
  const r = (weights.length - 1) / 2;
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = 0; k < weights.length; k++) {
        const sx = Math.min(w - 1, Math.max(0, x + k - r));
        acc = op(acc, src[y * w + sx], weights[k], k === 0);
      }
      tmp[y * w + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = 0; k < weights.length; k++) {
        const sy = Math.min(h - 1, Math.max(0, y + k - r));
        acc = op(acc, tmp[sy * w + x], weights[k], k === 0);
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

export function featherMask(mask: Float32Array, width: number, height: number, sigma: number): Float32Array {
  checkMask(mask, width, height);
  return separable(mask, width, height, gaussianWeights(sigma), weighted);
}

export function erodeDilate(mask: Float32Array, width: number, height: number, k: number): Float32Array {
  checkMask(mask, width, height);
  const r = Math.round(Math.abs(k));
  if (r === 0) return new Float32Array(mask);
  return separable(mask, width, height, new Float32Array(2 * r + 1), k > 0 ? maxOp : minOp);
}

export function fillPolygon(width: number, height: number, points: readonly Point2[], options: PolygonOptions = {}): Float32Array {
  checkSize(width, height);
  const edges = polygonEdges(points);
  const aa = options.antialias !== false;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let d = Infinity;
      for (let i = 0; i < edges.length; i += 3) d = Math.min(d, edges[i] * (x + 0.5) + edges[i + 1] * (y + 0.5) + edges[i + 2]);
      out[y * width + x] = aa ? clamp01(d + 0.5) : d >= 0 ? 1 : 0;
    }
  }
  return out;
}

/**
 * @module pipeline/blend/enhance
 * 8-bit image adjustments with PIL semantics (what training/xray uses): ImageEnhance Color / Contrast /
 * Brightness, a per-channel shift, the SHARPEN filter blended in, and antialiased bilinear resizing
 * (PIL `resize(..., BILINEAR)`: triangle filter whose support widens when shrinking). Alpha is copied.
 */
import type { RgbaImage } from '../types';

const luma = (d: Uint8ClampedArray, k: number) => Math.round((d[k] * 299 + d[k + 1] * 587 + d[k + 2] * 114) / 1000);
const copy = (img: RgbaImage): RgbaImage => ({ width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) });

export type ColorJitter = { saturation: number; contrast: number; brightness: number; shift: readonly [number, number, number] };

/** Saturation, contrast, brightness, then the shift, each rounded and clipped to 8 bits (PIL order). */
export function adjustColor(img: RgbaImage, j: ColorJitter): RgbaImage {
  const out = copy(img);
  const d = out.data;
  for (let k = 0; k < d.length; k += 4) {
    const l = luma(d, k);
    for (let c = 0; c < 3; c++) d[k + c] = Math.round(l + j.saturation * (d[k + c] - l));
  }
  let sum = 0;
  for (let k = 0; k < d.length; k += 4) sum += luma(d, k);
  const mean = Math.round(sum / (d.length / 4));
  for (let k = 0; k < d.length; k += 4) {
    for (let c = 0; c < 3; c++) d[k + c] = Math.round(mean + j.contrast * (d[k + c] - mean));
    for (let c = 0; c < 3; c++) d[k + c] = Math.round(j.brightness * d[k + c]);
    for (let c = 0; c < 3; c++) d[k + c] = Math.round(d[k + c] + j.shift[c]);
  }
  return out;
}

/** PIL ImageFilter.SHARPEN (3×3, centre 32, others −2, /16; border pixels kept) blended in by `amount`. */
export function sharpen(img: RgbaImage, amount: number): RgbaImage {
  const { width: w, height: h, data: s } = img;
  const out = copy(img);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let c = 0; c < 3; c++) {
        const k = (y * w + x) * 4 + c;
        let ring = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy) ring += s[k + (dy * w + dx) * 4];
        const sharp = Math.min(255, Math.max(0, Math.round((32 * s[k] - 2 * ring) / 16)));
        out.data[k] = Math.round(s[k] + amount * (sharp - s[k]));
      }
    }
  }
  return out;
}

function coefficients(inSize: number, outSize: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = inSize / outSize, filterScale = Math.max(scale, 1), support = filterScale;
  const start = new Int32Array(outSize), weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support + 0.5)), hi = Math.min(inSize, Math.floor(centre + support + 0.5));
    const w = new Float64Array(hi - lo);
    let total = 0;
    for (let i = lo; i < hi; i++) total += w[i - lo] = Math.max(0, 1 - Math.abs((i - centre + 0.5) / filterScale));
    for (let i = 0; i < w.length; i++) w[i] = total > 0 ? w[i] / total : 0;
    start[o] = lo;
    weights.push(w);
  }
  return { start, weights };
}

/** Antialiased bilinear resize to width × height (8-bit rounding after each pass, as PIL). */
export function resizeBilinear(img: RgbaImage, width: number, height: number): RgbaImage {
  const cx = coefficients(img.width, width), cy = coefficients(img.height, height);
  const tmp = new Uint8ClampedArray(width * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      const w = cx.weights[x], s = cx.start[x];
      for (let c = 0; c < 4; c++) {
        let acc = 0;
        for (let i = 0; i < w.length; i++) acc += w[i] * img.data[(y * img.width + s + i) * 4 + c];
        tmp[(y * width + x) * 4 + c] = Math.round(acc);
      }
    }
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const w = cy.weights[y], s = cy.start[y];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let acc = 0;
        for (let i = 0; i < w.length; i++) acc += w[i] * tmp[((s + i) * width + x) * 4 + c];
        out[(y * width + x) * 4 + c] = Math.round(acc);
      }
    }
  }
  return { width, height, data: out };
}

/** Down- then up-sampled copy (loses detail like a low-resolution source). */
export function degradeResolution(img: RgbaImage, width: number, height: number): RgbaImage {
  return resizeBilinear(resizeBilinear(img, width, height), img.width, img.height);
}

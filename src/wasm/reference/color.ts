/** Reference Reinhard colour transfer in CIELAB (exact pow / cbrt; see assembly/color.ts). */
import type { RgbaImage } from '../../pipeline/types';
import {
  LAB_DELTA, LAB_EPS, LAB_KAPPA, RGB_FROM_XYZN, XYZN_FROM_RGB, apply3, checkImage, checkMask, colorTransferAffine,
  linearToSrgb, round8, srgbToLinear, type LabSums,
} from '../kernel-math';
import type { ColorTransferOptions } from '../types';

const DECODE = Float64Array.from({ length: 256 }, (_, i) => srgbToLinear(i / 255));

function companded(data: Uint8ClampedArray, i: number): number[] {
  const t = apply3(XYZN_FROM_RGB, [DECODE[data[i]], DECODE[data[i + 1]], DECODE[data[i + 2]]]);
  return t.map((v) => (v > LAB_EPS ? Math.cbrt(v) : (LAB_KAPPA * v + 16) / 116));
}

function labSums(img: RgbaImage, mask: Float32Array | undefined): LabSums {
  const s: LabSums = { w: 0, sum: [0, 0, 0], sq: [0, 0, 0] };
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    let m = 1;
    if (mask) {
      m = mask[i];
      if (!(m > 0)) continue;
      if (m > 1) m = 1;
    }
    const [fx, fy, fz] = companded(img.data, i * 4);
    const lab = [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
    for (let c = 0; c < 3; c++) {
      s.sum[c] += m * lab[c];
      s.sq[c] += m * lab[c] * lab[c];
    }
    s.w += m;
  }
  return s;
}

export function colorTransfer(source: RgbaImage, reference: RgbaImage, options: ColorTransferOptions = {}): RgbaImage {
  checkImage(source, 'colorTransfer source');
  checkImage(reference, 'colorTransfer reference');
  if (options.sourceMask) checkMask(options.sourceMask, source.width, source.height, 'sourceMask');
  if (options.referenceMask) checkMask(options.referenceMask, reference.width, reference.height, 'referenceMask');
  const { matrix, offset } = colorTransferAffine(
    labSums(source, options.sourceMask), labSums(reference, options.referenceMask), options.strength ?? 1,
  );
  const out: RgbaImage = { width: source.width, height: source.height, data: new Uint8ClampedArray(source.data) };
  const n = source.width * source.height;
  for (let i = 0; i < n; i++) {
    const f = apply3(matrix, companded(source.data, i * 4)).map((v, c) => v + offset[c]);
    const t = f.map((v) => (v > LAB_DELTA ? v * v * v : (116 * v - 16) / LAB_KAPPA));
    const lin = apply3(RGB_FROM_XYZN, t);
    for (let c = 0; c < 3; c++) out.data[i * 4 + c] = round8(255 * linearToSrgb(Math.min(1, Math.max(0, lin[c]))));
  }
  return out;
}

/** Reference warpAffine / pasteBack (see assembly/warp.ts). */
import type { Affine } from '../../pipeline/align';
import type { RgbaImage } from '../../pipeline/types';
import { checkAffine, checkReach, checkImage, checkMask, checkSize, newImage, projectedBox, round8 } from '../kernel-math';
import type { WarpOptions } from '../types';
import { sampleF32, sampleRgba } from './sample';

export function warpAffine(src: RgbaImage, m: Affine, width: number, height: number, options: WarpOptions = {}): RgbaImage {
  checkImage(src, 'warpAffine src');
  checkSize(width, height);
  checkAffine(m);
  checkReach(m, 0, 0, width, height);
  const out = newImage(width, height);
  const px = new Float64Array(4);
  const replicate = options.border === 'replicate';
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      const xc = x + 0.5, yc = y + 0.5;
      sampleRgba(src.data, src.width, src.height, m[0] * xc + m[1] * yc + m[2] - 0.5, m[3] * xc + m[4] * yc + m[5] - 0.5, replicate, px);
      for (let c = 0; c < 4; c++) out.data[o + c] = round8(px[c]);
    }
  }
  return out;
}

export function pasteBack(dst: RgbaImage, crop: RgbaImage, mask: Float32Array, cropToImage: Affine): RgbaImage {
  checkImage(dst, 'pasteBack dst');
  checkImage(crop, 'pasteBack crop');
  checkMask(mask, crop.width, crop.height);
  checkAffine(cropToImage);
  const out: RgbaImage = { width: dst.width, height: dst.height, data: new Uint8ClampedArray(dst.data) };
  const { x0, y0, x1, y1, inverse: m } = projectedBox(cropToImage, crop.width, crop.height, dst.width, dst.height);
  checkReach(m, x0, y0, x1, y1);
  const fg = new Float64Array(4);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const xc = x + 0.5, yc = y + 0.5;
      const u = m[0] * xc + m[1] * yc + m[2], v = m[3] * xc + m[4] * yc + m[5];
      if (u < 0 || v < 0 || u >= crop.width || v >= crop.height) continue;
      let a = sampleF32(mask, crop.width, crop.height, u - 0.5, v - 0.5);
      if (!(a > 0)) continue;
      if (a > 1) a = 1;
      sampleRgba(crop.data, crop.width, crop.height, u - 0.5, v - 0.5, true, fg);
      const o = (y * dst.width + x) * 4;
      for (let c = 0; c < 4; c++) out.data[o + c] = round8(out.data[o + c] + a * (fg[c] - out.data[o + c]));
    }
  }
  return out;
}

/** Reference warpToTensor / rgbaToTensor (see assembly/tensor.ts). */
import type { Affine } from '../../pipeline/align';
import type { RgbaImage } from '../../pipeline/types';
import { checkAffine, checkReach, checkImage, checkSize, tensorParams } from '../kernel-math';
import type { TensorOptions } from '../types';
import { sampleRgba } from './sample';

function writer(n: number, options: TensorOptions) {
  const { scale, bias, nhwc, bgr } = tensorParams(options);
  const out = new Float32Array(n * 3);
  const write = (i: number, px: ArrayLike<number>) => {
    for (let c = 0; c < 3; c++) {
      const v = px[bgr ? 2 - c : c] * scale[c] + bias[c];
      out[nhwc ? i * 3 + c : c * n + i] = v;
    }
  };
  return { out, write };
}

export function warpToTensor(src: RgbaImage, m: Affine, width: number, height: number, options: TensorOptions = {}): Float32Array {
  checkImage(src, 'warpToTensor src');
  checkSize(width, height);
  checkAffine(m);
  checkReach(m, 0, 0, width, height);
  const { out, write } = writer(width * height, options);
  const px = new Float64Array(4);
  const replicate = options.border === 'replicate';
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const xc = x + 0.5, yc = y + 0.5;
      sampleRgba(src.data, src.width, src.height, m[0] * xc + m[1] * yc + m[2] - 0.5, m[3] * xc + m[4] * yc + m[5] - 0.5, replicate, px);
      write(i, px);
    }
  }
  return out;
}

export function rgbaToTensor(src: RgbaImage, options: TensorOptions = {}): Float32Array {
  checkImage(src, 'rgbaToTensor src');
  const n = src.width * src.height;
  const { out, write } = writer(n, options);
  for (let i = 0; i < n; i++) write(i, src.data.subarray(i * 4, i * 4 + 4));
  return out;
}

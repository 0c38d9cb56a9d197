/**
 * Real face inputs for parity tests and measurements: FairFace val JPEGs (224×224, face centred)
 * read straight from the tar, decoded with @jsquash/jpeg (wasm) and resized bilinearly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import decode, { init } from '@jsquash/jpeg/decode.js';
import { readTar } from '../lib/tar.js';

/** FairFace sits in ../shared beside the repository (the checkout and CI lay it out that way). */
export const FAIRFACE_VAL = process.env.FAIRFACE_DIR
  ? `${process.env.FAIRFACE_DIR}/val.tar`
  : fileURLToPath(new URL('../../../shared/data/fairface/val.tar', import.meta.url));

export interface RgbImage {
  width: number;
  height: number;
  /** RGB, 0..255, row-major. */
  data: Float32Array;
}

let ready: Promise<void> | undefined;
function initDecoder(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    await init(new WebAssembly.Module(readFileSync(require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'))));
  })();
  return ready;
}

export async function decodeJpeg(bytes: Uint8Array): Promise<RgbImage> {
  await initDecoder();
  const img = await decode(bytes.slice().buffer);
  const rgb = new Float32Array(img.width * img.height * 3);
  for (let i = 0, j = 0; i < img.width * img.height; i++, j += 4) {
    rgb[i * 3] = img.data[j];
    rgb[i * 3 + 1] = img.data[j + 1];
    rgb[i * 3 + 2] = img.data[j + 2];
  }
  return { width: img.width, height: img.height, data: rgb };
}

/** Loads `count` FairFace val faces (val/1.jpg, val/2.jpg, …). */
export async function loadFaces(count: number, tarPath = FAIRFACE_VAL): Promise<RgbImage[]> {
  const files = readTar(tarPath);
  const out: RgbImage[] = [];
  for (let i = 1; out.length < count; i++) {
    const bytes = files.get(`val/${i}.jpg`);
    if (!bytes) throw new Error(`${tarPath}: val/${i}.jpg missing`);
    out.push(await decodeJpeg(bytes));
  }
  return out;
}

/**
 * Crops the centred square covering `fraction` of the image, resizes it bilinearly (align_corners=false,
 * half_pixel_centers=false, like tf.image.resizeBilinear's default) to size×size and maps each channel
 * value v∈[0,255] to v·scale + offset. Returns NHWC [1,size,size,3] data.
 */
export function toInput(img: RgbImage, size: number, scale: number, offset: number, fraction = 1): Float32Array {
  const side = Math.min(img.width, img.height) * fraction;
  const x0 = (img.width - side) / 2, y0 = (img.height - side) / 2;
  const out = new Float32Array(size * size * 3);
  const step = side / size;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(y0 + y * step, img.height - 1);
    const ya = Math.floor(sy), yb = Math.min(ya + 1, img.height - 1), fy = sy - ya;
    for (let x = 0; x < size; x++) {
      const sx = Math.min(x0 + x * step, img.width - 1);
      const xa = Math.floor(sx), xb = Math.min(xa + 1, img.width - 1), fx = sx - xa;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c];
        const v = (p(ya, xa) * (1 - fx) + p(ya, xb) * fx) * (1 - fy) + (p(yb, xa) * (1 - fx) + p(yb, xb) * fx) * fy;
        out[(y * size + x) * 3 + c] = v * scale + offset;
      }
    }
  }
  return out;
}

/** Deterministic uniform noise in [lo, hi) (Park–Miller), for random-input parity checks. */
export function randomInput(length: number, seed: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed % 2147483647 || 1;
  for (let i = 0; i < length; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = lo + (s / 2147483647) * (hi - lo);
  }
  return out;
}

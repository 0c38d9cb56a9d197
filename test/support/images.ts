/** Test-time image builders: composites, canvases and scaled copies of fixture faces. */
import { referenceKernels } from '../../src/wasm/kernels.js';
import type { RgbaImage } from '../../src/pipeline/types.js';

export function canvas(width: number, height: number, rgb: [number, number, number] = [128, 128, 128]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return { width, height, data };
}

/** Draws `src` scaled by `scale` with its top-left corner at (x, y). */
export function paste(dst: RgbaImage, src: RgbaImage, x: number, y: number, scale = 1): RgbaImage {
  const w = Math.round(src.width * scale);
  const h = Math.round(src.height * scale);
  const scaled = referenceKernels.warpAffine(src, [1 / scale, 0, 0, 0, 1 / scale, 0], w, h, { border: 'replicate' });
  const out = { ...dst, data: new Uint8ClampedArray(dst.data) };
  for (let row = 0; row < h; row++) {
    const ty = y + row;
    if (ty < 0 || ty >= dst.height) continue;
    for (let col = 0; col < w; col++) {
      const tx = x + col;
      if (tx < 0 || tx >= dst.width) continue;
      out.data.set(scaled.data.subarray((row * w + col) * 4, (row * w + col) * 4 + 4), (ty * dst.width + tx) * 4);
    }
  }
  return out;
}

/** Faces laid out on a grid, `cell` px apart. */
export function grid(faces: RgbaImage[], columns: number, cell: number): RgbaImage {
  const rows = Math.ceil(faces.length / columns);
  let out = canvas(columns * cell, rows * cell);
  faces.forEach((f, i) => {
    out = paste(out, f, (i % columns) * cell, Math.floor(i / columns) * cell, cell / Math.max(f.width, f.height));
  });
  return out;
}

/** Deterministic synthetic inputs for kernel tests and the benchmark. */
import type { RgbaImage } from '../pipeline/types';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth colour gradients plus noise; alpha varies unless opaque. */
export function testImage(width: number, height: number, seed = 1, opaque = false): RgbaImage {
  const r = rng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  const fx = 2 + r() * 4, fy = 2 + r() * 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = 128 + 100 * Math.sin((fx * x) / width + seed) + 20 * (r() - 0.5);
      data[i + 1] = (255 * y) / height + 10 * (r() - 0.5);
      data[i + 2] = 128 + 100 * Math.cos((fy * (x + y)) / height) + 30 * (r() - 0.5);
      data[i + 3] = opaque ? 255 : 200 + 55 * r();
    }
  }
  return { width, height, data };
}

/** Soft float mask: a disc of radius r*min(w,h)/2 with a linear ramp, plus some noise. */
export function testMask(width: number, height: number, seed = 2): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(width * height);
  const cx = width / 2, cy = height / 2, rad = 0.4 * Math.min(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      out[y * width + x] = Math.min(1, Math.max(0, (rad - d) / 8 + 0.5)) * (0.9 + 0.1 * r());
    }
  }
  return out;
}

/**
 * @module provenance/pattern
 * The keyed ±1 pattern the watermark is made of, on a GRID × GRID lattice of cells that always
 * covers the whole image (normalised coordinates, so the lattice follows any resize), and the
 * detection templates derived from it.
 */
import { createRng, deriveSeed } from '../pipeline/random.js';

/**
 * Cells per side. Finer grids hold more cells (the statistic grows with their number) but small
 * cells suffer from resizing + JPEG. Measured z after 0.5× + q75 on the 224 px fixture faces:
 * 24 → 2.6–5.1, 32 → 5.0–8.8, 48 → 11.7–17.8, 64 → 14.5–18.1. 48 keeps cells ≥ 2.3 px there and
 * leaves headroom for smaller pictures.
 */
export const GRID = 48;

/** GRID² values of ±1 for `key` (stream 0) or one of its decoy streams (1, 2, …). */
export function keyPattern(key: string, stream = 0): Int8Array {
  const rng = createRng(deriveSeed(createRng(key).int(0x100000000), stream));
  const p = new Int8Array(GRID * GRID);
  for (let i = 0; i < p.length; i++) p[i] = rng.next() < 0.5 ? -1 : 1;
  return p;
}

/**
 * Cell means of the embedded (bilinearly interpolated) pattern: each cell mean is, per axis,
 * ¾ of its own value + ⅛ of each neighbour (edges replicate), i.e. the kernel [⅛, ¾, ⅛]².
 */
export function cellMeans(p: ArrayLike<number>): Float32Array {
  const row = new Float32Array(GRID * GRID);
  const out = new Float32Array(GRID * GRID);
  const at = (i: number) => Math.min(GRID - 1, Math.max(0, i));
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) row[y * GRID + x] = 0.75 * p[y * GRID + x] + 0.125 * (p[y * GRID + at(x - 1)] + p[y * GRID + at(x + 1)]);
  }
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) out[y * GRID + x] = 0.75 * row[y * GRID + x] + 0.125 * (row[at(y - 1) * GRID + x] + row[at(y + 1) * GRID + x]);
  }
  return out;
}

/**
 * High-pass of a GRID × GRID field: each interior cell minus the mean of its 8 neighbours, as
 * (GRID − 2)² values with zero mean. Removes the image's own smooth content from cell means.
 */
export function highPass(field: ArrayLike<number>): Float64Array {
  const n = GRID - 2;
  const out = new Float64Array(n * n);
  let sum = 0;
  for (let y = 1; y < GRID - 1; y++) {
    for (let x = 1; x < GRID - 1; x++) {
      let ring = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy) ring += field[(y + dy) * GRID + x + dx];
      const v = field[y * GRID + x] - ring / 8;
      out[(y - 1) * n + x - 1] = v;
      sum += v;
    }
  }
  const mean = sum / out.length;
  for (let i = 0; i < out.length; i++) out[i] -= mean;
  return out;
}

/** Unit-norm detection template for a pattern: high-pass of its expected cell means. */
export function template(p: Int8Array): Float64Array {
  const t = highPass(cellMeans(p));
  const norm = Math.hypot(...t);
  for (let i = 0; i < t.length; i++) t[i] /= norm;
  return t;
}

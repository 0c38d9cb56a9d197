import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../random';
import type { Point2, RgbaImage } from '../types';
import {
  blendFaces, boundaryOf, convexHull, fillOutline, makeBiSample, makeBlendMask, makeSbiSample, matchColorStats,
  nearestNeighbours, normaliseShape, parsePoints, parseRecipe, type BlendRecipe,
} from './index';
import { MEAN_FACE_68 } from './mean-shape';

const recipe: BlendRecipe = parseRecipe(JSON.parse(readFileSync(new URL('../../../training/xray/blend-recipe.json', import.meta.url), 'utf8')));
const W = 128, H = 128;
/** Mean face placed in the image: ~70 px wide, centred. */
const face = (dx = 0, dy = 0, s = 70): Point2[] => MEAN_FACE_68.map(([x, y]) => [29 + dx + s * x, 24 + dy + s * y] as Point2);
const noise = (seed: number, w = W, h = H): RgbaImage => {
  const rng = createRng(seed);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : Math.floor(rng.next() * 256);
  return { width: w, height: h, data };
};
/** A recipe whose mask is the plain hull blurred by a fixed-ish sigma (no deformation, no morphology, ratio 1). */
const plain = (): BlendRecipe['mask'] => ({
  ...recipe.mask,
  variants: [recipe.mask.variants[0]],
  deform: { ...recipe.mask.deform, prob: 0 },
  erode_dilate: { ...recipe.mask.erode_dilate, prob: 0 },
  blur: { sigma_frac: [0.03, 0.03], second_prob: 0, second_sigma_frac: [0, 0] },
  blend_ratio_choices: [1],
});

describe('random', () => {
  it('is deterministic per seed, in range, and seeds differ', () => {
    const a = createRng(5), b = createRng(5), c = createRng(6);
    const xa = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xa);
    expect(xa.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(1, 3));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    const seen = new Set<number>();
    for (let s = 0; s < 100; s++) for (let i = 0; i < 100; i++) seen.add(deriveSeed(s, i));
    expect(seen.size).toBe(10_000);
    const r = createRng(9);
    const normals = Array.from({ length: 4000 }, () => r.normal());
    const mean = normals.reduce((x, y) => x + y) / normals.length;
    const sd = Math.sqrt(normals.reduce((x, y) => x + (y - mean) ** 2, 0) / normals.length);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(sd - 1)).toBeLessThan(0.06);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[r.weighted([0.5, 0.25, 0.25])]++;
    expect(counts[0] / 3000).toBeGreaterThan(0.45);
    expect(counts[0] / 3000).toBeLessThan(0.55);
  });
});

describe('outline and raster', () => {
  it('parses recipe point specs', () => {
    expect(parsePoints('1-3, 7')).toEqual([1, 2, 3, 7]);
    expect(() => parsePoints('60-70')).toThrow();
  });
  it('fills a concave polygon by pixel centres', () => {
    // L shape: 10x10 square minus its top-right 5x5 quadrant → 75 px
    const L: Point2[] = [[0, 0], [5, 0], [5, 5], [10, 5], [10, 10], [0, 10]];
    const m = fillOutline(12, 12, L);
    expect(m.reduce((a, b) => a + b)).toBe(75);
    expect(m[2 * 12 + 7]).toBe(0); // inside the missing quadrant
    expect(m[7 * 12 + 7]).toBe(1);
    expect(convexHull(L)).toHaveLength(5);
  });
});

describe('makeBlendMask', () => {
  it('stays in [0, 1], is deterministic for a seed and varies across seeds', () => {
    for (let s = 0; s < 12; s++) {
      const a = makeBlendMask(face(), W, H, createRng(s), recipe.mask);
      const b = makeBlendMask(face(), W, H, createRng(s), recipe.mask);
      expect(a.mask).toEqual(b.mask);
      expect(a.params).toEqual(b.params);
      expect(a.mask.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.max(...a.mask)).toBeGreaterThan(0.2);
    }
    const a = makeBlendMask(face(), W, H, createRng(1), recipe.mask), c = makeBlendMask(face(), W, H, createRng(2), recipe.mask);
    expect(c.mask).not.toEqual(a.mask);
  });

  it('draws every variant and deformation kind', () => {
    const seen = new Set<string>();
    for (let s = 0; s < 60; s++) {
      const { params } = makeBlendMask(face(), W, H, createRng(s), recipe.mask);
      seen.add(params.variant).add(params.deform);
    }
    for (const k of ['face_hull', 'lower_face', 'inner_face', 'none', 'elastic', 'piecewise_affine']) expect(seen).toContain(k);
  });

  it('boundary 4M(1−M) peaks on the mask edge and is 0 deep inside and outside', () => {
    const { mask, hard } = makeBlendMask(face(), W, H, createRng(3), plain());
    const b = boundaryOf(mask);
    const centre = Math.round(24 + 70 * 0.55) * W + 64;
    expect(mask[centre]).toBeGreaterThan(0.999);
    expect(b[centre]).toBeLessThan(1e-3);
    expect(mask[0]).toBe(0);
    expect(b[0]).toBe(0);
    expect(b[5 * W + 64]).toBe(0);
    let peak = 0, at = 0;
    for (let i = 0; i < b.length; i++) if (b[i] > peak) { peak = b[i]; at = i; }
    expect(peak).toBeGreaterThan(0.95);
    // the peak sits within a pixel or two of the hard-mask edge
    const x = at % W, y = Math.floor(at / W);
    let near = false;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
      const i = (y + dy) * W + x + dx, j = (y + dy) * W + x + dx + 1;
      if (hard[i] !== hard[j]) near = true;
    }
    expect(near).toBe(true);
    // B is exactly 4M(1−M) as returned by blendFaces too
    const blended = blendFaces(noise(1), noise(2), mask);
    for (let i = 0; i < b.length; i += 97) expect(blended.boundary[i]).toBeCloseTo(4 * mask[i] * (1 - mask[i]), 5);
  });
});

describe('samples', () => {
  it('BI differs from the target only where M > 0, and is reproducible', () => {
    const target = { image: noise(10), points68: face() }, partner = { image: noise(11), points68: face(4, -3, 64) };
    const a = makeBiSample(target, partner, createRng(4), recipe);
    const b = makeBiSample(target, partner, createRng(4), recipe);
    expect(a.image.data).toEqual(b.image.data);
    let changedInside = 0, inside = 0;
    for (let i = 0; i < W * H; i++) {
      const differs = [0, 1, 2, 3].some((c) => a.image.data[i * 4 + c] !== target.image.data[i * 4 + c]);
      if (a.mask[i] === 0) expect(differs).toBe(false);
      if (a.mask[i] > 0.2) { inside++; if (differs) changedInside++; }
    }
    expect(inside).toBeGreaterThan(100);
    expect(changedInside / inside).toBeGreaterThan(0.9);
  });

  it('SBI is reproducible and changes the face region', () => {
    const target = { image: noise(12), points68: face() };
    const a = makeSbiSample(target, createRng(8), recipe), b = makeSbiSample(target, createRng(8), recipe);
    expect(a.image.data).toEqual(b.image.data);
    expect(a.sbi).toEqual(b.sbi);
    expect(a.image.data).not.toEqual(target.image.data);
    for (let i = 0; i < W * H; i++) if (a.mask[i] === 0) expect(a.image.data[i * 4]).toBe(target.image.data[i * 4]);
  });

  it('colour matching moves the donor statistics onto the reference', () => {
    const src = noise(20), ref = noise(21);
    for (let i = 0; i < ref.data.length; i += 4) { ref.data[i] = 40 + (ref.data[i] >> 2); src.data[i + 1] = 200 + (src.data[i + 1] >> 4); }
    const region = new Float32Array(W * H).fill(1);
    const out = matchColorStats(src, ref, region);
    const mean = (img: RgbaImage, c: number) => { let s = 0; for (let i = c; i < img.data.length; i += 4) s += img.data[i]; return s / (W * H); };
    for (const c of [0, 1]) expect(Math.abs(mean(out, c) - mean(ref, c))).toBeLessThan(1);
  });

  it('nearest neighbours ignore similarity transforms', () => {
    const base = face();
    const rot = (p: Point2[], t: number, s: number): Point2[] => p.map(([x, y]) => [s * (Math.cos(t) * x - Math.sin(t) * y) + 9, s * (Math.sin(t) * x + Math.cos(t) * y) - 4]);
    const other = base.map(([x, y], i) => [x + (i < 17 ? 6 : 0), y] as Point2); // a different jaw
    const shapes = [base, rot(base, 0.3, 1.7), other].map(normaliseShape);
    expect(nearestNeighbours(shapes, 1)).toEqual([[1], [0], [0]]);
    expect(nearestNeighbours(shapes, 2, (i, j) => !(i === 0 && j === 1))[0]).toEqual([2]);
  });
});

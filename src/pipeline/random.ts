/**
 * @module pipeline/random
 * Seeded, platform-independent PRNG (mulberry32 state stepped from a splitmix32-hashed seed) with the
 * few helpers the blend synthesiser needs. Same seed → same sequence in Node, workerd and browsers.
 * @example
 * const rng = createRng(deriveSeed(1234, sampleIndex));
 * const sigma = rng.uniform(0.005, 0.06) * faceSize;
 */

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. Throws on an empty list. */
  choice<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to weights[i] (>= 0, not all 0). */
  weighted(weights: readonly number[]): number;
  /** Standard normal (Box–Muller) scaled: mean + std · N(0, 1). */
  normal(mean?: number, std?: number): number;
  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T>(items: T[]): T[];
};

/** splitmix32 finaliser: a well-mixed 32-bit hash of a 32-bit integer. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seed for stream `index` of `seed` (e.g. one per sample, independent of processing order). */
export function deriveSeed(seed: number, ...index: number[]): number {
  let h = mix32(seed >>> 0);
  // not symmetric in (seed, index): the running hash is re-mixed before the index is added
  for (const i of index) h = mix32((mix32((h ^ 0x5bd1e995) >>> 0) + (i >>> 0)) >>> 0);
  return h;
}

/** A new generator; integer seeds use their low 32 bits, strings are hashed (FNV-1a). */
export function createRng(seed: number | string): Rng {
  let s: number;
  if (typeof seed === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    s = mix32(h >>> 0);
  } else s = mix32(Math.floor(seed) >>> 0);
  let spare: number | undefined;
  const next = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    choice: (items) => {
      if (!items.length) throw new RangeError('choice: empty list');
      return items[Math.floor(next() * items.length)];
    },
    weighted: (weights) => {
      const total = weights.reduce((a, w) => a + Math.max(0, w), 0);
      if (!(total > 0)) throw new RangeError('weighted: weights must have a positive sum');
      let u = next() * total;
      for (let i = 0; i < weights.length; i++) {
        u -= Math.max(0, weights[i]);
        if (u < 0) return i;
      }
      return weights.length - 1;
    },
    normal: (mean = 0, std = 1) => {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return mean + std * v;
      }
      let u = 0;
      while (u <= 0) u = next();
      const r = Math.sqrt(-2 * Math.log(u)), a = 2 * Math.PI * next();
      spare = r * Math.sin(a);
      return mean + std * r * Math.cos(a);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
  return rng;
}

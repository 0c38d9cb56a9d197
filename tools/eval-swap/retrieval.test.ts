import { describe, expect, it } from 'vitest';
import { landmarkErrorPct, poseError } from './geometry.js';
import { makePairs } from './pairs.js';
import { centre, cosine, retrievalTop1 } from './retrieval.js';

describe('retrievalTop1 (hand-made embeddings)', () => {
  // Gallery: three identities along orthogonal-ish directions.
  const gallery = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

  it('counts a probe when its own source is the nearest by cosine, independent of scale', () => {
    const probes = [[10, 1, 0], [0.2, 3, 0.1], [0, 0.1, 0.5]];
    const r = retrievalTop1(probes, gallery, [0, 1, 2]);
    expect(r.top1).toBe(1);
    expect(r.ranks).toEqual([1, 1, 1]);
  });

  it('misses a probe that is nearer another source, and ranks it', () => {
    // probe 1 really belongs to identity 2 but points at identity 1; probe 2 points at 0 then 1.
    const probes = [[1, 0.1, 0], [0, 1, 0.2], [0.9, 0.5, 0.1]];
    const r = retrievalTop1(probes, gallery, [0, 2, 2]);
    expect(r.ranks).toEqual([1, 2, 3]);
    expect(r.top1).toBeCloseTo(1 / 3, 12);
    expect(r.meanTrueCosine).toBeCloseTo((cosine(probes[0], gallery[0]) + cosine(probes[1], gallery[2]) + cosine(probes[2], gallery[2])) / 3, 12);
  });

  it('counts ties against the probe', () => {
    const r = retrievalTop1([[1, 1, 0]], gallery, [0]);
    expect(r.ranks).toEqual([2]);
    expect(r.top1).toBe(0);
  });

  it('cosine is scale-free and signed', () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [-3, 0])).toBeCloseTo(-1, 12);
    expect(cosine([1, 0], [0, 5])).toBeCloseTo(0, 12);
  });

  it('centring removes a shared component that otherwise hides identity', () => {
    const common = [100, 100, 100, 0, 0];
    const add = (v: number[]) => v.map((x, k) => x + common[k]);
    const g = [add([0, 0, 0, 1, 0]), add([0, 0, 0, 0, 1])];
    const p = [add([0, 0, 0, 0.9, 0.3]), add([0, 0, 0, 0.2, 1])];
    const c = retrievalTop1(centre(p, [...p, ...g]), centre(g, [...p, ...g]), [0, 1]);
    expect(c.top1).toBe(1);
  });

  it('rejects malformed input', () => {
    expect(() => retrievalTop1([[1, 0, 0]], gallery, [3])).toThrow(RangeError);
    expect(() => retrievalTop1([[1, 0, 0]], [[1, 0, 0]], [0])).toThrow(RangeError);
    expect(() => retrievalTop1([[1, 0]], gallery, [0])).toThrow(RangeError);
  });
});

describe('makePairs', () => {
  it('splits the first 2N faces into N disjoint pairs, seeded', () => {
    const p = makePairs(400, 200, 1);
    const used = p.flatMap((x) => [x.source, x.target]);
    expect(new Set(used).size).toBe(400);
    expect(Math.max(...used)).toBe(399);
    expect(makePairs(400, 200, 1)).toEqual(p);
    expect(makePairs(400, 200, 2)).not.toEqual(p);
  });

  it('draws distinct ordered pairs of different files when faces are few', () => {
    const p = makePairs(4, 4, 1);
    expect(p).toHaveLength(4);
    for (const x of p) expect(x.source).not.toBe(x.target);
    expect(new Set(p.map((x) => `${x.source}>${x.target}`)).size).toBe(4);
    expect(() => makePairs(3, 7, 1)).toThrow(RangeError);
    expect(() => makePairs(1, 1, 1)).toThrow(RangeError);
  });
});

describe('geometry', () => {
  const grid = Array.from({ length: 68 }, (_, i) => [(i % 9) * 10, Math.floor(i / 9) * 10] as [number, number]);

  it('landmark error is 0 under a similarity and grows with an expression change', () => {
    const moved = grid.map(([x, y]) => [3 + 2 * (0.8 * x - 0.6 * y), 7 + 2 * (0.6 * x + 0.8 * y)] as [number, number]);
    expect(landmarkErrorPct(moved, grid)).toBeCloseTo(0, 9);
    const mouth = grid.map(([x, y], i) => (i >= 48 ? [x, y + 5] : [x, y]) as [number, number]);
    expect(landmarkErrorPct(mouth, grid)).toBeGreaterThan(1);
  });

  it('pose error is the absolute per-axis difference, wrapped', () => {
    expect(poseError({ yaw: 10, pitch: -5, roll: 179 }, { yaw: 4, pitch: 5, roll: -179 })).toEqual({ yaw: 6, pitch: 10, roll: 2, mean: 6 });
  });
});

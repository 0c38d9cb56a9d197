/**
 * Source/target pairs for swap evaluation. Identities are told apart by file: a pair never uses one
 * file as both source and target. With at least 2N faces the first 2N files are shuffled (seeded) and
 * split into N disjoint pairs (every face used once); with fewer, N distinct ordered pairs are drawn from
 * all M·(M−1) (faces then repeat across pairs).
 */
import { createRng } from '../../src/pipeline/random.js';

export type Pair = { source: number; target: number };

export function makePairs(faceCount: number, pairs: number, seed: number): Pair[] {
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  if (faceCount < 2) throw new RangeError(`need at least 2 faces (distinct files) to make a pair, got ${faceCount}`);
  const rng = createRng(seed);
  if (faceCount >= 2 * pairs) {
    const order = rng.shuffle(Array.from({ length: 2 * pairs }, (_, i) => i));
    return Array.from({ length: pairs }, (_, i) => ({ source: order[2 * i], target: order[2 * i + 1] }));
  }
  const all: Pair[] = [];
  for (let s = 0; s < faceCount; s++) for (let t = 0; t < faceCount; t++) if (s !== t) all.push({ source: s, target: t });
  if (pairs > all.length) throw new RangeError(`${faceCount} faces give only ${all.length} distinct ordered pairs, asked for ${pairs}`);
  return rng.shuffle(all).slice(0, pairs);
}

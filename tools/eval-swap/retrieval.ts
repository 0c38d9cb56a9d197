/**
 * Identity retrieval (FaceForensics++ style): each probe (a swapped face) is matched by cosine
 * similarity against a gallery (every distinct source face); top-1 = the nearest gallery entry is the
 * probe's own source. Ties count against the probe (its source must be strictly nearest).
 */

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`embedding lengths differ: ${a.length} vs ${b.length}`);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  const d = Math.sqrt(aa * bb);
  return d > 0 ? ab / d : 0;
}

export type RetrievalResult = {
  /** Fraction of probes whose own gallery entry is strictly the most similar. */
  top1: number;
  /** Rank (1 = best) of the true entry for each probe; tied entries rank ahead of it. */
  ranks: number[];
  /** Mean cosine probe ↔ its true gallery entry. */
  meanTrueCosine: number;
};

/**
 * @param probes   embeddings to identify
 * @param gallery  candidate embeddings
 * @param truth    truth[i] = index into `gallery` of probe i's identity
 */
export function retrievalTop1(probes: readonly ArrayLike<number>[], gallery: readonly ArrayLike<number>[], truth: readonly number[]): RetrievalResult {
  if (probes.length !== truth.length) throw new RangeError('probes and truth differ in length');
  if (!probes.length) throw new RangeError('no probes');
  if (gallery.length < 2) throw new RangeError('retrieval needs a gallery of at least 2 identities');
  const ranks: number[] = [];
  let hits = 0, trueSum = 0;
  probes.forEach((p, i) => {
    const t = truth[i];
    if (!Number.isInteger(t) || t < 0 || t >= gallery.length) throw new RangeError(`truth[${i}] = ${t} is not a gallery index`);
    const sims = gallery.map((g) => cosine(p, g));
    const own = sims[t];
    const rank = 1 + sims.filter((s, j) => j !== t && s >= own).length;
    ranks.push(rank);
    if (rank === 1) hits++;
    trueSum += own;
  });
  return { top1: hits / probes.length, ranks, meanTrueCosine: trueSum / probes.length };
}

/** Subtracts the mean of `all` from each vector (removes the component shared by every face). */
export function centre(vectors: readonly ArrayLike<number>[], all: readonly ArrayLike<number>[] = vectors): Float32Array[] {
  const dim = all[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  for (const v of all) for (let k = 0; k < dim; k++) mean[k] += v[k] / all.length;
  return vectors.map((v) => Float32Array.from({ length: dim }, (_, k) => v[k] - mean[k]));
}

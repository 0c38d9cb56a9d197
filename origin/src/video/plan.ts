/**
 * @module origin/video/plan
 * Frame ranges [start, end) for the edge to enqueue as `chunk` messages. Chunks are independent
 * (the queue may run them in parallel, on different origins, and redeliver any of them), so a chunk
 * never needs another chunk's output: see tracker.ts for how faces stay continuous across them.
 */
export type ChunkPlanOptions = {
  /** Target frames per chunk. Default 48 (≈2 s at 25 fps). */
  framesPerChunk?: number;
  /** A last chunk shorter than this is merged into the previous one. Default a quarter chunk. */
  minLastChunk?: number;
};

/** @example planChunks(100, { framesPerChunk: 40 }) // [[0, 40], [40, 100]] */
export function planChunks(frames: number, { framesPerChunk = 48, minLastChunk = Math.ceil(framesPerChunk / 4) }: ChunkPlanOptions = {}): Array<[number, number]> {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`frames must be a positive integer, got ${frames}`);
  const size = Math.max(1, Math.floor(framesPerChunk));
  const chunks: Array<[number, number]> = [];
  for (let start = 0; start < frames; start += size) chunks.push([start, Math.min(frames, start + size)]);
  const last = chunks[chunks.length - 1];
  if (chunks.length > 1 && last[1] - last[0] < minLastChunk) {
    chunks.pop();
    chunks[chunks.length - 1][1] = frames;
  }
  return chunks;
}

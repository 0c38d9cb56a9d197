/** Reference X-ray boundary-map post-processing (see assembly/xray-boundary.ts). */
import type { Affine } from '../../pipeline/align';
import type { RgbaImage } from '../../pipeline/types';
import { HEAT_PALETTE, checkAffine, checkReach, checkImage, checkMask, checkSize, newImage, paletteLevel, projectedBox, round8, statsFrom } from '../kernel-math';
import type { HeatmapOptions, XrayOverlayOptions, XrayStats } from '../types';
import { sampleF32 } from './sample';

export function xrayStats(map: Float32Array, threshold = 0.2): XrayStats {
  let peak = -Infinity, sum = 0, above = 0;
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    peak = Math.max(peak, v);
    sum += v;
    if (v > threshold) above++;
  }
  return statsFrom(peak, sum, above, map.length, threshold);
}

export function xrayOverlay(
  image: RgbaImage, map: Float32Array, mw: number, mh: number, mapToImage: Affine, options: XrayOverlayOptions = {},
): { image: RgbaImage; stats: XrayStats } {
  checkImage(image, 'xrayOverlay image');
  checkMask(map, mw, mh, 'xray map');
  checkAffine(mapToImage);
  const threshold = options.threshold ?? 0.2, opacity = options.opacity ?? 0.6;
  const stats = xrayStats(map, threshold);
  const scale = options.normalize && stats.peak > 0 ? 1 / stats.peak : 1;
  const out: RgbaImage = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
  const { x0, y0, x1, y1, inverse: m } = projectedBox(mapToImage, mw, mh, image.width, image.height);
  checkReach(m, x0, y0, x1, y1);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const xc = x + 0.5, yc = y + 0.5;
      const u = m[0] * xc + m[1] * yc + m[2], v = m[3] * xc + m[4] * yc + m[5];
      if (u < 0 || v < 0 || u >= mw || v >= mh) continue;
      const val = Math.min(1, Math.max(0, sampleF32(map, mw, mh, u - 0.5, v - 0.5) * scale));
      if (!(val > threshold)) continue;
      const p = paletteLevel(val) * 4, o = (y * image.width + x) * 4, a = opacity * val;
      for (let c = 0; c < 4; c++) out.data[o + c] = round8(out.data[o + c] + a * (HEAT_PALETTE[p + c] - out.data[o + c]));
    }
  }
  return { image: out, stats };
}

export function xrayHeatmap(map: Float32Array, mw: number, mh: number, width: number, height: number, options: HeatmapOptions = {}): RgbaImage {
  checkMask(map, mw, mh, 'xray map');
  checkSize(width, height);
  const peak = xrayStats(map, Infinity).peak;
  const scale = options.normalize && peak > 0 ? 1 / peak : 1;
  const out = newImage(width, height);
  const sx = mw / width, sy = mh / height;
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      const p = paletteLevel(sampleF32(map, mw, mh, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5) * scale) * 4;
      for (let c = 0; c < 4; c++) out.data[o + c] = HEAT_PALETTE[p + c];
    }
  }
  return out;
}

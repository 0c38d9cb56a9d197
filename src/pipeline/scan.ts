/**
 * @module pipeline/scan
 * The X-ray task: faces → per-face boundary map and calibrated score → image verdict.
 */
import { XRAY } from '../models.js';
import { xrayFace, landmarks68, XRAY_MAP } from '../processors/xray/index.js';
import { kernels } from '../wasm/kernels.js';
import { findFaces } from './faces.js';
import type { Affine } from './align.js';
import type { Box, RgbaImage } from './types.js';

export type ScannedFace = {
  box: Box;
  score: number;
  label: 'fake' | 'real';
  peak: number;
  boundaryArea: number;
  boundary: Float32Array;
  mapToImage: Affine;
};

export type ScanResult = {
  verdict: 'fake' | 'real' | null;
  reason?: string;
  score: number | null;
  threshold: number;
  faces: ScannedFace[];
  truncated: boolean;
};

export type ScanOptions = { maxFaces?: number; threshold?: number };

/** Boundary values above this count towards `boundaryArea`. */
const AREA_THRESHOLD = 0.2;

export async function scanImage(image: RgbaImage, options: ScanOptions = {}): Promise<ScanResult> {
  const threshold = options.threshold ?? XRAY.calibration.threshold;
  const found = await findFaces(image, { maxFaces: options.maxFaces ?? 8 });
  const faces: ScannedFace[] = [];
  for (const face of found.faces) {
    const x = await xrayFace(image, landmarks68(face));
    const stats = kernels.xrayStats(x.boundary, AREA_THRESHOLD);
    faces.push({
      box: face.box,
      score: round3(x.score),
      label: x.score >= threshold ? 'fake' : 'real',
      peak: round3(stats.peak),
      boundaryArea: round3(stats.fractionAbove),
      boundary: x.boundary,
      mapToImage: x.mapToImage,
    });
  }
  if (!faces.length) return { verdict: null, reason: 'no-face', score: null, threshold, faces, truncated: false };
  const score = Math.max(...faces.map((f) => f.score));
  return { verdict: score >= threshold ? 'fake' : 'real', score, threshold, faces, truncated: found.truncated };
}

/** The image with every face's boundary map heat-overlaid and its box outlined in its label's colour. */
export function overlayScan(image: RgbaImage, result: ScanResult): RgbaImage {
  let out = image;
  for (const face of result.faces) {
    out = kernels.xrayOverlay(out, face.boundary, XRAY_MAP, XRAY_MAP, face.mapToImage, { threshold: AREA_THRESHOLD, opacity: 0.7 }).image;
    out = outlineBox(out, face.box, face.label === 'fake' ? [230, 40, 40] : [40, 200, 90]);
  }
  return out;
}

function outlineBox(image: RgbaImage, box: Box, rgb: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(image.data);
  const t = Math.max(2, Math.round(Math.max(image.width, image.height) / 300));
  const x1 = Math.max(0, Math.round(box.x)), y1 = Math.max(0, Math.round(box.y));
  const x2 = Math.min(image.width - 1, Math.round(box.x + box.width)), y2 = Math.min(image.height - 1, Math.round(box.y + box.height));
  const paint = (x: number, y: number) => data.set([rgb[0], rgb[1], rgb[2], 255], (y * image.width + x) * 4);
  for (let y = y1; y <= y2; y++) {
    for (let x = x1; x <= x2; x++) {
      if (y - y1 < t || y2 - y < t || x - x1 < t || x2 - x < t) paint(x, y);
    }
  }
  return { width: image.width, height: image.height, data };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

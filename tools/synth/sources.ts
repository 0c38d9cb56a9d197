/**
 * Real faces for synthesis: image entries read straight from tars (nothing extracted), optional
 * FairFace race/gender groups from labels.csv, and 68-point landmarks from the worker's findFaces,
 * cached in memory per tar.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeImage } from '../../src/image/index.js';
import type { Point2, RgbaImage } from '../../src/pipeline/types.js';
import { iterateTar } from '../lib/tar.js';

/** One real image: where it came from and its encoded bytes. */
export type FaceSource = { source: string; file: string; bytes: Uint8Array; group?: string };

/** Landmarks of the largest face in the image (68 points, continuous image px), or null for none. */
export type Landmarker = (image: RgbaImage) => Promise<Point2[] | null>;

const IMAGE = /\.(jpe?g|png|webp)$/i;
const byNumber = (name: string) => Number(/(\d+)\.[a-z]+$/i.exec(name)?.[1] ?? Infinity);

/** Image entries of a tar in numeric order (train/2.jpg before train/10.jpg). */
export function tarSources(path: string): FaceSource[] {
  const out: FaceSource[] = [];
  for (const [file, bytes] of iterateTar(new Uint8Array(readFileSync(path)))) if (IMAGE.test(file)) out.push({ source: path, file, bytes });
  return out.sort((a, b) => byNumber(a.file) - byNumber(b.file) || (a.file < b.file ? -1 : 1));
}

/** FairFace labels.csv → file → "race|gender". Looked up next to the first tar unless given. */
export function readGroups(csvPath: string): Map<string, string> {
  const lines = readFileSync(csvPath, 'utf8').split(/\r?\n/);
  const head = lines[0].split(',');
  const [f, r, g] = ['file', 'race', 'gender'].map((k) => head.indexOf(k));
  if (f < 0 || r < 0 || g < 0) throw new Error(`${csvPath}: expected columns file, race, gender`);
  const groups = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cols = line.split(',');
    if (cols.length > Math.max(f, r, g)) groups.set(cols[f], `${cols[r]}|${cols[g]}`);
  }
  return groups;
}

export function defaultLabelsPath(tarPath: string): string | undefined {
  const p = join(dirname(tarPath), 'labels.csv');
  return existsSync(p) ? p : undefined;
}

/** findFaces → largest face → FaceMesh points in iBUG-68 order. Imported lazily (it loads the models). */
export async function pipelineLandmarker(): Promise<Landmarker> {
  const { findFaces } = await import('../../src/pipeline/faces.js');
  const { MESH_TO_68 } = await import('../../src/processors/landmarker/mesh-indices.js');
  return async (image) => {
    const { faces } = await findFaces(image);
    if (!faces.length) return null;
    return MESH_TO_68.map((i) => [faces[0].landmarks[i][0], faces[0].landmarks[i][1]] as Point2);
  };
}

export type LandmarkedFace = FaceSource & { image: RgbaImage; points68: Point2[] };

/** In-memory landmark cache: tar (source) → file → points (null = no face). */
export class LandmarkCache {
  private readonly bySource = new Map<string, Map<string, Point2[] | null>>();
  hits = 0;
  misses = 0;
  constructor(private readonly landmarker: Landmarker) {}

  /** Decoded image and its landmarks, or null when no face was found. */
  async load(src: FaceSource): Promise<LandmarkedFace | null> {
    let table = this.bySource.get(src.source);
    if (!table) this.bySource.set(src.source, (table = new Map()));
    const image = await decodeImage(src.bytes);
    let points = table.get(src.file);
    if (points === undefined) {
      this.misses++;
      points = await this.landmarker(image);
      table.set(src.file, points);
    } else this.hits++;
    return points ? { ...src, image, points68: points } : null;
  }
}

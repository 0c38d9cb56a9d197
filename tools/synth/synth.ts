/**
 * The BI / SBI evaluation-set generator behind `npm run synth`. Sample i is fully determined by
 * (seed, i) and the landmarked pool, so a run is reproducible and independent of timing.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeJpeg, encodePng } from '../../src/image/index.js';
import { makeBiSample, makeSbiSample, nearestNeighbours, normaliseShape, resizeBilinear, type BlendRecipe, type BlendSample } from '../../src/pipeline/blend/index.js';
import { createRng, deriveSeed, type Rng } from '../../src/pipeline/random.js';
import type { Point2, RgbaImage } from '../../src/pipeline/types.js';
import { decodeImage } from '../../src/image/index.js';
import type { FaceSource, LandmarkCache } from './sources.js';

export type SynthKind = 'bi' | 'sbi' | 'mix';

export type SynthOptions = {
  sources: FaceSource[];
  n: number;
  seed: number;
  kind: SynthKind;
  recipe: BlendRecipe;
  landmarks: LandmarkCache;
  /** Writes `bytes` at `path` relative to the output folder. */
  write: (path: string, bytes: Uint8Array | string) => void | Promise<void>;
  /** Faces to landmark, drawn at random from `sources` (the BI partner pool). Default max(n, 400). */
  pool?: number;
  /** BI partners only from the same labels group (race|gender). */
  sameGroup?: boolean;
  /** Fixed JPEG quality for images (and reals); default PNG. */
  jpegQuality?: number;
  /** Draw resize + JPEG per recipe.augment instead (overrides jpegQuality). */
  augment?: boolean;
  /** Also write the untouched (equally degraded) target as real/NNNNN.* */
  reals?: boolean;
  log?: (line: string) => void;
};

export type ManifestEntry = {
  file: string;
  index: number;
  kind: 'bi' | 'sbi';
  source: string;
  partner?: string;
  seed: number;
  mask: string;
  boundary: string;
  variant: string;
  deform: string;
  erodeDilate: number;
  sigma: number;
  sigma2: number;
  ratio: number;
  colorCorrected: boolean;
  sameGroup?: boolean;
  sbi?: BlendSample['sbi'];
  quality: number | null;
  resize: number | null;
  real?: string;
};

export type SynthReport = {
  manifest: ManifestEntry[];
  poolTried: number;
  poolFaces: number;
  landmarkSeconds: number;
  synthSeconds: number;
  samplesPerSecond: number;
};

type PoolFace = { src: FaceSource; points68: Point2[] };

const id = (s: FaceSource) => `${basename(s.source)}:${s.file}`;
const pad = (i: number) => String(i).padStart(5, '0');

/** 8-bit gray (as RGBA) of a [0, 1] map. */
export function grayImage(map: Float32Array, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < map.length; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, map[i])));
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

type Degrade = { quality: number | null; resize: number | null };

function drawDegrade(rng: Rng, opts: SynthOptions): Degrade {
  if (!opts.augment) return { quality: opts.jpegQuality ?? null, resize: null };
  const a = opts.recipe.augment;
  const resize = rng.chance(a.resize_prob) ? rng.uniform(a.resize_scale[0], a.resize_scale[1]) : null;
  const quality = rng.chance(a.jpeg_prob) ? a.jpeg_quality[0] + rng.int(a.jpeg_quality[1] - a.jpeg_quality[0] + 1) : null;
  return { quality, resize };
}

async function encode(img: RgbaImage, d: Degrade): Promise<{ bytes: Uint8Array; ext: string }> {
  let out = img;
  if (d.resize !== null) {
    const w = Math.max(8, Math.round(img.width * d.resize)), h = Math.max(8, Math.round(img.height * d.resize));
    out = resizeBilinear(resizeBilinear(img, w, h), img.width, img.height);
  }
  return d.quality !== null ? { bytes: await encodeJpeg(out, d.quality), ext: 'jpg' } : { bytes: await encodePng(out), ext: 'png' };
}

async function landmarkPool(opts: SynthOptions): Promise<{ faces: PoolFace[]; tried: number }> {
  const order = createRng(deriveSeed(opts.seed, 0x7fffffff)).shuffle(opts.sources.map((_, i) => i));
  const want = Math.min(opts.sources.length, opts.pool ?? Math.max(opts.n, 400));
  const faces: PoolFace[] = [];
  let tried = 0;
  for (const k of order.slice(0, want)) {
    tried++;
    const face = await opts.landmarks.load(opts.sources[k]);
    if (face) faces.push({ src: opts.sources[k], points68: face.points68 });
    if (tried % 200 === 0) opts.log?.(`landmarks: ${tried}/${want} images, ${faces.length} faces`);
  }
  return { faces, tried };
}

export async function synthesize(opts: SynthOptions): Promise<SynthReport> {
  const t0 = performance.now();
  const { faces, tried } = await landmarkPool(opts);
  if (!faces.length) throw new Error(`no faces found in ${tried} images`);
  if (opts.kind !== 'sbi' && faces.length < 2) throw new Error('BI needs at least 2 faces in the pool');
  const t1 = performance.now();
  let partners: number[][] = [], anyPartners: number[][] = [];
  if (opts.kind !== 'sbi') {
    const shapes = faces.map((f) => normaliseShape(f.points68));
    const k = opts.recipe.bi.neighbours;
    anyPartners = nearestNeighbours(shapes, k);
    partners = opts.sameGroup
      ? nearestNeighbours(shapes, k, (i, j) => faces[i].src.group !== undefined && faces[i].src.group === faces[j].src.group)
      : anyPartners;
  }
  const mix = opts.recipe.sample_mix;
  const manifest: ManifestEntry[] = [];
  const fakeList: string[] = [], realList: string[] = [];
  for (let i = 0; i < opts.n; i++) {
    const seed = deriveSeed(opts.seed, i);
    const rng = createRng(seed);
    const t = i % faces.length;
    const target = faces[t];
    const kind = opts.kind === 'mix' ? (rng.chance(mix.bi / (mix.bi + mix.sbi)) ? 'bi' : 'sbi') : opts.kind;
    const targetImage = await decodeImage(target.src.bytes);
    let sample: BlendSample, partner: PoolFace | undefined, sameGroup: boolean | undefined;
    if (kind === 'bi') {
      sameGroup = opts.sameGroup ? partners[t].length > 0 : undefined;
      partner = faces[rng.choice(partners[t].length ? partners[t] : anyPartners[t])];
      const partnerImage = await decodeImage(partner.src.bytes);
      sample = makeBiSample({ image: targetImage, points68: target.points68 }, { image: partnerImage, points68: partner.points68 }, rng, opts.recipe);
    } else sample = makeSbiSample({ image: targetImage, points68: target.points68 }, rng, opts.recipe);
    const degrade = drawDegrade(rng, opts);
    const name = pad(i);
    const img = await encode(sample.image, degrade);
    const { width: w, height: h } = sample.image;
    const entry: ManifestEntry = {
      file: `${name}.${img.ext}`, index: i, kind, source: id(target.src), partner: partner && id(partner.src), seed,
      mask: `${name}.mask.png`, boundary: `${name}.boundary.png`,
      variant: sample.maskParams.variant, deform: sample.maskParams.deform, erodeDilate: sample.maskParams.erodeDilate,
      sigma: round3(sample.maskParams.sigma), sigma2: round3(sample.maskParams.sigma2), ratio: sample.maskParams.ratio,
      colorCorrected: sample.colorCorrected, sameGroup, sbi: sample.sbi, quality: degrade.quality, resize: degrade.resize && round3(degrade.resize),
    };
    await opts.write(entry.file, img.bytes);
    await opts.write(entry.mask, await encodePng(grayImage(sample.mask, w, h)));
    await opts.write(entry.boundary, await encodePng(grayImage(sample.boundary, w, h)));
    fakeList.push(entry.file);
    if (opts.reals) {
      const real = await encode(targetImage, degrade);
      entry.real = `real/${name}.${real.ext}`;
      await opts.write(entry.real, real.bytes);
      realList.push(entry.real);
    }
    manifest.push(entry);
  }
  await opts.write('manifest.jsonl', manifest.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await opts.write('fake.txt', fakeList.join('\n') + '\n');
  if (opts.reals) await opts.write('real.txt', realList.join('\n') + '\n');
  const t2 = performance.now();
  const synthSeconds = (t2 - t1) / 1000;
  return {
    manifest, poolTried: tried, poolFaces: faces.length, landmarkSeconds: (t1 - t0) / 1000, synthSeconds,
    samplesPerSecond: opts.n / synthSeconds,
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

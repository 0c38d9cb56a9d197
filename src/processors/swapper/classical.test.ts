import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/index.js';
import { decodeImage, encodePng } from '../../image/index.js';
import { findFaces } from '../../pipeline/faces.js';
import type { Face, Point2, RgbaImage } from '../../pipeline/types.js';
import { applyAffine, estimateSimilarity } from '../../pipeline/align.js';
import { applyOrientation } from '../../image/orientation.js';
import { MIRROR_68 } from '../landmarker/mesh-indices.js';
import { blendShape, createMirrorDecider, mirrorBenefit, orientSource } from './classical.js';
import { classicalSwapper, getSwapper, points68, swapClassical } from './index.js';

type Loaded = { image: RgbaImage; face: Face };
const load = async (name: string): Promise<Loaded> => {
  const image = await decodeImage(fixture(name));
  const { faces } = await findFaces(image);
  return { image, face: faces[0] };
};

/** Mean |Δ| over RGB of the pixels selected by `where`. */
function meanDiff(a: RgbaImage, b: RgbaImage, where: (x: number, y: number) => boolean): number {
  let sum = 0, n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) {
    if (!where(x, y)) continue;
    const i = (y * a.width + x) * 4;
    sum += Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
    n += 3;
  }
  return n ? sum / n : 0;
}

describe('classical swapper', () => {
  let source: Loaded, target: Loaded;
  beforeAll(async () => {
    source = await load('face-4.jpg');
    target = await load('face-1.jpg');
  });

  it('implements the Swapper contract and is registered', () => {
    expect(classicalSwapper.name).toBe('classical');
    expect(getSwapper('classical')).toBe(classicalSwapper);
    expect(getSwapper('aei')).toBeUndefined();
  });

  it('replaces the inner face, keeps the rest of the target byte for byte, is deterministic', async () => {
    const t0 = performance.now();
    const result = swapClassical(source.image, source.face, target.image, target.face);
    const ms = performance.now() - t0;
    if (process.env.SWAP_DEBUG) {
      writeFileSync('/tmp/swap-classical.png', await encodePng(result.image));
      console.log(`swapClassical ${target.image.width}x${target.image.height}: ${ms.toFixed(1)} ms, roi ${JSON.stringify(result.roi)}`);
    }
    const { image, roi, mask } = result;
    expect([image.width, image.height]).toEqual([target.image.width, target.image.height]);
    const inRoi = (x: number, y: number) => x >= roi.x && y >= roi.y && x < roi.x + roi.width && y < roi.y + roi.height;
    const m = (x: number, y: number) => (inRoi(x, y) ? mask[(y - roi.y) * roi.width + (x - roi.x)] : 0);
    expect(meanDiff(image, target.image, (x, y) => !inRoi(x, y))).toBe(0);
    expect(meanDiff(image, target.image, (x, y) => m(x, y) === 0)).toBe(0);
    expect(meanDiff(image, target.image, (x, y) => m(x, y) > 0.99)).toBeGreaterThan(8);
    // the mask sits on the face: its centre of mass is near the nose of the target
    let sx = 0, sy = 0, sw = 0;
    mask.forEach((v, i) => { sx += v * (i % roi.width); sy += v * Math.floor(i / roi.width); sw += v; });
    const nose = points68(target.face)[30];
    expect(Math.hypot(sx / sw + roi.x - nose[0], sy / sw + roi.y - nose[1])).toBeLessThan(0.15 * target.face.box.width);
    const again = await classicalSwapper.swap(source.image, source.face, target.image, target.face);
    expect(again.data).toEqual(image.data);
  });

  it('with shapeKeep 0 keeps the target geometry: the swapped face has the target landmarks within a few px', async () => {
    const swapped = swapClassical(source.image, source.face, target.image, target.face, { shapeKeep: 0 }).image;
    const { faces } = await findFaces(swapped);
    expect(faces).toHaveLength(1);
    const a = points68(faces[0]), b = points68(target.face), s = points68(source.face);
    const err = a.reduce((e, p, i) => e + Math.hypot(p[0] - b[i][0], p[1] - b[i][1]), 0) / 68;
    const sourceOffset = s.reduce((e, p, i) => e + Math.hypot(p[0] - b[i][0], p[1] - b[i][1]), 0) / 68;
    if (process.env.SWAP_DEBUG) console.log(`landmark error ${err.toFixed(2)} px (source vs target landmarks: ${sourceOffset.toFixed(1)} px)`);
    expect(err).toBeLessThan(4);
  });

  it('blendShape moves only the inner features, the given share of the way to the aligned source shape', () => {
    const s = points68(source.face), t = points68(target.face);
    expect(blendShape(s, t, 0)).toEqual(t);
    const full = blendShape(s, t, 1), part = blendShape(s, t, 0.8);
    for (let i = 0; i < 27; i++) expect(full[i]).toEqual(t[i]); // jaw and brows: the target's outline
    const toSource = estimateSimilarity(s, t);
    let moved = 0;
    for (let i = 27; i < 68; i++) {
      const aligned = applyAffine(toSource, s[i]);
      expect(full[i][0]).toBeCloseTo(aligned[0], 6);
      expect(part[i][1]).toBeCloseTo(t[i][1] + 0.8 * (aligned[1] - t[i][1]), 6);
      moved += Math.hypot(full[i][0] - t[i][0], full[i][1] - t[i][1]) / 41;
    }
    expect(moved).toBeGreaterThan(1); // the two faces really differ in proportions (px)
  });

  it('self-swap (source = target) changes almost nothing', () => {
    const { image, mask, roi } = swapClassical(target.image, target.face, target.image, target.face);
    const inside = (x: number, y: number) => x >= roi.x && y >= roi.y && x < roi.x + roi.width && y < roi.y + roi.height && mask[(y - roi.y) * roi.width + (x - roi.x)] > 0.5;
    expect(meanDiff(image, target.image, inside)).toBeLessThan(2);
  });

  it('does not modify its inputs', () => {
    const before = target.image.data.slice(), beforeSource = source.image.data.slice();
    swapClassical(source.image, source.face, target.image, target.face);
    expect(target.image.data).toEqual(before);
    expect(source.image.data).toEqual(beforeSource);
  });

  it('MIRROR_68 pairs each landmark with its partner in the mirror image', async () => {
    expect(MIRROR_68.every((j, i) => MIRROR_68[j] === i)).toBe(true);
    const flipped = applyOrientation(target.image, 2);
    const { faces } = await findFaces(flipped);
    const found = points68(faces[0]), original = points68(target.face), w = target.image.width;
    const meanError = (pick: (i: number) => number) =>
      found.reduce((e, p, i) => e + Math.hypot(p[0] - (w - original[pick(i)][0]), p[1] - original[pick(i)][1]), 0) / 68;
    const paired = meanError((i) => MIRROR_68[i]), unpaired = meanError((i) => i);
    if (process.env.SWAP_DEBUG) console.log(`mirrored landmarks: ${paired.toFixed(2)} px paired, ${unpaired.toFixed(2)} px by index`);
    expect(paired).toBeLessThan(3);
    expect(unpaired).toBeGreaterThan(3 * paired);
  });

  it('mirrors a source whose head turns the other way from the target, and only then', () => {
    expect(mirrorBenefit(30, -30)).toBe(60);
    expect(mirrorBenefit(30, 20)).toBe(-40);
    expect(mirrorBenefit(3, -3)).toBe(6);
    const opposite = orientSource(source.image, source.face, true);
    expect(opposite.image).not.toBe(source.image);
    // Each mirrored point sits on the same pixel value as its partner in the source (the outer eye corners trade places, …)
    const s = points68(source.face), px = (im: RgbaImage, [x, y]: Point2) => Array.from(im.data.subarray(((Math.floor(y) * im.width) + Math.floor(x)) * 4, ((Math.floor(y) * im.width) + Math.floor(x)) * 4 + 4));
    let checked = 0;
    opposite.p68.forEach((p, i) => {
      const [x, y] = s[MIRROR_68[i]];
      if (Number.isInteger(x) || x < 0 || y < 0 || x >= source.image.width || y >= source.image.height) return; // on a pixel edge, or off the photo
      expect([i, ...px(opposite.image, p)]).toEqual([i, ...px(source.image, [x, y])]);
      checked++;
    });
    expect(checked).toBeGreaterThan(50);
    expect(opposite.image.width * opposite.image.height).toBeLessThan(source.image.width * source.image.height); // the face region, not the photo
    const same = orientSource(source.image, source.face, false);
    expect(same.p68).toEqual(points68(source.face));
    expect(same.image).toBe(source.image);
  });

  it('decides per call from the yaw gap, or as the hint says; a stream decides with hysteresis', async () => {
    const turned = (face: Face, yaw: number): Face => ({ ...face, pose: { ...face.pose, yaw } });
    const [s, t] = [turned(source.face, 30), turned(target.face, -30)];
    const auto = swapClassical(source.image, s, target.image, t).image;
    expect(auto.data).toEqual(swapClassical(source.image, s, target.image, t, { mirrorSource: true }).image.data);
    const plain = await classicalSwapper.swap(source.image, s, target.image, t, { mirrorSource: false });
    expect(plain.data).toEqual(swapClassical(source.image, s, target.image, t, { mirrorGain: Infinity }).image.data);
    expect(meanDiff(plain, auto, () => true)).toBeGreaterThan(0.5);

    const decide = createMirrorDecider({ gain: 10, band: 5 });
    // source yaw 20, target t ≤ 0: benefit 2·|t|; on above 15, off below 5
    const targets = [0, -4, -6, -7, -8, -7, -6, -4, -2, -1, -7, -9];
    expect(targets.map((t) => decide(20, t))).toEqual([false, false, false, false, true, true, true, true, false, false, false, true]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng } from '../src/image/index.js';
import { createRng } from '../src/pipeline/random.js';
import { makeBiSample, parseRecipe } from '../src/pipeline/blend/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { landmarks68 } from '../src/processors/xray/index.js';
import xrayCard from '../models/xray.card.json';
import recipeJson from '../training/xray/blend-recipe.json';
import { fixture } from './fixtures/index.js';
import { canvas, paste } from './support/images.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

type XrayBody = {
  verdict: 'fake' | 'real' | null;
  reason?: string;
  score: number | null;
  threshold: number;
  model: { name: string; version: string };
  faces: Array<{ box: { x: number; y: number; width: number; height: number }; score: number; label: string; peak: number; boundaryArea: number; boundaryMap: string }>;
};

let worker: WorkerHandle;
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.stop(); });

async function xray(body: Uint8Array, type: string, query = ''): Promise<Response> {
  return worker.fetch(`/v1/xray${query}`, { method: 'POST', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> });
}

/** A Face X-Ray blended image made in the test: face-4's face blended into face-1 through a soft hull mask. */
async function blendedFixture(): Promise<Uint8Array> {
  const load = async (name: string) => {
    const image = await decodeImage(fixture(name));
    const { faces } = await findFaces(image);
    return { image, points68: landmarks68(faces[0]) };
  };
  const recipe = parseRecipe(recipeJson);
  const sample = makeBiSample(await load('face-1.jpg'), await load('face-4.jpg'), createRng(3), recipe);
  return encodePng(sample.image);
}

describe('POST /v1/xray in workerd', () => {
  it('scans a real face: verdict, calibrated score, threshold and model from the card, a PNG boundary map', async () => {
    const res = await xray(fixture('face-7.jpg'), 'image/jpeg');
    expect(res.status).toBe(200);
    const body = (await res.json()) as XrayBody;
    expect(body.model).toEqual({ name: xrayCard.name, version: xrayCard.version });
    expect(body.threshold).toBe(xrayCard.calibration.threshold);
    expect(body.faces).toHaveLength(1);
    const face = body.faces[0];
    expect(face.score).toBeGreaterThanOrEqual(0);
    expect(face.score).toBeLessThanOrEqual(1);
    expect(face.label).toBe(face.score >= body.threshold ? 'fake' : 'real');
    expect(body.verdict).toBe(face.label);
    expect(body.score).toBe(face.score);
    expect(face.boundaryMap).toMatch(/^data:image\/png;base64,/);
    const png = Uint8Array.from(atob(face.boundaryMap.split(',')[1]), (ch) => ch.charCodeAt(0));
    const map = await decodeImage(png);
    expect([map.width, map.height]).toEqual([128, 128]);
  });

  it('scores a blended face above the untouched original and draws its boundary', async () => {
    const original = (await (await xray(fixture('face-1.jpg'), 'image/jpeg')).json()) as XrayBody;
    const blended = (await (await xray(await blendedFixture(), 'image/png')).json()) as XrayBody;
    expect(blended.faces).toHaveLength(1);
    expect(blended.faces[0].score).toBeGreaterThan(original.faces[0].score);
    expect(blended.faces[0].peak).toBeGreaterThan(original.faces[0].peak);
  });

  it('returns the overlay picture for ?overlay=1 and for Accept: image/png', async () => {
    for (const [query, accept] of [['?overlay=1', '*/*'], ['', 'image/png']]) {
      const res = await worker.fetch(`/v1/xray${query}`, {
        method: 'POST', headers: { 'content-type': 'image/jpeg', accept }, body: fixture('face-1.jpg') as Uint8Array<ArrayBuffer>,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(['fake', 'real']).toContain(res.headers.get('x-seamline-verdict'));
      const picture = await decodeImage(new Uint8Array(await res.arrayBuffer()));
      expect([picture.width, picture.height]).toEqual([224, 224]);
      const original = await decodeImage(fixture('face-1.jpg'));
      let changed = 0;
      for (let i = 0; i < picture.data.length; i += 4) if (Math.abs(picture.data[i] - original.data[i]) > 40) changed++;
      expect(changed).toBeGreaterThan(500); // at least the box outline is drawn
    }
  });

  it('scans a 6 MP upload at the analysis size: boxes in the upload\'s pixels, the overlay at the analysed size', async () => {
    const face = await decodeImage(fixture('face-7.jpg'));
    const scene = (k: number) => encodeJpeg(paste(canvas(1500 * k, 1000 * k, [120, 120, 120]), face, 750 * k, 300 * k, 2 * k), 90);
    const small = (await (await xray(await scene(1), 'image/jpeg')).json()) as XrayBody & { faces: { mapRegion: { x: number; size: number } }[] };
    const bigBytes = await scene(2);
    const big = (await (await xray(bigBytes, 'image/jpeg')).json()) as typeof small;
    expect(big.faces).toHaveLength(1);
    const [s, b] = [small.faces[0], big.faces[0]];
    expect(Math.abs(b.box.x - 2 * s.box.x)).toBeLessThan(0.03 * b.box.width);
    expect(Math.abs(b.box.width - 2 * s.box.width)).toBeLessThan(0.03 * b.box.width);
    expect(Math.abs(b.mapRegion.size - 2 * s.mapRegion.size)).toBeLessThan(0.03 * b.mapRegion.size);
    expect(Math.abs(b.score - s.score)).toBeLessThan(0.1);
    const overlay = await xray(bigBytes, 'image/jpeg', '?overlay=1');
    expect(overlay.headers.get('x-seamline-scale')).toBe('0.5');
    const picture = await decodeImage(new Uint8Array(await overlay.arrayBuffer()));
    expect([picture.width, picture.height]).toEqual([1500, 1000]);
  });

  it('answers an image without faces with verdict null and a reason', async () => {
    const res = await xray(await encodePng(canvas(300, 200, [200, 180, 160])), 'image/png');
    expect(res.status).toBe(200);
    const body = (await res.json()) as XrayBody;
    expect(body).toMatchObject({ verdict: null, reason: 'no-face', score: null, faces: [] });
  });

  it('rejects an invalid overlay value and bad images with problem+json', async () => {
    const bad = await xray(fixture('face-1.jpg'), 'image/jpeg', '?overlay=maybe');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const corrupt = await xray(fixture('face-1.jpg').subarray(0, 2000), 'image/jpeg');
    expect(corrupt.status).toBe(422);
    expect(corrupt.headers.get('content-type')).toBe('application/problem+json');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng } from '../src/image/index.js';
import type { Face } from '../src/pipeline/types.js';
import { fixture } from './fixtures/index.js';
import { canvas, grid, paste } from './support/images.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

type FacesBody = { width: number; height: number; faces: Face[]; truncated?: boolean };

let worker: WorkerHandle;
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.stop(); });

async function postFaces(body: Uint8Array, type: string): Promise<{ status: number; type: string | null; body: FacesBody }> {
  const res = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as FacesBody };
}

const inside = (f: Face, w: number, h: number) =>
  f.box.x > -f.box.width * 0.2 && f.box.y > -f.box.height * 0.2 && f.box.x + f.box.width < w * 1.2 && f.box.y + f.box.height < h * 1.2;

function expectPlausibleFace(f: Face, w: number, h: number) {
  expect(f.score).toBeGreaterThan(0.5);
  expect(inside(f, w, h)).toBe(true);
  expect(f.keypoints).toHaveLength(5);
  expect(f.landmarks).toHaveLength(468);
  const [le, re, nose, lm, rm] = f.keypoints;
  expect(le[0]).toBeLessThan(re[0]); // left eye is left of the right eye in the image
  expect(nose[1]).toBeGreaterThan((le[1] + re[1]) / 2); // nose below the eyes
  expect(lm[1]).toBeGreaterThan(nose[1]); // mouth below the nose
  expect(lm[0]).toBeLessThan(rm[0]);
  for (const v of Object.values(f.pose)) expect(Math.abs(v)).toBeLessThan(45);
}

describe('POST /v1/faces in workerd', () => {
  it('finds the one face of a FairFace photo with key points, 468 landmarks and pose', async () => {
    const { status, body } = await postFaces(fixture('face-1.jpg'), 'image/jpeg');
    expect(status).toBe(200);
    expect(body).toMatchObject({ width: 224, height: 224 });
    expect(body.faces).toHaveLength(1);
    expectPlausibleFace(body.faces[0], 224, 224);
    // Eyes of this portrait sit around y≈70 and x≈67 / 154 (224 px image).
    const [le, re] = body.faces[0].keypoints;
    expect(Math.abs(le[0] - 67)).toBeLessThan(10);
    expect(Math.abs(re[0] - 154)).toBeLessThan(10);
    expect(Math.abs(le[1] - 70)).toBeLessThan(10);
  });

  it('reports coordinates after EXIF rotation (orientation 6 gives the same face as the upright original)', async () => {
    const upright = (await postFaces(fixture('face-1.jpg'), 'image/jpeg')).body.faces[0];
    const rotated = await postFaces(fixture('face-1-exif6.jpg'), 'image/jpeg');
    expect(rotated.status).toBe(200);
    expect(rotated.body.faces).toHaveLength(1);
    const f = rotated.body.faces[0];
    for (let k = 0; k < 5; k++) {
      expect(Math.abs(f.keypoints[k][0] - upright.keypoints[k][0])).toBeLessThan(6);
      expect(Math.abs(f.keypoints[k][1] - upright.keypoints[k][1])).toBeLessThan(6);
    }
  });

  it('handles grayscale, CMYK, WebP and alpha PNG inputs', async () => {
    for (const [file, type] of [
      ['face-6-gray.jpg', 'image/jpeg'],
      ['face-4-cmyk.jpg', 'image/jpeg'],
      ['face-1.webp', 'image/webp'],
      ['face-7-alpha.png', 'image/png'],
    ] as const) {
      const { status, body } = await postFaces(fixture(file), type);
      expect(status, file).toBe(200);
      expect(body.faces.length, file).toBeGreaterThanOrEqual(1);
      expectPlausibleFace(body.faces[0], body.width, body.height);
    }
  });

  it('accepts multipart/form-data with the image in field "image"', async () => {
    const form = new FormData();
    form.set('image', new Blob([fixture('face-4.jpg')], { type: 'image/jpeg' }), 'face.jpg');
    const res = await worker.fetch('/v1/faces', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(((await res.json()) as FacesBody).faces.length).toBeGreaterThanOrEqual(1);
  });

  it('finds every face of a multi-face composite, each in its own cell', async () => {
    const faces = await Promise.all(['face-1.jpg', 'face-4.jpg', 'face-7.jpg'].map((f) => decodeImage(fixture(f))));
    const composite = grid(faces, 3, 224);
    const { status, body } = await postFaces(await encodePng(composite), 'image/png');
    expect(status).toBe(200);
    expect(body.faces).toHaveLength(3);
    const cells = body.faces.map((f) => Math.floor((f.box.x + f.box.width / 2) / 224)).sort();
    expect(cells).toEqual([0, 1, 2]);
  });

  it('caps the number of faces at MAX_FACES, largest first, and says so', async () => {
    const capped = await startWorker({ MAX_FACES: '2' });
    try {
      const faces = await Promise.all(['face-1.jpg', 'face-4.jpg', 'face-7.jpg'].map((f) => decodeImage(fixture(f))));
      const img = paste(paste(paste(canvas(700, 300), faces[0], 0, 40, 1), faces[1], 240, 0, 1.2), faces[2], 520, 80, 0.8);
      const res = await capped.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': 'image/png' }, body: (await encodePng(img)) as Uint8Array<ArrayBuffer> });
      const body = (await res.json()) as FacesBody;
      expect(body.faces).toHaveLength(2);
      expect(body.truncated).toBe(true);
      expect(body.faces[0].box.width).toBeGreaterThanOrEqual(body.faces[1].box.width);
      expect(body.faces[0].box.x).toBeGreaterThan(200); // the 1.2× face is the largest
    } finally {
      await capped.stop();
    }
  });

  it('analyses a 6 MP upload at the 2 MP analysis size and reports the face in the upload\'s pixels', async () => {
    const face = await decodeImage(fixture('face-1.jpg'));
    // The same picture at 1.5 MP (analysed as it is) and at 6 MP (decoded at 1/2, coordinates scaled back).
    const scene = (k: number) => encodeJpeg(paste(canvas(1500 * k, 1000 * k, [120, 120, 120]), face, 750 * k, 300 * k, 2 * k), 90);
    const small = (await postFaces(await scene(1), 'image/jpeg')).body.faces[0];
    const { status, body } = await postFaces(await scene(2), 'image/jpeg');
    expect(status).toBe(200);
    expect(body).toMatchObject({ width: 3000, height: 2000 });
    expect(body.faces).toHaveLength(1);
    const f = body.faces[0];
    const tolerance = 0.03 * f.box.width;
    expect(Math.abs(f.box.x - 2 * small.box.x)).toBeLessThan(tolerance);
    expect(Math.abs(f.box.y - 2 * small.box.y)).toBeLessThan(tolerance);
    expect(Math.abs(f.box.width - 2 * small.box.width)).toBeLessThan(tolerance);
    f.keypoints.forEach(([x, y], i) => {
      expect(Math.hypot(x - 2 * small.keypoints[i][0], y - 2 * small.keypoints[i][1])).toBeLessThan(tolerance);
    });
  });

  it('answers concurrent uploads one after the other (the isolate gate), each with its own faces', async () => {
    const names = ['face-1.jpg', 'face-4.jpg', 'face-7.jpg', 'face-1.jpg', 'face-4.jpg', 'face-7.jpg'];
    const alone = new Map<string, Face>();
    for (const name of new Set(names)) alone.set(name, (await postFaces(fixture(name), 'image/jpeg')).body.faces[0]);
    const together = await Promise.all(names.map((name) => postFaces(fixture(name), 'image/jpeg')));
    together.forEach(({ status, body }, i) => {
      expect(status).toBe(200);
      expect(body.faces[0].box).toEqual(alone.get(names[i])!.box);
    });
    expect(((await (await worker.fetch('/health')).json()) as { load: object }).load).toEqual({ active: 0, queued: 0 });
  });

  it('answers an image without faces with an empty list', async () => {
    const { status, body } = await postFaces(await encodePng(canvas(320, 240, [90, 140, 200])), 'image/png');
    expect(status).toBe(200);
    expect(body).toEqual({ width: 320, height: 240, faces: [] });
  });

  it('does not report faces below the minimum size (tiny faces)', async () => {
    const face = await decodeImage(fixture('face-1.jpg'));
    const img = paste(canvas(800, 800), face, 400, 400, 12 / 224);
    const { status, body } = await postFaces(await encodePng(img), 'image/png');
    expect(status).toBe(200);
    expect(body.faces).toEqual([]);
  });

  it('answers a 1×1 image with no faces', async () => {
    const { status, body } = await postFaces(await encodePng(canvas(1, 1)), 'image/png');
    expect(status).toBe(200);
    expect(body).toEqual({ width: 1, height: 1, faces: [] });
  });

  it('refuses bad input with problem+json', async () => {
    const cases: Array<[Uint8Array, string, number]> = [
      [new Uint8Array(0), 'image/jpeg', 400],
      [fixture('face-1.jpg').subarray(0, 3000), 'image/jpeg', 422],
      [fixture('animated.png'), 'image/png', 422],
      [fixture('tiny.gif'), 'image/gif', 415],
      [fixture('face-1.jpg'), 'text/plain', 415],
    ];
    for (const [body, type, status] of cases) {
      const res = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> });
      expect(res.status, `${type} ${body.length} B`).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await res.json()) as { status: number; detail: string };
      expect(problem.status).toBe(status);
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
    }
  });
});

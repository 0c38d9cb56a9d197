import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import type { Face, Point2, RgbaImage } from '../src/pipeline/types.js';
import { points68 } from '../src/processors/swapper/index.js';
import { readXmpSourceType, TRAINED_ALGORITHMIC_MEDIA } from '../src/provenance/index.js';
import { kernels } from '../src/wasm/kernels.js';
import { fixture } from './fixtures/index.js';
import { expectProblem, hull, meanDiff, retryTransportOnce, swapForm, type Part } from './support/swap.js';
import { canvas, paste } from './support/images.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

const KEY = 'test-key';
// As bench/http.ts and tools/start.mjs do: without it miniflare tries to download Request.cf from workers.cloudflare.com,
// and in this offline sandbox that failure coincided with sporadic 503s / EPIPE on long multipart requests.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
let worker: WorkerHandle;
// An empty R2 of its own: `npm start` seeds the shared local state with the AEI files, and this file tests their absence.
const persist = mkdtempSync(join(tmpdir(), 'seamline-swap-'));
beforeAll(async () => { worker = await startWorker({ SEAMLINE_API_KEY: KEY }, { persist }); });
afterAll(async () => {
  await worker?.stop();
  rmSync(persist, { recursive: true, force: true });
});

function form(parts: Record<string, Part>): FormData {
  const f = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') f.append(name, value);
    else f.append(name, new Blob([value as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `${name}.jpg`);
  }
  return f;
}

async function postSwap(parts: Record<string, Part>, { query = '', key = KEY as string | null, accept = '*/*', on = worker } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return retryTransportOnce(`POST /v1/swap${query}`, () => on.fetch(`/v1/swap${query}`, { method: 'POST', headers, body: swapForm(parts) }));
}


/** Mean distance (px) between the two faces' iBUG points `from`–`to` (inclusive). */
const meanLandmarkError = (a: Face, b: Face, from = 0, to = 67) => {
  const p = points68(a), q = points68(b);
  let sum = 0;
  for (let i = from; i <= to; i++) sum += Math.hypot(p[i][0] - q[i][0], p[i][1] - q[i][1]);
  return sum / (to - from + 1);
};

describe('POST /v1/swap in workerd', () => {
  const source = fixture('face-4.jpg'), target = fixture('face-1.jpg');

  it('swaps face-4 into face-1: JPEG of the target size, face changed, surroundings kept, geometry kept, XMP declared', async () => {
    const res = await postSwap({ source, target });
    expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-seamline-model')).toBe('classical');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(readXmpSourceType(bytes)).toBe(TRAINED_ALGORITHMIC_MEDIA);
    const out = await decodeImage(bytes), original = await decodeImage(target);
    expect([out.width, out.height]).toEqual([original.width, original.height]);

    const targetFace = (await findFaces(original)).faces[0];
    const p = points68(targetFace);
    const innerFace = kernels.erodeDilate(hull(224, 224, p.slice(17)), 224, 224, -6);
    const outside = kernels.erodeDilate(hull(224, 224, p), 224, 224, 12).map((v) => 1 - v);
    const changedInside = meanDiff(out, original, innerFace), changedOutside = meanDiff(out, original, outside);
    expect(changedInside).toBeGreaterThan(8);
    expect(changedOutside).toBeLessThan(3.5); // JPEG re-encoding + the invisible watermark only
    expect(changedInside).toBeGreaterThan(4 * changedOutside);

    const found = (await findFaces(out)).faces;
    expect(found).toHaveLength(1);
    // The outline (jaw, brows) is the target's; the inner features keep 80 % of the source's proportions.
    const outline = meanLandmarkError(found[0], targetFace, 0, 26), all = meanLandmarkError(found[0], targetFace);
    expect(outline).toBeLessThan(6);
    expect(all).toBeLessThan(8);
    console.log(`swap: mean |Δ| inside ${changedInside.toFixed(1)}, outside ${changedOutside.toFixed(2)}; landmark error outline ${outline.toFixed(2)} px, all ${all.toFixed(2)} px`);
  });

  it('answers PNG for Accept: image/png, takes options from the query and the form (form wins), accepts hear', async () => {
    const res = await postSwap({ source, target, model: 'classical', targetFace: '0' }, { query: '?model=aei&hear=true&sourceFace=0', accept: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(readXmpSourceType(bytes)).toBe(TRAINED_ALGORITHMIC_MEDIA);
    const out = await decodeImage(bytes);
    expect([out.width, out.height]).toEqual([224, 224]);
  });

  it('targetFace picks among several faces, largest first', async () => {
    const two = paste(paste(canvas(480, 260, [90, 110, 130]), await decodeImage(fixture('face-1.jpg')), 0, 18), await decodeImage(fixture('face-7.jpg')), 270, 40, 0.8);
    const png = await encodePng(two);
    const res = await postSwap({ source, target: png, targetFace: '1' }, { accept: 'image/png' });
    expect(res.status).toBe(200);
    const out = await decodeImage(new Uint8Array(await res.arrayBuffer()));
    const faces = (await findFaces(two)).faces;
    expect(faces).toHaveLength(2);
    expect(faces[1].box.x).toBeGreaterThan(250); // the smaller face, on the right, is index 1
    const inner = (f: Face) => hull(480, 260, points68(f).slice(17));
    const [first, second] = [meanDiff(out, two, inner(faces[0])), meanDiff(out, two, inner(faces[1]))];
    console.log(`two faces, targetFace=1: mean |Δ| inside face 0 ${first.toFixed(2)}, inside face 1 ${second.toFixed(2)}`);
    expect(first).toBeLessThan(3); // only the watermark
    expect(second).toBeGreaterThan(3 * first);
  });

  it('401 without a key and with a wrong key, with a Bearer challenge', async () => {
    for (const key of [null, 'wrong-key', `${KEY}x`]) {
      const res = await postSwap({ source, target }, { key });
      await expectProblem(res, 401, key === null ? 'unauthorized' : 'invalid-api-key');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="seamline"/);
    }
  });

  it('403 swap-disabled when the server has no key configured', async () => {
    const bare = await startWorker();
    try {
      await expectProblem(await postSwap({ source, target }, { on: bare }), 403, 'swap-disabled');
      await expectProblem(await postSwap({ source, target }, { on: bare, key: null }), 403, 'swap-disabled');
    } finally {
      await bare.stop();
    }
  });

  it('422 no-face naming the faceless image', async () => {
    const blank = await encodePng(canvas(320, 240, [200, 180, 160]));
    const s = await expectProblem(await postSwap({ source: blank, target }), 422, 'no-face');
    expect(s).toMatchObject({ image: 'source' });
    expect(s.detail).toContain('source');
    const t = await expectProblem(await postSwap({ source, target: blank }), 422, 'no-face');
    expect(t).toMatchObject({ image: 'target' });
  });

  it('a target over MAX_FULL_SIZE_PIXELS (3 MP, decoded whole) → 413; a 6 MP source is analysed scaled down and swaps', async () => {
    const face = await decodeImage(source);
    const big = await encodeJpeg(paste(canvas(3000, 2000, [120, 120, 120]), face, 1500, 600, 4), 90);
    const refused = await expectProblem(await postSwap({ source, target: big }), 413, 'image-too-many-pixels');
    expect(refused).toMatchObject({ width: 3000, height: 2000, maxPixels: 3_000_000 });
    const res = await postSwap({ source: big, target });
    expect(res.status).toBe(200);
    expect((await decodeImage(new Uint8Array(await res.arrayBuffer()))).width).toBe(224);
  });

  it('422 face-index for an index beyond the faces found', async () => {
    const t = await expectProblem(await postSwap({ source, target, targetFace: '1' }), 422, 'face-index');
    expect(t).toMatchObject({ image: 'target', index: 1, faces: 1 });
    const s = await expectProblem(await postSwap({ source, target }, { query: '?sourceFace=5' }), 422, 'face-index');
    expect(s).toMatchObject({ image: 'source', index: 5 });
  });

  it('503 model-unavailable for model=aei without its R2 files, with or without hear=true', async () => {
    const missing = await expectProblem(await postSwap({ source, target, model: 'aei' }), 503, 'model-unavailable');
    expect(missing.detail).toMatch(/aei/i);
    const hear = await expectProblem(await postSwap({ source, target }, { query: '?model=aei&hear=true' }), 503, 'model-unavailable');
    expect(hear.detail).toMatch(/seamline-models/);
  });

  it('400 for missing or non-file parts and invalid options; 415 for raw and non-image bodies', async () => {
    expect((await expectProblem(await postSwap({ source }), 400, 'missing-image')).field).toBe('target');
    expect((await expectProblem(await postSwap({ source: 'text', target }), 400, 'missing-image')).field).toBe('source');
    await expectProblem(await postSwap({ source, target, model: 'deepfake' }), 400, 'invalid-request');
    await expectProblem(await postSwap({ source, target }, { query: '?targetFace=-1' }), 400, 'invalid-request');
    await expectProblem(await postSwap({ source, target, hear: 'maybe' }), 400, 'invalid-request');
    const raw = await worker.fetch('/v1/swap', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'image/jpeg' }, body: target });
    await expectProblem(raw, 415, 'unsupported-media-type');
    await expectProblem(await postSwap({ source: fixture('tiny.gif'), target }), 415, 'unsupported-image-format');
    const text = await worker.fetch('/v1/swap', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' }, body: 'hi' });
    await expectProblem(text, 415, 'unsupported-media-type');
  });

  it('is documented in /openapi.json with the bearer security scheme', async () => {
    const doc = (await (await worker.fetch('/openapi.json')).json()) as any;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const op = doc.paths['/v1/swap'].post;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.requestBody.content['multipart/form-data'].schema.required).toEqual(['source', 'target']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '413', '415', '422', '503']));
  });
});

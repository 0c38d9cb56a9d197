/**
 * POST /v1/swap?model=aei in workerd: AEI-Net lite + mobilefacenet fp16 read from the MODELS R2 bucket, seeded into a
 * temp persist dir by tools/seed-models.mjs (support/models.ts); with hear=true also HEAR-Net lite. Also: 503
 * `model-unavailable` when the bucket is empty. The swaps are written to test-output/swap-aei{,-hear}.jpg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import type { Point2, RgbaImage } from '../src/pipeline/types.js';
import { points68 } from '../src/processors/swapper/index.js';
import { readXmpSourceType, TRAINED_ALGORITHMIC_MEDIA } from '../src/provenance/index.js';
import { kernels } from '../src/wasm/kernels.js';
import { fixture } from './fixtures/index.js';
import { expectProblem, hull, meanDiff, retryTransportOnce, swapForm, type Part } from './support/swap.js';
import { startSeededWorker } from './support/models.js';
import type { WorkerHandle } from './support/worker.js';

const KEY = 'test-key';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let seeded: WorkerHandle;
let empty: WorkerHandle;
beforeAll(async () => {
  [seeded, empty] = await Promise.all([startSeededWorker({ SEAMLINE_API_KEY: KEY }), startSeededWorker({ SEAMLINE_API_KEY: KEY }, { seed: false })]);
});
afterAll(async () => {
  await Promise.all([seeded?.stop(), empty?.stop()]);
});

function form(parts: Record<string, Uint8Array | string>): FormData {
  const f = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') f.append(name, value);
    else f.append(name, new Blob([value as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `${name}.jpg`);
  }
  return f;
}

const postSwap = (on: WorkerHandle, parts: Record<string, Uint8Array | string>, query = '?model=aei') =>
  retryTransportOnce(`POST /v1/swap${query}`, () => on.fetch(`/v1/swap${query}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: swapForm(parts) }));


describe('POST /v1/swap?model=aei in workerd (models from R2)', () => {
  const source = fixture('face-4.jpg'), target = fixture('face-1.jpg');

  it('swaps face-4 into face-1: JPEG of the target size, face changed, background kept, provenance declared and detected', async () => {
    const res = await postSwap(seeded, { source, target });
    expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-seamline-model')).toBe('aei');
    const bytes = new Uint8Array(await res.arrayBuffer());
    mkdirSync(join(root, 'test-output'), { recursive: true });
    writeFileSync(join(root, 'test-output/swap-aei.jpg'), bytes);
    expect(readXmpSourceType(bytes)).toBe(TRAINED_ALGORITHMIC_MEDIA);
    const out = await decodeImage(bytes), original = await decodeImage(target);
    expect([out.width, out.height]).toEqual([original.width, original.height]);

    const p = points68((await findFaces(original)).faces[0]);
    const { width: w, height: h } = original;
    const innerFace = kernels.erodeDilate(hull(w, h, p.slice(17)), w, h, -6);
    const outside = kernels.erodeDilate(hull(w, h, p), w, h, 12).map((v) => 1 - v);
    const changedInside = meanDiff(out, original, innerFace), changedOutside = meanDiff(out, original, outside);
    console.log(`aei swap: mean |Δ| inside ${changedInside.toFixed(1)}, outside ${changedOutside.toFixed(2)}`);
    expect(changedInside).toBeGreaterThan(6);
    expect(changedOutside).toBeLessThan(3.5); // JPEG re-encoding + the invisible watermark only
    expect(changedInside).toBeGreaterThan(3 * changedOutside);

    // The X-ray route reports the swap's provenance (XMP + invisible watermark) as seamline.
    const xray = await retryTransportOnce('POST /v1/xray', () =>
      seeded.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: bytes as Uint8Array<ArrayBuffer> }));
    expect(xray.status).toBe(200);
    const report = (await xray.json()) as { provenance: string | null; score: number | null };
    console.log(`aei swap: /v1/xray provenance ${report.provenance}, score ${report.score}`);
    expect(report.provenance).toBe('seamline');
  });

  it('hear=true refines the AEI swap with HEAR-Net: a different image, same face region changed, background kept', async () => {
    const [plain, refined] = await Promise.all([postSwap(seeded, { source, target }), postSwap(seeded, { source, target, hear: 'true' })]);
    expect(refined.status, refined.status === 200 ? '' : await refined.clone().text()).toBe(200);
    expect(refined.headers.get('x-seamline-model')).toBe('aei+hear');
    const bytes = new Uint8Array(await refined.arrayBuffer());
    writeFileSync(join(root, 'test-output/swap-aei-hear.jpg'), bytes);
    const out = await decodeImage(bytes), without = await decodeImage(new Uint8Array(await plain.arrayBuffer()));
    const original = await decodeImage(target);
    const p = points68((await findFaces(original)).faces[0]);
    const { width: w, height: h } = original;
    const innerFace = kernels.erodeDilate(hull(w, h, p.slice(17)), w, h, -6);
    const outside = kernels.erodeDilate(hull(w, h, p), w, h, 12).map((v) => 1 - v);
    const vsPlain = meanDiff(out, without, innerFace);
    console.log(`aei+hear: mean |Δ| vs the plain aei swap inside ${vsPlain.toFixed(2)}, vs target inside ${meanDiff(out, original, innerFace).toFixed(1)}`);
    expect(vsPlain).toBeGreaterThan(0.3); // HEAR-Net ran and changed the face (two JPEGs of one image differ by ~0)
    expect(meanDiff(out, original, innerFace)).toBeGreaterThan(6);
    expect(meanDiff(out, original, outside)).toBeLessThan(3.5);
  });

  it('503 model-unavailable with the seed hint when the MODELS bucket lacks the model', async () => {
    const body = await expectProblem(await postSwap(empty, { source, target }), 503, 'model-unavailable');
    expect(body.detail).toContain('seed-models.mjs');
    expect(body.object).toBe('seamline-models/aei_lite.int8.onnx');
    // classical needs no model and still works on the same server
    expect((await postSwap(empty, { source, target }, '?model=classical')).status).toBe(200);
  });
});

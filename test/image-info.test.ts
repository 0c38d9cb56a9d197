/** POST /v1/image-info in the real worker (workerd via wrangler): codecs, limits and problem+json. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJpeg, encodePng } from '../src/image/index.js';
import { fixture } from './fixtures/index.js';
import { canvas } from './support/images.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

let worker: WorkerHandle;
// Small limits so the 413 paths are cheap: 80 KB per image, 60 000 pixels (224×224 = 50 176 fits); fixtures are
// analysed at 140×140 (5/8, under 20 000 pixels), and PNG/WebP up to 224×224 may be decoded whole for that.
beforeAll(async () => {
  worker = await startWorker({ MAX_IMAGE_BYTES: '80000', MAX_IMAGE_PIXELS: '60000', MAX_ANALYSIS_PIXELS: '20000', MAX_WHOLE_DECODE_PIXELS: '50176' });
});
afterAll(async () => { await worker?.stop(); });

const raw = (name: string | Uint8Array<ArrayBuffer>, type: string) =>
  worker.fetch('/v1/image-info', { method: 'POST', headers: { 'content-type': type }, body: typeof name === 'string' ? fixture(name) : name });
const multipart = (name: string, field = 'image') => {
  const form = new FormData();
  form.append(field, new Blob([fixture(name)]), name);
  return worker.fetch('/v1/image-info', { method: 'POST', body: form });
};
async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: `https://seamline.dev/problems/${code}`, instance: '/v1/image-info' });
  return body;
}

describe('POST /v1/image-info in workerd', () => {
  it('JPEG as raw body', async () => {
    const res = await raw('face-1.jpg', 'image/jpeg');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ format: 'jpeg', width: 224, height: 224, orientation: 1, animated: false, colorModel: 'rgb' });
  });

  it('every decodable kind, as multipart', async () => {
    const cases: [string, object][] = [
      ['face-1.webp', { format: 'webp', colorModel: 'rgb' }],
      ['face-7-alpha.png', { format: 'png', colorModel: 'rgba' }],
      ['face-6-gray.jpg', { format: 'jpeg', colorModel: 'gray' }],
      ['face-4-cmyk.jpg', { format: 'jpeg', colorModel: 'cmyk' }],
      ['face-1-exif6.jpg', { format: 'jpeg', orientation: 6, width: 224, height: 224 }],
    ];
    for (const [name, expected] of cases) {
      const res = await multipart(name);
      expect(res.status, name).toBe(200);
      expect(await res.json()).toMatchObject(expected);
    }
  });

  it('errors are problem+json with the right status', async () => {
    await expectProblem(await worker.fetch('/v1/image-info', { method: 'POST' }), 400, 'missing-image');
    await expectProblem(await raw(new Uint8Array(0), 'image/png'), 400, 'missing-image');
    await expectProblem(await multipart('face-1.jpg', 'photo'), 400, 'missing-image');
    await expectProblem(await raw('face-1.jpg', 'text/plain'), 415, 'unsupported-media-type');
    await expectProblem(await multipart('tiny.gif'), 415, 'unsupported-image-format');
    await expectProblem(await raw(new TextEncoder().encode('definitely not an image'), 'image/png'), 415, 'unsupported-image-format');
    await expectProblem(await raw(fixture('face-1.jpg').subarray(0, 3000), 'image/jpeg'), 422, 'corrupt-image');
    await expectProblem(await raw('animated.png', 'image/png'), 422, 'animated-image');
    await expectProblem(await raw(new Uint8Array(80_001), 'image/jpeg'), 413, 'image-too-large');
    const bigPixels = new Uint8Array(fixture('face-1.jpg')); // 224×224 → 300×300 in the SOF header
    const sof = Buffer.from(bigPixels).indexOf(Buffer.from([0xff, 0xc0]));
    bigPixels.set([300 >> 8, 300 & 255, 300 >> 8, 300 & 255], sof + 5);
    await expectProblem(await raw(bigPixels, 'image/jpeg'), 413, 'image-too-many-pixels');
    const malformed = await worker.fetch('/v1/image-info', {
      method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=B' }, body: '--B\r\nContent-Disposition: form-data; name="image"\r\n\r\nxx',
    });
    await expectProblem(malformed, 400, 'malformed-multipart');
  });

  it('reports the upload\'s size however it was analysed; a PNG too large to decode whole → 413, a JPEG that size → 200', async () => {
    const scene = canvas(230, 230, [90, 140, 200]); // 52 900 px: under MAX_IMAGE_PIXELS, over MAX_WHOLE_DECODE_PIXELS
    const png = await expectProblem(await raw((await encodePng(scene)) as Uint8Array<ArrayBuffer>, 'image/png'), 413, 'image-too-many-pixels');
    expect(png).toMatchObject({ width: 230, height: 230, maxPixels: 50_176 });
    const jpeg = await raw((await encodeJpeg(scene, 90)) as Uint8Array<ArrayBuffer>, 'image/jpeg');
    expect(jpeg.status).toBe(200);
    expect(await jpeg.json()).toMatchObject({ format: 'jpeg', width: 230, height: 230 });
  });

  it('the route is in the OpenAPI document', async () => {
    const res = await worker.fetch('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> };
    expect(Object.keys(doc.paths['/v1/image-info'].post!.requestBody!.content)).toEqual(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream', 'multipart/form-data', 'application/json']);
  });
});

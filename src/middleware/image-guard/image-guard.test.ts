import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/index.js';
import type { AppEnv } from '../../env.js';
import { isProblem } from '../../problem.js';
import { imageGuard } from './index.js';

function app(options: Parameters<typeof imageGuard>[0] = {}) {
  const a = new Hono<AppEnv>();
  a.onError((e) => (isProblem(e) ? e.toResponse() : new Response(String(e), { status: 500 })));
  a.post('/one', imageGuard(options), (c) => c.json({ field: c.var.image.field, w: c.var.image.image.width, format: c.var.image.info.format }));
  a.post('/two', imageGuard({ ...options, field: 'source' }), imageGuard({ ...options, field: 'target' }), (c) =>
    c.json({ source: c.var.images.source.info.format, target: c.var.images.target.info.format, last: c.var.image.field }),
  );
  return a;
}
const post = (body: BodyInit | null, headers: Record<string, string> = {}, path = '/one', env?: Record<string, string>) =>
  app().request(path, { method: 'POST', body, headers }, env);
const form = (entries: Record<string, Blob | string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
};
const blob = (name: string, type = 'application/octet-stream') => new Blob([fixture(name)], { type });
const status = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), code: ((await res.json()) as { type: string }).type.split('/').pop() });

describe('imageGuard', () => {
  it('accepts a raw image body and a multipart field', async () => {
    const raw = await post(fixture('face-1.jpg'), { 'content-type': 'image/jpeg' });
    expect(await raw.json()).toEqual({ field: 'image', w: 224, format: 'jpeg' });
    const multi = await post(form({ image: blob('face-1.webp'), note: 'hi' }));
    expect(await multi.json()).toEqual({ field: 'image', w: 224, format: 'webp' });
  });

  it('reads two fields from one multipart body', async () => {
    const res = await post(form({ source: blob('face-1.jpg'), target: blob('face-7-alpha.png') }), {}, '/two');
    expect(await res.json()).toEqual({ source: 'jpeg', target: 'png', last: 'target' });
  });

  it('trusts magic bytes over the declared type', async () => {
    const res = await post(fixture('face-7-alpha.png'), { 'content-type': 'image/jpeg' });
    expect(await res.json()).toMatchObject({ format: 'png' });
  });

  it('no body, zero bytes, missing or text field → 400 missing-image', async () => {
    expect(await status(await post(null))).toMatchObject({ status: 400, code: 'missing-image', type: 'application/problem+json' });
    expect(await status(await post(new Uint8Array(0), { 'content-type': 'image/png' }))).toMatchObject({ status: 400, code: 'missing-image' });
    expect(await status(await post(form({ other: blob('face-1.jpg') })))).toMatchObject({ status: 400, code: 'missing-image' });
    expect(await status(await post(form({ image: 'not a file' })))).toMatchObject({ status: 400, code: 'missing-image' });
    expect(await status(await post(form({ image: new Blob([]) })))).toMatchObject({ status: 400, code: 'missing-image' });
  });

  it('malformed multipart → 400 malformed-multipart', async () => {
    const body = '--XYZ\r\nContent-Disposition: form-data; name="image"\r\n\r\nunterminated';
    expect(await status(await post(body, { 'content-type': 'multipart/form-data; boundary=XYZ' }))).toMatchObject({ status: 400, code: 'malformed-multipart' });
    expect(await status(await post('x', { 'content-type': 'multipart/form-data' }))).toMatchObject({ status: 400, code: 'malformed-multipart' });
  });

  it('wrong or missing content type → 415 unsupported-media-type', async () => {
    expect(await status(await post(fixture('face-1.jpg'), { 'content-type': 'text/plain' }))).toMatchObject({ status: 415, code: 'unsupported-media-type' });
    expect(await status(await post(fixture('face-1.jpg'), { 'content-type': 'application/json' }))).toMatchObject({ status: 400, code: 'invalid-json' });
    expect(await status(await post(fixture('tiny.gif'), { 'content-type': 'image/gif' }))).toMatchObject({ status: 415, code: 'unsupported-media-type' });
    expect(await status(await post(new Blob([fixture('face-1.jpg')])))).toMatchObject({ status: 415 }); // body without Content-Type
  });

  it('unsupported image formats, corrupt and animated images, too many pixels', async () => {
    expect(await status(await post(form({ image: blob('tiny.gif') })))).toMatchObject({ status: 415, code: 'unsupported-image-format' });
    const cut = fixture('face-1.jpg').subarray(0, 3000);
    expect(await status(await post(cut, { 'content-type': 'image/jpeg' }))).toMatchObject({ status: 422, code: 'corrupt-image' });
    expect(await status(await post(fixture('animated.webp'), { 'content-type': 'image/webp' }))).toMatchObject({ status: 422, code: 'animated-image' });
    const small = await post(fixture('face-1.jpg'), { 'content-type': 'image/jpeg' }, '/one', { MAX_IMAGE_PIXELS: '10000' });
    expect(await status(small)).toMatchObject({ status: 413, code: 'image-too-many-pixels' });
  });

  it('bytes over the limit → 413, from env or options', async () => {
    const face = fixture('face-1.jpg'); // 4440 bytes
    expect(await status(await post(face, { 'content-type': 'image/jpeg' }, '/one', { MAX_IMAGE_BYTES: '4439' }))).toMatchObject({ status: 413, code: 'image-too-large' });
    expect((await post(face, { 'content-type': 'image/jpeg' }, '/one', { MAX_IMAGE_BYTES: '4440' })).status).toBe(200);
    expect((await post(face, { 'content-type': 'image/jpeg' }, '/one', { MAX_IMAGE_BYTES: 'nonsense' })).status).toBe(200); // invalid → default
    const res = await app({ maxBytes: 1000 }).request('/one', { method: 'POST', body: form({ image: blob('face-1.jpg') }) });
    expect(await status(res)).toMatchObject({ status: 413, code: 'image-too-large' });
  });

  it('refuses a declared Content-Length over the limit before reading, and counts bytes when it lies', async () => {
    let pulled = 0;
    const endless = () => new ReadableStream<Uint8Array>({ pull(ctl) { pulled++; ctl.enqueue(new Uint8Array(64 * 1024)); } });
    const early = await app({ maxBytes: 100_000 }).request(new Request('http://x/one', {
      method: 'POST', body: endless(), headers: { 'content-type': 'image/jpeg', 'content-length': '5000000' }, duplex: 'half',
    } as RequestInit));
    expect(await status(early)).toMatchObject({ status: 413, code: 'image-too-large' });
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's initial pull
    pulled = 0;
    const lying = await app({ maxBytes: 100_000 }).request(new Request('http://x/one', {
      method: 'POST', body: endless(), headers: { 'content-type': 'image/jpeg', 'content-length': '10' }, duplex: 'half',
    } as RequestInit));
    expect(await status(lying)).toMatchObject({ status: 413, code: 'image-too-large' });
    expect(pulled).toBeLessThan(6); // stopped after ~2 chunks of 64 KiB, not an endless read
  });
});

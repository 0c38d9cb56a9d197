/**
 * The plugin against a real Payload 3 (in-process `getPayload`, SQLite through @payloadcms/db-sqlite on a
 * temp file, files written to a temp `staticDir`) and the real seamline worker (workerd via startWorker).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, getPayload, type CollectionConfig, type Payload } from 'payload';
import { sqliteAdapter } from '@payloadcms/db-sqlite';
import type { XrayResponse } from 'seamline';
import { startWorker, type WorkerHandle } from '../../../test/support/worker.js';
import { seamlinePlugin, type SeamlinePluginOptions } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const face1 = readFileSync(join(fixtures, 'face-1.jpg'));
const face4 = readFileSync(join(fixtures, 'face-4.jpg'));
const jpeg = (data: Buffer, name: string) => ({ data, mimetype: 'image/jpeg', name, size: data.length });

let worker: WorkerHandle;
let expected: XrayResponse; // what the worker itself says about face-1.jpg
const instances: { payload: Payload; dir: string }[] = [];

type Instance = { payload: Payload; staticDir: string; adminUser: Record<string, unknown> & { collection: string } };

// Payload's dev-mode schema push skips a schema it has already pushed in this process; each instance
// here has a fresh database, so force the push.
process.env.PAYLOAD_FORCE_DRIZZLE_PUSH = 'true';

let counter = 0;
async function startPayload(options: Partial<SeamlinePluginOptions>): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'seamline-payload-'));
  const staticDir = join(dir, 'media');
  const media: CollectionConfig = {
    slug: 'media',
    upload: { staticDir },
    // Public media, as most sites have it: the plugin must still hide quarantined uploads.
    access: { read: () => true, create: () => true, update: () => true },
    fields: [{ name: 'alt', type: 'text' }],
  };
  const users: CollectionConfig = { slug: 'users', auth: true, fields: [] };
  const config = buildConfig({
    secret: 'test-secret-'.padEnd(40, 'x'),
    telemetry: false,
    logger: { options: { level: 'error' } },
    db: sqliteAdapter({ client: { url: `file:${join(dir, 'db.sqlite')}` }, push: true }),
    collections: [users, media],
    plugins: [seamlinePlugin({ apiUrl: worker.url, collections: ['media'], thumbnail: true, mode: 'flag', ...options })],
  });
  const payload = await getPayload({ config, key: `seamline-test-${process.pid}-${++counter}` });
  instances.push({ payload, dir });
  const adminUser = await payload.create({ collection: 'users', data: { email: `admin${counter}@example.com`, password: 'correct horse battery' } });
  return { payload, staticDir, adminUser: { ...adminUser, collection: 'users' } };
}

beforeAll(async () => {
  worker = await startWorker();
  const res = await worker.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: face1 });
  expect(res.status).toBe(200);
  expected = (await res.json()) as XrayResponse;
  expect(expected.score).toBeTypeOf('number');
});

afterAll(async () => {
  for (const { payload, dir } of instances) {
    await payload.destroy().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  await worker?.stop();
});

describe('seamlinePlugin in Payload 3', () => {
  it('flag mode: scans the upload and stores verdict, score, threshold, faces, model and a boundary thumbnail', async () => {
    const { payload, staticDir } = await startPayload({ mode: 'flag' });
    const created = await payload.create({ collection: 'media', data: { alt: 'face one' }, file: jpeg(face1, 'face-1.jpg') });

    // Read back from SQLite, not just the object the hook returned.
    const doc = await payload.findByID({ collection: 'media', id: created.id });
    const s = doc.seamline as Record<string, any>;
    expect(s.score).toBeCloseTo(expected.score!, 6);
    expect(s.threshold).toBe(expected.threshold);
    const fake = expected.score! >= expected.threshold;
    expect(s.verdict).toBe(fake ? 'fake' : 'real');
    expect(s.status).toBe(fake ? 'flagged' : 'clean');
    expect(s.model).toBe(`${expected.model.name}@${expected.model.version}`);
    expect(s.provenance).toBeNull();
    expect(s.faces).toHaveLength(expected.faces.length);
    expect(s.faces[0]).toMatchObject({ score: expected.faces[0].score, label: expected.faces[0].label, box: expected.faces[0].box });
    expect(s.faces[0]).not.toHaveProperty('boundaryMap');
    expect(s.boundaryThumbnail).toBe(expected.faces[0].boundaryMap);
    expect(s.boundaryThumbnail).toMatch(/^data:image\/png;base64,/);
    expect(Date.now() - Date.parse(s.scannedAt)).toBeLessThan(60_000);
    expect(doc.filename).toBe('face-1.jpg');
    expect(existsSync(join(staticDir, 'face-1.jpg'))).toBe(true);

    // An edit without a new file keeps the scan; a replaced file is scanned again.
    const edited = await payload.update({ collection: 'media', id: created.id, data: { alt: 'renamed' } });
    expect((edited.seamline as any).scannedAt).toBe(s.scannedAt);
    const replaced = await payload.update({ collection: 'media', id: created.id, data: {}, file: jpeg(face4, 'face-4.jpg') });
    const r = replaced.seamline as Record<string, any>;
    expect(Date.parse(r.scannedAt)).toBeGreaterThanOrEqual(Date.parse(s.scannedAt));
    expect(r.score).not.toBe(s.score);
    expect(r.score).toBeTypeOf('number');

    // Not an image: stored, not scanned.
    const text = Buffer.from('hello');
    const notImage = await payload.create({ collection: 'media', data: { alt: 'text' }, file: { data: text, mimetype: 'text/plain', name: 'notes.txt', size: text.length } });
    expect((notImage.seamline as any)?.status ?? null).toBeNull();
    expect((notImage.seamline as any)?.scannedAt ?? null).toBeNull();
  });

  it('block mode: an upload at or above the threshold is refused with a clear message and nothing is stored', async () => {
    // threshold 0.0001: any face's calibrated score reaches it, so the refusal is deterministic.
    expect(expected.score!).toBeGreaterThanOrEqual(0.0001);
    const { payload, staticDir } = await startPayload({ mode: 'block', threshold: 0.0001 });
    const attempt = payload.create({ collection: 'media', data: { alt: 'fake' }, file: jpeg(face1, 'face-1.jpg') });
    await expect(attempt).rejects.toThrow(/^Upload refused: face-1\.jpg looks like a face swap \(score 0\.\d{4} ≥ threshold 0\.0001\)\.$/);
    await attempt.catch((e) => expect(e.status).toBe(422));
    expect((await payload.count({ collection: 'media' })).totalDocs).toBe(0);
    expect(existsSync(staticDir) ? readdirSync(staticDir) : []).toEqual([]);
  });

  it('block mode with a threshold above the score lets the upload through as clean', async () => {
    const { payload } = await startPayload({ mode: 'block', threshold: Math.min(1, expected.score! + 0.05) });
    const doc = await payload.create({ collection: 'media', data: { alt: 'ok' }, file: jpeg(face1, 'face-1.jpg') });
    expect((doc.seamline as any).status).toBe('clean');
    expect((doc.seamline as any).verdict).toBe('real');
  });

  it('quarantine mode: stored, hidden from anonymous reads, visible to admins, released only by an admin', async () => {
    const { payload, adminUser } = await startPayload({ mode: 'quarantine', threshold: 0.0001 });
    const doc = await payload.create({ collection: 'media', data: { alt: 'suspect' }, file: jpeg(face1, 'face-1.jpg') });
    expect((doc.seamline as any).status).toBe('quarantined');
    expect((doc.seamline as any).verdict).toBe('fake');

    const anonymous = await payload.find({ collection: 'media', overrideAccess: false });
    expect(anonymous.totalDocs).toBe(0);
    await expect(payload.findByID({ collection: 'media', id: doc.id, overrideAccess: false })).rejects.toThrow(/not found/i);
    const asAdmin = await payload.find({ collection: 'media', overrideAccess: false, user: adminUser });
    expect(asAdmin.docs.map((d) => d.id)).toEqual([doc.id]);

    // A non-admin cannot release it by writing the status…
    await payload.update({ collection: 'media', id: doc.id, overrideAccess: false, data: { alt: 'x', seamline: { status: 'clean' } } as any });
    expect((await payload.find({ collection: 'media', overrideAccess: false })).totalDocs).toBe(0);
    expect(((await payload.findByID({ collection: 'media', id: doc.id })).seamline as any).score).toBe((doc.seamline as any).score);
    // …an admin can.
    await payload.update({ collection: 'media', id: doc.id, overrideAccess: false, user: adminUser, data: { seamline: { status: 'clean' } } as any });
    const released = await payload.find({ collection: 'media', overrideAccess: false });
    expect(released.docs.map((d) => d.id)).toEqual([doc.id]);
    expect((released.docs[0].seamline as any).score).toBe((doc.seamline as any).score);
  });

  it('scanner down: the upload is kept with status error (fail open), or refused with failClosed', async () => {
    const down = { apiUrl: 'http://127.0.0.1:9', retries: 0, timeoutMs: 5_000 };
    const open = await startPayload({ ...down, mode: 'block' });
    const doc = await open.payload.create({ collection: 'media', data: { alt: 'kept' }, file: jpeg(face1, 'face-1.jpg') });
    const stored = await open.payload.findByID({ collection: 'media', id: doc.id });
    expect((stored.seamline as any).status).toBe('error');
    expect((stored.seamline as any).reason).toMatch(/network|fetch|ECONNREFUSED/i);
    expect((stored.seamline as any).verdict).toBeNull();
    expect(existsSync(join(open.staticDir, 'face-1.jpg'))).toBe(true);

    const closed = await startPayload({ ...down, mode: 'block', failClosed: true });
    await expect(closed.payload.create({ collection: 'media', data: {}, file: jpeg(face1, 'face-1.jpg') })).rejects.toThrow(/seamline could not scan face-1\.jpg/);
    expect((await closed.payload.count({ collection: 'media' })).totalDocs).toBe(0);
  });
});

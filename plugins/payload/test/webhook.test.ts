/**
 * The CMS-agnostic scan endpoint against the real worker: signed answers and callbacks, checked with
 * the SDK's verifyWebhookSignature (the verifier seamline's own job webhooks use).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature, type XrayResponse } from 'seamline';
import { startWorker, type WorkerHandle } from '../../../test/support/worker.js';
import { createScanWebhookHandler, signBody, toNodeListener, type ScanWebhookResult } from '../src/webhook/index.js';

const face1 = readFileSync(fileURLToPath(new URL('../../../test/fixtures/face-1.jpg', import.meta.url)));
const secret = 'whsec_test_0123456789';
const allowLocal = (url: URL) => url.hostname === '127.0.0.1';

let worker: WorkerHandle;
let expected: XrayResponse;
const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  worker = await startWorker();
  const res = await worker.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: face1 });
  expected = (await res.json()) as XrayResponse;
});

afterAll(async () => {
  for (const s of servers) s.close();
  await worker?.stop();
});

describe('createScanWebhookHandler', () => {
  it('scans base64, answers a signed JSON body that verifyWebhookSignature accepts (and rejects when tampered)', async () => {
    const url = await listen(toNodeListener(createScanWebhookHandler({ apiUrl: worker.url, secret })));
    const res = await post(url, { id: 'asset-42', base64: `data:image/jpeg;base64,${face1.toString('base64')}` });
    expect(res.status).toBe(200);
    const body = await res.text();
    const header = res.headers.get('seamline-signature');
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(secret, header, body)).toBe(true);
    expect(await verifyWebhookSignature('wrong-secret', header, body)).toBe(false);
    expect(await verifyWebhookSignature(secret, header, body.replace('asset-42', 'asset-43'))).toBe(false);

    const result = JSON.parse(body) as ScanWebhookResult;
    expect(result.type).toBe('scan.completed');
    expect(result.id).toBe('asset-42');
    expect(result.scan.score).toBeCloseTo(expected.score!, 6);
    expect(result.scan.threshold).toBe(expected.threshold);
    expect(result.flagged).toBe(expected.score! >= expected.threshold);
    expect(result.scan.boundaryThumbnail).toMatch(/^data:image\/png;base64,/);
  });

  it('fetches imageUrl (only where allowed) and honours a threshold override', async () => {
    const images = await listen((_req, res) => { res.writeHead(200, { 'content-type': 'image/jpeg' }); res.end(face1); });
    const strict = await listen(toNodeListener(createScanWebhookHandler({ apiUrl: worker.url, secret })));
    const refused = await post(strict, { imageUrl: `${images}/face-1.jpg` });
    expect(refused.status).toBe(400); // https only by default
    expect((await refused.json()).detail).toMatch(/imageUrl is not allowed/);

    const url = await listen(toNodeListener(createScanWebhookHandler({ apiUrl: worker.url, secret, threshold: 0.0001, allowImageUrl: allowLocal })));
    const res = await post(url, { imageUrl: `${images}/face-1.jpg` });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ScanWebhookResult;
    expect(result.flagged).toBe(true);
    expect(result.scan).toMatchObject({ status: 'flagged', verdict: 'fake', threshold: 0.0001 });

    expect((await post(url, { imageUrl: 'x', base64: 'y' })).status).toBe(400);
    expect((await post(url, 'not json')).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
  });

  it('with callbackUrl answers 202 and POSTs the signed result there', async () => {
    let resolveDelivery!: (v: { body: string; signature: string | undefined }) => void;
    const delivered = new Promise<{ body: string; signature: string | undefined }>((r) => (resolveDelivery = r));
    const receiver = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        resolveDelivery({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['seamline-signature'] as string | undefined });
      });
    });
    const url = await listen(toNodeListener(createScanWebhookHandler({ apiUrl: worker.url, secret, allowCallbackUrl: allowLocal })));
    const res = await post(url, { id: 'a1', base64: face1.toString('base64'), callbackUrl: `${receiver}/hooks/seamline` });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, id: 'a1' });
    const { body, signature } = await delivered;
    expect(await verifyWebhookSignature(secret, signature, body)).toBe(true);
    expect((JSON.parse(body) as ScanWebhookResult).scan.score).toBeCloseTo(expected.score!, 6);
  });

  it('verifyRequests: unsigned or wrongly signed requests get 401; a scanner outage is a signed scan.failed', async () => {
    const url = await listen(toNodeListener(createScanWebhookHandler({ apiUrl: 'http://127.0.0.1:9', retries: 0, secret, verifyRequests: true })));
    const payload = JSON.stringify({ base64: face1.toString('base64') });
    expect((await post(url, payload)).status).toBe(401);
    expect((await post(url, payload, { 'seamline-signature': await signBody('nope', payload) })).status).toBe(401);
    const res = await post(url, payload, { 'seamline-signature': await signBody(secret, payload) });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(await verifyWebhookSignature(secret, res.headers.get('seamline-signature'), body)).toBe(true);
    const result = JSON.parse(body) as ScanWebhookResult;
    expect(result).toMatchObject({ type: 'scan.failed', flagged: false, scan: { status: 'error' } });
    expect(result.scan.reason).toMatch(/unreachable/);
  });
});

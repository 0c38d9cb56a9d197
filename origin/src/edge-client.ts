/**
 * @module origin/edge-client
 * The edge's internal job endpoints, as the contract names them (bearer ORIGIN_TOKEN on every call):
 * `GET /internal/jobs/:id/input|source`, `PUT|GET /internal/jobs/:id/artifacts/:name`.
 * Transport failures and non-2xx answers are 502 `WorkError`s (retryable: the queue redelivers).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { WorkError, jobFailure } from './errors.js';

export type EdgeClientOptions = {
  /** e.g. http://127.0.0.1:8787 */
  edgeUrl: string;
  token: string;
  /** Per request deadline. Default 120 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type EdgeClient = {
  /** Streams the job input to `file` (atomically: written beside it, then renamed). Returns its size. */
  downloadInput(jobId: string, file: string, maxBytes: number): Promise<number>;
  source(jobId: string, maxBytes: number): Promise<Uint8Array>;
  putArtifact(jobId: string, name: string, body: Uint8Array | { file: string }, contentType: string): Promise<void>;
  getArtifact(jobId: string, name: string, maxBytes: number): Promise<Uint8Array>;
  downloadArtifact(jobId: string, name: string, file: string, maxBytes: number): Promise<number>;
};

export function createEdgeClient({ edgeUrl, token, timeoutMs = 120_000, fetch: doFetch = fetch }: EdgeClientOptions): EdgeClient {
  const base = edgeUrl.replace(/\/+$/, '');
  const url = (jobId: string, rest: string) => `${base}/internal/jobs/${encodeURIComponent(jobId)}/${rest}`;

  async function request(target: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(target, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new WorkError(502, 'edge-unreachable', `${init.method ?? 'GET'} ${target}: ${(error as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new WorkError(502, 'edge-error', `${init.method ?? 'GET'} ${target} → ${res.status} ${text.slice(0, 200)}`);
    }
    return res;
  }

  async function toFile(target: string, file: string, maxBytes: number, what: string): Promise<number> {
    const res = await request(target);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) throw jobFailure('input-too-large', `${what} is ${declared} bytes; the limit is ${maxBytes}`);
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > maxBytes ? jobFailure('input-too-large', `${what} is over ${maxBytes} bytes`) : null, chunk);
      },
    });
    try {
      if (!res.body) throw new WorkError(502, 'edge-error', `${target}: empty body`);
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), limit, createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof WorkError) throw error;
      throw new WorkError(502, 'edge-unreachable', `reading ${target}: ${(error as Error).message}`);
    }
    return bytes;
  }

  async function toBytes(target: string, maxBytes: number, what: string): Promise<Uint8Array> {
    const res = await request(target);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > maxBytes) throw jobFailure('input-too-large', `${what} is ${buf.length} bytes; the limit is ${maxBytes}`);
    return buf;
  }

  return {
    downloadInput: (jobId, file, maxBytes) => toFile(url(jobId, 'input'), file, maxBytes, 'the input video'),
    source: (jobId, maxBytes) => toBytes(url(jobId, 'source'), maxBytes, 'the source image'),
    getArtifact: (jobId, name, maxBytes) => toBytes(url(jobId, `artifacts/${encodeURIComponent(name)}`), maxBytes, name),
    downloadArtifact: (jobId, name, file, maxBytes) => toFile(url(jobId, `artifacts/${encodeURIComponent(name)}`), file, maxBytes, name),
    async putArtifact(jobId, name, body, contentType) {
      const target = url(jobId, `artifacts/${encodeURIComponent(name)}`);
      if (body instanceof Uint8Array) {
        await request(target, { method: 'PUT', body: body as Uint8Array<ArrayBuffer>, headers: { 'content-type': contentType } });
        return;
      }
      const { size } = await stat(body.file);
      await request(target, {
        method: 'PUT',
        body: Readable.toWeb(createReadStream(body.file)) as unknown as ReadableStream,
        headers: { 'content-type': contentType, 'content-length': String(size) },
        duplex: 'half',
      } as RequestInit);
    },
  };
}

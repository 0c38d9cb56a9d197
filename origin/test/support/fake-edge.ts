/**
 * A stand-in for the edge's internal job endpoints (node:http), for origin tests while the real edge
 * (R2 + Durable Object + Queues) is built: `GET /internal/jobs/:id/input|source` serve what the test
 * registered, `PUT|GET /internal/jobs/:id/artifacts/:name` store and return artifacts in memory. Every
 * request needs `Authorization: Bearer <token>`; every request is logged for assertions.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeJob = { input?: Uint8Array; source?: Uint8Array; artifacts: Map<string, { body: Buffer; contentType: string; puts: number }> };

export type FakeEdge = {
  url: string;
  jobs: Map<string, FakeJob>;
  log: Array<{ method: string; path: string; status: number; at: number }>;
  addJob(id: string, input: Uint8Array, source?: Uint8Array): FakeJob;
  close(): Promise<void>;
};

const read = (req: IncomingMessage) => new Promise<Buffer>((resolve, reject) => {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
});

export async function startFakeEdge(token: string): Promise<FakeEdge> {
  const jobs = new Map<string, FakeJob>();
  const log: FakeEdge['log'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURI((req.url ?? '').split('?')[0]);
    const reply = (status: number, body: Uint8Array | string = '', type = 'text/plain') => {
      log.push({ method: req.method ?? '', path, status, at: Date.now() });
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body as string) });
      res.end(body);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, 'unauthorized');
    const m = /^\/internal\/jobs\/([^/]+)\/(input|source|artifacts\/([^/]+))$/.exec(path);
    const job = m && jobs.get(m[1]);
    if (!m || !job) return reply(404, 'no such job');
    if (m[2] === 'input' || m[2] === 'source') {
      const body = job[m[2]];
      return body ? reply(200, body, m[2] === 'input' ? 'video/mp4' : 'image/jpeg') : reply(404, `no ${m[2]}`);
    }
    const name = m[3];
    if (req.method === 'PUT') {
      const body = await read(req);
      const prev = job.artifacts.get(name);
      job.artifacts.set(name, { body, contentType: req.headers['content-type'] ?? '', puts: (prev?.puts ?? 0) + 1 });
      return reply(204);
    }
    const artifact = job.artifacts.get(name);
    return artifact ? reply(200, artifact.body, artifact.contentType) : reply(404, 'no such artifact');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    jobs,
    log,
    addJob(id, input, source) {
      const job: FakeJob = { input, source, artifacts: new Map() };
      jobs.set(id, job);
      return job;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

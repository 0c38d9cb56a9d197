/** A scripted HTTP server on 127.0.0.1 for retry and CLI tests: answers come from `handler`, calls are recorded. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubCall = { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer; at: number };
export type StubHandler = (call: StubCall, index: number) => { status: number; headers?: Record<string, string>; body?: unknown };

export async function startStub(handler: StubHandler) {
  const calls: StubCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      calls.push(call);
      const { status, headers = {}, body } = handler(call, calls.length - 1);
      const payload = body === undefined ? '' : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'object' && !(body instanceof Uint8Array) ? (status >= 400 ? 'application/problem+json' : 'application/json') : 'text/plain', ...headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const problem = (status: number, code: string, detail = code) => ({ type: `https://seamline.dev/problems/${code}`, title: code, status, detail });

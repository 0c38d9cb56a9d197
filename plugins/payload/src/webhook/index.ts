/**
 * @module webhook
 * A CMS-agnostic scanner endpoint: any CMS (WordPress, Strapi, Directus, Contentful, Sanity, …) POSTs
 * `{ imageUrl }` or `{ base64 }` on upload, gets the scan back as JSON signed with
 * `Seamline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` — the same scheme
 * as seamline's job webhooks, so `verifyWebhookSignature` from the `seamline` SDK checks it — and, with
 * `callbackUrl`, receives the same signed body there instead (202 now, POST later).
 *
 * The handler is a Fetch-API function `(Request) => Promise<Response>`: mount it in a Worker, Deno,
 * Bun, Hono or a Next.js route handler, or in Node's `http` through `toNodeListener`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyWebhookSignature } from 'seamline';
import { signWebhookPayload as signBody } from 'seamline/webhooks';
import { createScanner, type ScannerOptions, type SeamlineScan } from '../scan.js';

/** `Seamline-Signature` value for `body` at `timestamp` (unix seconds): `t=…,v1=hex(HMAC-SHA256(secret, t + "." + body))`. */
export { signBody };

/** What the CMS sends. Exactly one of `imageUrl` / `base64`. */
export type ScanWebhookRequest = {
  imageUrl?: string;
  /** The image bytes, base64 (a `data:` URL prefix is accepted). */
  base64?: string;
  /** The CMS's id for the asset; echoed back. */
  id?: string;
  /** Deliver the signed result here (POST) instead of in the response. */
  callbackUrl?: string;
};

/** What the handler answers (or POSTs to `callbackUrl`): the scan plus `flagged` and the echoed `id`. */
export type ScanWebhookResult = {
  type: 'scan.completed' | 'scan.failed';
  id: string | null;
  flagged: boolean;
  scan: SeamlineScan;
};

export type ScanWebhookOptions = ScannerOptions & {
  /** Signs every answer and callback; callers verify with `verifyWebhookSignature(secret, header, body)`. */
  secret: string;
  /**
   * Require inbound requests to carry a valid `Seamline-Signature` made with `secret` (recommended when the
   * CMS can sign; otherwise put the endpoint behind your own auth). Default false.
   */
  verifyRequests?: boolean;
  /** Which image URLs may be fetched. Default: https URLs only. */
  allowImageUrl?: (url: URL) => boolean;
  /** Which callback URLs may be called. Default: https URLs only. */
  allowCallbackUrl?: (url: URL) => boolean;
  /** Largest image accepted, in bytes. Default 20 MiB. */
  maxBytes?: number;
  /** Keeps callback deliveries alive (a Worker's `ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Called after each callback attempt (for logs and tests). */
  onDelivery?: (outcome: { url: string; status: number | null; error?: string }) => void;
};

const httpsOnly = (url: URL) => url.protocol === 'https:';

function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function decodeBase64(input: string): Uint8Array {
  const b64 = input.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('base64 is not valid base64');
  const bin = atob(b64); // Web API, so this also runs in Workers without nodejs_compat
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function fetchImage(url: URL, maxBytes: number): Promise<Uint8Array> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`fetching imageUrl answered ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new Error(`image is larger than ${maxBytes} bytes`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new Error(`image is larger than ${maxBytes} bytes`);
  return bytes;
}

/**
 * Creates the scan endpoint.
 *
 * @example
 * const handler = createScanWebhookHandler({ apiUrl: 'https://seamline.example.com', secret: process.env.SCAN_WEBHOOK_SECRET! });
 * export default { fetch: (request: Request, env: unknown, ctx: ExecutionContext) => handler(request) };
 */
export function createScanWebhookHandler(options: ScanWebhookOptions): (request: Request) => Promise<Response> {
  if (!options.secret) throw new Error('createScanWebhookHandler: secret is required');
  const scanner = createScanner(options);
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const allowImageUrl = options.allowImageUrl ?? httpsOnly;
  const allowCallbackUrl = options.allowCallbackUrl ?? httpsOnly;

  const signedJson = async (result: ScanWebhookResult) => {
    const body = JSON.stringify(result);
    return { body, headers: { 'content-type': 'application/json', 'seamline-signature': await signBody(options.secret, body), 'seamline-delivery': crypto.randomUUID() } };
  };

  const deliver = async (url: string, result: ScanWebhookResult) => {
    const { body, headers } = await signedJson(result);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(15_000) });
        options.onDelivery?.({ url, status: res.status });
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) return;
      } catch (e) {
        options.onDelivery?.({ url, status: null, error: e instanceof Error ? e.message : String(e) });
      }
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  };

  return async (request) => {
    if (request.method !== 'POST') return problem(405, 'Method Not Allowed', 'POST a JSON body { imageUrl | base64 }');
    const raw = await request.text();
    if (options.verifyRequests && !(await verifyWebhookSignature(options.secret, request.headers.get('seamline-signature'), raw))) {
      return problem(401, 'Unauthorized', 'missing or invalid Seamline-Signature');
    }
    let input: ScanWebhookRequest;
    try {
      input = JSON.parse(raw) as ScanWebhookRequest;
      if (typeof input !== 'object' || input === null) throw new Error();
    } catch {
      return problem(400, 'Bad Request', 'the body must be a JSON object');
    }
    if (!!input.imageUrl === !!input.base64) return problem(400, 'Bad Request', 'send exactly one of imageUrl or base64');
    let callback: URL | null = null;
    if (input.callbackUrl) {
      try { callback = new URL(input.callbackUrl); } catch { return problem(400, 'Bad Request', 'callbackUrl is not a URL'); }
      if (!allowCallbackUrl(callback)) return problem(400, 'Bad Request', 'callbackUrl is not allowed');
    }

    let bytes: Uint8Array;
    try {
      if (input.base64) {
        bytes = decodeBase64(input.base64);
        if (bytes.length > maxBytes) return problem(413, 'Payload Too Large', `image is larger than ${maxBytes} bytes`);
      } else {
        let url: URL;
        try { url = new URL(input.imageUrl!); } catch { return problem(400, 'Bad Request', 'imageUrl is not a URL'); }
        if (!allowImageUrl(url)) return problem(400, 'Bad Request', 'imageUrl is not allowed');
        bytes = await fetchImage(url, maxBytes);
      }
    } catch (e) {
      return problem(422, 'Unprocessable Content', e instanceof Error ? e.message : String(e));
    }
    if (bytes.length === 0) return problem(400, 'Bad Request', 'the image is empty');

    const run = async (): Promise<ScanWebhookResult> => {
      const { isFlagged, ...scan } = await scanner.scan(bytes);
      return { type: scan.status === 'error' ? 'scan.failed' : 'scan.completed', id: input.id ?? null, flagged: isFlagged, scan };
    };

    if (callback) {
      const job = run().then((result) => deliver(callback!.toString(), result));
      options.waitUntil?.(job);
      if (!options.waitUntil) job.catch(() => {});
      return new Response(JSON.stringify({ accepted: true, id: input.id ?? null }), { status: 202, headers: { 'content-type': 'application/json' } });
    }
    const { body, headers } = await signedJson(await run());
    return new Response(body, { status: 200, headers });
  };
}

/** Mounts a Fetch-API handler on Node's `http.createServer`. */
export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v); else if (v) headers.set(k, v.join(', '));
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(e instanceof Error ? e.message : 'internal error');
    }
  };
}

export { verifyWebhookSignature };

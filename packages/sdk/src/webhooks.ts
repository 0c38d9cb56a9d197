/**
 * @module webhooks
 * The `Seamline-Signature` webhook scheme, signing and checking:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. Web Crypto only, so it runs in
 * Node ≥ 20, browsers, Workers and Deno. The one implementation: the worker's job webhooks
 * (src/jobs/signature.ts) and the CMS webhook handler (plugins/payload) import it from `seamline/webhooks`.
 */

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message as Uint8Array<ArrayBuffer>));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `t + "." + body` as bytes; a Uint8Array body is used as is (no decoding round trip). */
function signedBytes(t: number, body: string | Uint8Array): Uint8Array {
  if (typeof body === 'string') return encoder.encode(`${t}.${body}`);
  const prefix = encoder.encode(`${t}.`);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

/**
 * The `Seamline-Signature` header value for `body` sent at `timestamp` (unix seconds).
 *
 * @example
 * const header = await signWebhookPayload(secret, JSON.stringify(event));
 */
export async function signWebhookPayload(
  secret: string,
  body: string | Uint8Array,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestamp},v1=${await hmacHex(secret, signedBytes(timestamp, body))}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(1, a.length)) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * True when `header` (the `Seamline-Signature` value) signs `body` (the raw request body, exactly as
 * received, before any JSON parsing) with `secret`, and its `t` is within `toleranceSeconds` of now
 * (default 300; `Infinity` skips the replay window). Any one of several `v1` values may match; the
 * comparison is constant-time. Never throws for a missing or malformed header (returns false).
 *
 * @example
 * import { verifyWebhookSignature, type WebhookEvent } from 'seamline';
 * const body = await request.text();
 * if (!(await verifyWebhookSignature(WEBHOOK_SECRET, request.headers.get('seamline-signature'), body))) {
 *   return new Response(null, { status: 401 });
 * }
 * const event = JSON.parse(body) as WebhookEvent; // { type: 'job.succeeded' | 'job.failed', job }
 * // Seamline-Delivery (`<jobId>:<event>`) is the same on every retry: use it to de-duplicate.
 */
export async function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceSeconds = 300,
  now = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!header) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && /^\d+$/.test(v ?? '')) t = Number(v);
    else if (k === 'v1' && v) candidates.push(v.toLowerCase());
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(now - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, signedBytes(t, body));
  let ok = false;
  for (const candidate of candidates) ok = constantTimeEqual(candidate, expected) || ok;
  return ok;
}

/**
 * @module jobs/signature
 * Webhook signatures: `Seamline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * Uses Web Crypto only, so the same code runs in Workers, Node ≥ 20, Deno and browsers.
 */

const encoder = new TextEncoder();

const hmacHex = async (secret: string, message: string): Promise<string> => {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
};

/**
 * The `Seamline-Signature` header value for `body` sent at `timestamp` (unix seconds).
 *
 * @example
 * const header = await signPayload(env.WEBHOOK_SECRET, JSON.stringify(event));
 */
export async function signPayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  return `t=${timestamp},v1=${await hmacHex(secret, `${timestamp}.${body}`)}`;
}

/**
 * Checks a webhook's `Seamline-Signature` header against the raw request body (the exact bytes received,
 * before any JSON parsing). True when one `v1` value matches and `t` is within `toleranceSeconds` of now
 * (default 300; pass `Infinity` to skip the replay window). Constant-time comparison.
 *
 * @example
 * // in your webhook receiver
 * const body = await request.text();
 * if (!(await verifySignature(WEBHOOK_SECRET, request.headers.get('seamline-signature'), body))) return new Response(null, { status: 401 });
 * const event = JSON.parse(body); // { type: 'job.succeeded' | 'job.failed', job: {...} }
 */
export async function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
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
  const expected = await hmacHex(secret, `${t}.${body}`);
  let ok = false;
  for (const candidate of candidates) ok = constantTimeEqual(candidate, expected) || ok;
  return ok;
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(1, a.length)) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * @module jobs/idempotency
 * `Idempotency-Key` on `POST /v1/jobs`: a client that lost the answer (a timeout, a dropped connection)
 * can send the same request again and get the job it already created, instead of a second job working
 * on the same video.
 *
 * The key names the job: its id is derived from the key (SHA-256, shaped as a v4 UUID), so the
 * job's own Durable Object, strongly consistent, is where "already created?" is answered; no second
 * store can drift from it. Two requests racing with one key both land on that object, and its
 * `create` keeps the first. A key therefore stands for one job whatever the body that comes with it:
 * use a fresh random key (a UUID) per job.
 */
import { ProblemError } from '../problem.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Visible ASCII, as the IETF draft's keys and Stripe's are; long enough for any UUID or ULID scheme. */
const WELL_FORMED = /^[\x21-\x7e]{8,255}$/;

/** The header's key, or undefined when absent; 400 `invalid-idempotency-key` when it is not usable. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return undefined;
  if (!WELL_FORMED.test(key)) {
    throw new ProblemError(400, 'invalid-idempotency-key', `${IDEMPOTENCY_HEADER} must be 8 to 255 visible ASCII characters (a UUID is ideal).`);
  }
  return key;
}

/**
 * The job id a key names, within `scope` (the credentials it came with).
 *
 * @example
 * await jobIdForKey('6f1c…', 'Bearer k'); // '3b0e2c1a-…-4…' — the same id for the same key and scope
 */
export async function jobIdForKey(key: string, scope: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`seamline-job\n${scope}\n${key}`)));
  const b = digest.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

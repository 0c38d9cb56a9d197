/**
 * @module jobs/webhook
 * One webhook delivery attempt: `POST callbackUrl` with the stored JSON body and
 * `Seamline-Signature: t=<unix>,v1=<hex HMAC-SHA256(WEBHOOK_SECRET, t + "." + body)>`. Success is any
 * 2xx; redirects are not followed (they count as failures). The Durable Object schedules retries.
 */
import { checkUrl, UnsafeUrlError } from '../lib/safe-fetch.js';
import { signPayload } from './signature.js';
import type { WebhookAttempt, WebhookState } from './state.js';

export type DeliverOptions = {
  secret: string | undefined;
  jobId: string;
  allowInsecure?: boolean;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
};

/**
 * @example
 * const attempt = await deliverWebhook(job.webhook, { secret: env.WEBHOOK_SECRET, jobId: job.id });
 */
export async function deliverWebhook(hook: WebhookState, options: DeliverOptions): Promise<WebhookAttempt & { ok: boolean; permanent: boolean }> {
  const { secret, jobId, allowInsecure = false, timeoutMs = 10_000, fetchImpl = fetch } = options;
  const at = new Date().toISOString();
  if (!secret) return { at, ok: false, permanent: true, error: 'WEBHOOK_SECRET is not configured on the server' };
  let url: URL;
  try {
    url = checkUrl(hook.url, { allowInsecure });
  } catch (error) {
    return { at, ok: false, permanent: true, error: error instanceof UnsafeUrlError ? `callback URL not allowed: ${error.message}` : String(error) };
  }
  try {
    const res = await fetchImpl(url.toString(), {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'seamline-webhooks/1',
        'seamline-signature': await signPayload(secret, hook.body),
        'seamline-event': hook.event,
        'seamline-delivery': `${jobId}:${hook.event}`,
        'seamline-attempt': String(hook.attempts.length + 1),
      },
      body: hook.body,
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { at, ok: true, permanent: false, status: res.status } : { at, ok: false, permanent: false, status: res.status };
  } catch (error) {
    return { at, ok: false, permanent: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

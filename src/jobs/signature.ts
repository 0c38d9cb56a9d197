/**
 * @module jobs/signature
 * Webhook signatures: `Seamline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * The scheme lives once, in the SDK (`seamline/webhooks`), so the server signs exactly what clients verify.
 *
 * @example
 * const header = await signPayload(env.WEBHOOK_SECRET, JSON.stringify(event));
 * if (!(await verifySignature(WEBHOOK_SECRET, request.headers.get('seamline-signature'), body))) return new Response(null, { status: 401 });
 */
export { signWebhookPayload as signPayload, verifyWebhookSignature as verifySignature } from 'seamline/webhooks';

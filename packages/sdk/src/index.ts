/**
 * @module seamline
 * Typed client for the seamline API (faces, image checks, Face X-Ray, swaps, video jobs, webhook checks).
 *
 * @example
 * import { Seamline, SeamlineError } from 'seamline';
 * const client = new Seamline({ baseUrl: 'http://127.0.0.1:8787' });
 * try {
 *   const scan = await client.xray('photo.jpg');
 *   if (scan.verdict === 'fake') console.log('blended face, score', scan.score);
 * } catch (e) {
 *   if (e instanceof SeamlineError) console.error(e.status, e.title, e.detail);
 * }
 */
export { Seamline } from './client.js';
export type { SeamlineOptions, SwapOptions, CallOptions } from './client.js';
export { SeamlineError } from './errors.js';
export { Jobs, TERMINAL_STATES, normalizeTask } from './jobs.js';
export type { CreateJobOptions, CreateJobUpload, CreateJobFromUrl, WaitOptions } from './jobs.js';
export { signWebhookPayload, verifyWebhookSignature } from './webhooks.js';
export { Transport, parseRetryAfter } from './http.js';
export type { RetryOptions, TransportOptions } from './http.js';
export { toBlob, sniffType, isUrlInput } from './input.js';
export type { BinaryInput, ImageSource, UrlInput } from './input.js';
export { ROUTES, RESPONSE_FIELDS, routePath } from './routes.js';
export type { RouteSpec, RouteName } from './routes.js';
export type * from './types.js';

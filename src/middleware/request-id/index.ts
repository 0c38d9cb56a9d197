/**
 * @module
 * `X-Request-Id` on every request and answer (`requestIds()`).
 */
export { REQUEST_ID_HEADER, requestIdOf, requestIds } from './request-id.js';

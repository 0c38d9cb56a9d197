/**
 * @module
 * Cross-origin access to the public API (`publicCors()`, configured by `CORS_ORIGINS`).
 */
export { ALLOWED_REQUEST_HEADERS, EXPOSED_HEADERS, allowedOrigin, corsPolicyOf, publicCors, type CorsPolicy } from './cors.js';

/**
 * @module
 * Per-client rate limit middleware (`rateLimit({ binding: 'SCAN_RATE_LIMIT' })`).
 */
export { clientKey, rateLimit, type RateLimitBinding, type RateLimitOptions } from './rate-limit.js';

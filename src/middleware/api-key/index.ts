/**
 * @module
 * Bearer API-key middleware (`apiKey({ secret: 'SEAMLINE_API_KEY' })`).
 */
export { apiKey, keysEqual, type ApiKeyOptions, type SecretBinding } from './api-key.js';

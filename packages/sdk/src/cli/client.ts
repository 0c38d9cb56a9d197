/**
 * @module cli/client
 * The SDK client the commands share: --url / SEAMLINE_URL, --api-key / SEAMLINE_API_KEY.
 */
import { Seamline } from '../client.js';
import { intOption } from './args.js';

export const DEFAULT_URL = 'http://127.0.0.1:8787';

export function clientFrom(values: { url?: string; 'api-key'?: string; retries?: string; 'timeout-ms'?: string }, env = process.env): Seamline {
  return new Seamline({
    baseUrl: values.url ?? env.SEAMLINE_URL ?? DEFAULT_URL,
    apiKey: values['api-key'] ?? env.SEAMLINE_API_KEY,
    retries: intOption(values.retries, 'retries', 2),
    timeoutMs: intOption(values['timeout-ms'], 'timeout-ms', 120_000),
  });
}

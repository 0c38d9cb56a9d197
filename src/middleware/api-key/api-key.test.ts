import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env.js';
import { apiKey, keysEqual } from './index.js';

const app = new Hono<AppEnv>().get('/x', apiKey({ secret: 'SEAMLINE_API_KEY', disabledCode: 'swap-disabled' }), (c) => c.text('ok'));
const call = (env: AppEnv['Bindings'], authorization?: string) =>
  app.request('/x', { headers: authorization === undefined ? {} : { authorization } }, env);

describe('apiKey middleware', () => {
  it('passes the right key (scheme case-insensitive)', async () => {
    for (const auth of ['Bearer s3cret', 'bearer s3cret', 'Bearer  s3cret ']) {
      const res = await call({ SEAMLINE_API_KEY: 's3cret' }, auth);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
    }
  });

  it('401 with a Bearer challenge for a missing, malformed or wrong key', async () => {
    for (const [auth, type, error] of [
      [undefined, 'unauthorized', false], ['Basic czNjcmV0', 'unauthorized', false], ['Bearer', 'unauthorized', false],
      ['Bearer wrong', 'invalid-api-key', true], ['Bearer s3cre', 'invalid-api-key', true], ['Bearer s3cretx', 'invalid-api-key', true],
    ] as const) {
      const res = await call({ SEAMLINE_API_KEY: 's3cret' }, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="seamline"/);
      expect(res.headers.get('www-authenticate')?.includes('invalid_token')).toBe(error);
      const body = (await res.json()) as { type: string; status: number; detail: string };
      expect(body).toMatchObject({ type: `https://seamline.dev/problems/${type}`, status: 401 });
      expect(body.detail).not.toContain('s3cret');
    }
  });

  it('403 with the configured problem type when no key is configured, whatever is sent', async () => {
    for (const env of [{}, { SEAMLINE_API_KEY: '' }]) {
      const res = await call(env, 'Bearer anything');
      expect(res.status).toBe(403);
      expect(((await res.json()) as { type: string }).type).toBe('https://seamline.dev/problems/swap-disabled');
    }
  });

  it('keysEqual compares exactly', async () => {
    expect(await keysEqual('a', 'a')).toBe(true);
    expect(await keysEqual('a', 'b')).toBe(false);
    expect(await keysEqual('', 'a')).toBe(false);
    expect(await keysEqual('abc', 'abcd')).toBe(false);
  });
});

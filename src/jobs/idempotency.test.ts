import { describe, expect, it } from 'vitest';
import { idempotencyKeyOf, jobIdForKey } from './idempotency.js';
import { JOB_ID } from './storage.js';

const request = (key?: string) => new Request('https://x/v1/jobs', { method: 'POST', headers: key === undefined ? {} : { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('names one job id per key and scope, shaped as the v4 UUIDs job ids are', async () => {
    const a = await jobIdForKey('0b7f6c1e-5d3a-4c1b-9a77-2f1e0c9d8b6a', '');
    expect(a).toMatch(JOB_ID);
    expect(a[14]).toBe('4');
    expect('89ab').toContain(a[19]);
    expect(await jobIdForKey('0b7f6c1e-5d3a-4c1b-9a77-2f1e0c9d8b6a', '')).toBe(a);
    expect(await jobIdForKey('0b7f6c1e-5d3a-4c1b-9a77-2f1e0c9d8b6b', '')).not.toBe(a);
    expect(await jobIdForKey('0b7f6c1e-5d3a-4c1b-9a77-2f1e0c9d8b6a', 'Bearer other')).not.toBe(a);
  });

  it('reads the header: absent is undefined, 8–255 visible ASCII is the key, anything else a 400 problem', () => {
    expect(idempotencyKeyOf(request())).toBeUndefined();
    expect(idempotencyKeyOf(request('order-1234:retry'))).toBe('order-1234:retry');
    for (const bad of ['', 'seven77', 'a'.repeat(256), 'with space', 'naïve-key-1']) {
      expect(() => idempotencyKeyOf(request(bad)), bad).toThrow(expect.objectContaining({ status: 400, code: 'invalid-idempotency-key' }));
    }
  });
});

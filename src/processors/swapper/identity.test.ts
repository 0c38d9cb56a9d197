import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import aeiCard from '../../../models/aei_lite.card.json';
import { R2_MODEL_KEYS, r2ModelKey } from '../../adapter/workers/r2-models.js';
import { ID_DIM, ID_MODEL_KEY, ID_SIZE } from './aei.js';
import { IDENTITY, parseIdentitySpec } from './identity.js';

const valid = () => JSON.parse(JSON.stringify((aeiCard as { identity: unknown }).identity)) as Record<string, unknown>;

describe('AEI identity encoder spec (models/aei_lite.card.json `identity`)', () => {
  it('is what the shipped aei_lite 0.1.0 was trained on: mobilefacenet, raw 192-d, pixel/255 NHWC at 112', () => {
    expect(IDENTITY).toMatchObject({ model: 'mobilefacenet.fp16.onnx', input: 'input', output: 'embedding', size: 112, dim: 192, layout: 'NHWC' });
    expect(IDENTITY.normalize).toEqual({ mean: [0, 0, 0], std: [1, 1, 1] });
    expect([ID_MODEL_KEY, ID_SIZE, ID_DIM]).toEqual([IDENTITY.model, IDENTITY.size, IDENTITY.dim]);
  });

  it('names a file that exists, is served from R2 and is seeded', () => {
    expect(R2_MODEL_KEYS).toContain(IDENTITY.model);
    expect(readFileSync(`models/${IDENTITY.model}`).byteLength).toBeGreaterThan(0);
    expect(readFileSync('tools/seed-models.mjs', 'utf8')).toContain(`key: '${IDENTITY.model}'`);
  });

  it('rejects malformed blocks instead of feeding the net wrong tensors', () => {
    expect(() => parseIdentitySpec(undefined)).toThrow(/identity/);
    for (const broken of [
      { dim: 0 }, { dim: 19.5 }, { size: -112 }, { model: '../x.onnx' }, { model: 'mobileface.bin' }, { layout: 'HWC' },
      { normalize: { mean: [0, 0], std: [1, 1, 1] } }, { normalize: { mean: [0, 0, 0], std: [1, 0, 1] } }, { output: 7 },
    ]) {
      expect(() => parseIdentitySpec({ ...valid(), ...broken }), JSON.stringify(broken)).toThrow(/malformed/);
    }
  });

  it('takes another net’s description (MobileFace: 256-d, raw 0..255) unchanged', () => {
    const spec = parseIdentitySpec({ ...valid(), model: 'mobileface.fp16.onnx', dim: 256, normalize: { mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] } });
    expect(spec).toMatchObject({ model: 'mobileface.fp16.onnx', dim: 256 });
    expect(spec.normalize.std[0]).toBeCloseTo(1 / 255, 12);
  });

  it('only R2 keys pass r2ModelKey', () => {
    expect(r2ModelKey(IDENTITY.model)).toBe(IDENTITY.model);
    expect(() => r2ModelKey('mobileface.fp16.onnx')).toThrow(/R2_MODEL_KEYS/);
  });
});

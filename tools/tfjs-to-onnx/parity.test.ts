/**
 * Parity of the shipped ONNX face models with the original tfjs graph models (tfjs-core cpu backend),
 * on a real FairFace face and on uniform noise, plus a check that the converter still reproduces
 * the shipped bytes exactly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFaces, randomInput, toInput, type RgbImage } from './faces.js';
import { convertFile } from './index.js';
import { diffStats } from './measure.js';
import { MODEL_SPECS, SOURCE_PACKAGE, sourcePath, specByName } from './models.js';
import { loadReference, runReference } from './tfjs-reference.js';

const ROOT = join(__dirname, '../..');
const registry = JSON.parse(readFileSync(join(ROOT, 'models/registry.json'), 'utf8')) as {
  models: { name: string; card: string; files: { path: string; dtype: 'fp32' | 'fp16' | 'int8'; sha256: string }[] }[];
};
// Converted models only (the registry also lists models trained here): blazeface + facemesh always,
// the identity embedders when shipped.
const converted = new Set(MODEL_SPECS.map((s) => s.name));
const shipped = registry.models.filter((m) => converted.has(m.name) && (['blazeface', 'facemesh'].includes(m.name) || m.files.length));

let face: RgbImage;
beforeAll(async () => {
  [face] = await loadFaces(1);
});

describe.each(shipped.map((m) => [m.name, m] as const))('%s', (name, entry) => {
  const spec = specByName(name);
  const file = entry.files[0];
  const { size, scale, offset, range } = spec.input;
  const shape = [1, size, size, 3];

  const bounds = file.dtype === 'int8' ? spec.int8ParityBound! : spec.parityBound;
  it(`${file.path} matches the tfjs model within ${JSON.stringify(bounds)}`, async () => {
    const session = await ort.InferenceSession.create(join(ROOT, file.path), { intraOpNumThreads: 1 });
    const reference = await loadReference(sourcePath(spec));
    const outputNames = Object.keys(bounds);
    const tfNames = outputNames.map((o) => Object.entries(spec.outputNames).find(([, v]) => v === o)![0]);
    expect(session.inputNames).toEqual([spec.inputName]);
    expect([...session.outputNames].sort()).toEqual([...outputNames].sort());
    for (const input of [toInput(face, size, scale, offset, spec.faceCrop), randomInput(size * size * 3, 7, range[0], range[1])]) {
      const expected = await runReference(reference, input, shape, tfNames);
      const got = await session.run({ [spec.inputName]: new ort.Tensor('float32', input, shape) });
      outputNames.forEach((o, i) => {
        const { maxAbs } = diffStats([expected[i]], [got[o].data as Float32Array]);
        expect(maxAbs, `${name}.${o}`).toBeLessThanOrEqual(bounds[o]);
      });
    }
    await session.release();
  });

  it('is reproduced byte-for-byte by the converter', () => {
    const card = JSON.parse(readFileSync(join(ROOT, entry.card), 'utf8')) as { conversion: { keepFloat?: string[] } };
    const { bytes } = convertFile(sourcePath(spec), {
      int8: { keepFloat: card.conversion.keepFloat ?? [] },
      dtype: file.dtype,
      inputName: spec.inputName,
      outputNames: spec.outputNames,
      graphName: spec.name,
      metadata: { model: spec.name, source: `${SOURCE_PACKAGE}/${spec.file}` },
    });
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  });
});

it('detects a real face with blazeface and meshes it with facemesh', async () => {
  const bf = specByName('blazeface');
  const bfFile = registry.models.find((m) => m.name === 'blazeface')!.files[0].path;
  const session = await ort.InferenceSession.create(join(ROOT, bfFile), { intraOpNumThreads: 1 });
  const out = await session.run({ input: new ort.Tensor('float32', toInput(face, 256, bf.input.scale, bf.input.offset), [1, 256, 256, 3]) });
  const logits = [...(out.logits_stride16.data as Float32Array), ...(out.logits_stride32.data as Float32Array)];
  expect(1 / (1 + Math.exp(-Math.max(...logits)))).toBeGreaterThan(0.5);
  const fm = specByName('facemesh');
  const fmFile = registry.models.find((m) => m.name === 'facemesh')!.files[0].path;
  const mesh = await ort.InferenceSession.create(join(ROOT, fmFile), { intraOpNumThreads: 1 });
  const m = await mesh.run({ input: new ort.Tensor('float32', toInput(face, 192, fm.input.scale, fm.input.offset), [1, 192, 192, 3]) });
  expect((m.output_faceflag.data as Float32Array)[0]).toBeGreaterThan(0.5);
  const xs = Array.from(m.output_mesh.data as Float32Array).filter((_, i) => i % 3 === 0);
  expect(Math.min(...xs)).toBeGreaterThan(0);
  expect(Math.max(...xs)).toBeLessThan(192);
});

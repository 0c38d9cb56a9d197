import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/index.js';
import { parseRecipe } from '../../src/pipeline/blend/index.js';
import { fixture } from '../../test/fixtures/index.js';
import { LandmarkCache, pipelineLandmarker, type FaceSource } from './sources.js';
import { synthesize, type SynthOptions } from './synth.js';

const recipe = parseRecipe(JSON.parse(readFileSync(new URL('../../training/xray/blend-recipe.json', import.meta.url), 'utf8')));
const sources: FaceSource[] = ['face-1.jpg', 'face-4.jpg', 'face-6.jpg', 'face-7.jpg'].map((file) => ({ source: 'fixtures', file, bytes: fixture(file) }));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  dirs.push(dir);
  const write: SynthOptions['write'] = (path, bytes) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  };
  return { dir, write };
}

describe('synth smoke', () => {
  it('makes 4 BI/SBI samples with masks, boundaries, reals and a manifest, reproducibly, in < 20 s', async () => {
    const t0 = performance.now();
    const landmarks = new LandmarkCache(await pipelineLandmarker());
    const a = folder();
    const report = await synthesize({ sources, n: 4, seed: 1, kind: 'mix', recipe, landmarks, write: a.write, reals: true });
    expect(report.poolFaces).toBe(4);
    const lines = readFileSync(join(a.dir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((e) => e.kind))).toEqual(new Set(['bi', 'sbi'])); // seed 1 draws both kinds
    for (const e of lines) {
      expect(['bi', 'sbi']).toContain(e.kind);
      if (e.kind === 'bi') expect(e.partner).not.toBe(e.source);
      for (const f of [e.file, e.mask, e.boundary, e.real]) expect(existsSync(join(a.dir, f))).toBe(true);
      const img = await decodeImage(new Uint8Array(readFileSync(join(a.dir, e.file))));
      const real = await decodeImage(new Uint8Array(readFileSync(join(a.dir, e.real))));
      const mask = await decodeImage(new Uint8Array(readFileSync(join(a.dir, e.mask))));
      const boundary = await decodeImage(new Uint8Array(readFileSync(join(a.dir, e.boundary))));
      expect([img.width, img.height]).toEqual([224, 224]);
      let inside = 0, outsideDiff = 0, changed = 0, bmax = 0, mmax = 0;
      for (let i = 0; i < 224 * 224; i++) mmax = Math.max(mmax, mask.data[i * 4]);
      expect(mmax / 255).toBeCloseTo(e.ratio, 1);
      for (let i = 0; i < 224 * 224; i++) {
        const m = mask.data[i * 4];
        const diff = Math.abs(img.data[i * 4] - real.data[i * 4]) + Math.abs(img.data[i * 4 + 1] - real.data[i * 4 + 1]);
        if (m === 0 && diff > 0) outsideDiff++;
        if (m > mmax / 2) { inside++; if (diff > 0) changed++; }
        bmax = Math.max(bmax, boundary.data[i * 4]);
      }
      // the face region is a sizeable part of a FairFace crop, the blend changes it, and nothing else
      expect(inside).toBeGreaterThan(2000);
      expect(changed / inside).toBeGreaterThan(0.3);
      expect(outsideDiff).toBe(0);
      expect(bmax / 255).toBeCloseTo(e.ratio >= 0.5 ? 1 : 4 * e.ratio * (1 - e.ratio), 1);
    }
    // same seed → byte-identical output (landmarks now come from the cache)
    const b = folder();
    await synthesize({ sources, n: 4, seed: 1, kind: 'mix', recipe, landmarks, write: b.write, reals: true });
    expect(landmarks.hits).toBe(4);
    for (const e of lines) for (const f of [e.file, e.mask, e.boundary]) expect(readFileSync(join(b.dir, f)).equals(readFileSync(join(a.dir, f)))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

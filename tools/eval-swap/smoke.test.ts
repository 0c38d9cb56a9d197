import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The whole tool, as `npm run eval:swap` runs it (tools/run.mjs, onnxruntime-node), on 4 classical swaps of
// 4 distinct FairFace fixture faces; faceres is converted into a temp dir (a few seconds).
const dir = mkdtempSync(join(tmpdir(), 'eval-swap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eval:swap smoke (classical, 4 pairs from test/fixtures)', () => {
  it('prints the figures and one JSON line', () => {
    const list = join(dir, 'faces.txt');
    writeFileSync(list, ['face-1.jpg', 'face-4.jpg', 'face-6.jpg', 'face-7.jpg'].map((f) => resolve('test/fixtures', f)).join('\n'));
    const cache = join(dir, 'faceres.fp16.onnx');
    const t0 = Date.now();
    const run = spawnSync(process.execPath, ['tools/run.mjs', 'tools/eval-swap/index.ts', '--faces', list, '--pairs', '4', '--model', 'classical', '--seed', '3', '--faceres-cache', cache], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(existsSync(cache)).toBe(true);
    expect(run.stderr).toContain('converted now');
    const lines = run.stdout.trim().split('\n');
    expect(lines.some((l) => l.startsWith('ID retrieval top-1'))).toBe(true);
    const r = JSON.parse(lines[lines.length - 1]);
    expect(r).toMatchObject({ model: 'classical', pairs: 4, evaluated: 4, facesUsed: 4, noFace: { source: 0, target: 0, swap: 0 } });
    expect(r.identity.gallery).toBeGreaterThanOrEqual(2);
    expect(r.identity.top1).toBeGreaterThanOrEqual(0);
    expect(r.identity.top1).toBeLessThanOrEqual(1);
    // the swap must look more like its source than an unrelated face would under faceres (cosine well above 0)
    expect(r.identity.meanCosSource).toBeGreaterThan(0.3);
    // classical swaps keep the target's geometry: small pose and landmark errors
    expect(r.pose.n).toBe(4);
    expect(r.pose.mean).toBeLessThan(10);
    expect(r.landmarkErrorPct.mean).toBeGreaterThan(0);
    expect(r.landmarkErrorPct.mean).toBeLessThan(10);
    expect(r.xray.swaps).toBe(4);
    expect(r.xray.auc).toBeGreaterThanOrEqual(0);
    expect(r.xray.auc).toBeLessThanOrEqual(1);
    expect(r.provenance).toMatchObject({ file: 4, pixels: 4, targetsFlagged: 0, of: 4 });
    expect(r.latencyMs.swapMean).toBeGreaterThan(0);
  }, 90_000);
});

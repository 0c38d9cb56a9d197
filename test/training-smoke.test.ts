import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The full recipe needs a GPU or two hours of CPU (training/README.md); the suite runs a few steps of
// the real code on placeholder landmarks, then exports and checks the ONNX.
describe('Face X-Ray training code', () => {
  it('trains a few steps, exports ONNX and passes the crop-convention check', () => {
    const run = spawnSync('bash', ['training/xray/smoke.sh'], { encoding: 'utf8', timeout: 240_000 });
    if (run.status !== 0) console.error(run.stdout, run.stderr);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/smoke OK: \d+ steps/);
  }, 260_000);
});

describe('FaceShifter training code', () => {
  it('trains a few AEI-Net and HEAR-Net steps, exports both, quantizes them and checks them in onnxruntime-node', () => {
    const run = spawnSync('bash', ['training/swap/smoke.sh'], { encoding: 'utf8', timeout: 240_000 });
    if (run.status !== 0) console.error(run.stdout, run.stderr);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/smoke OK: aei \d+ \+ hear \d+ steps/);
  }, 260_000);
});

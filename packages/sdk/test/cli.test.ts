/**
 * The real `seamline` bin, spawned as a child process: against the real worker, against a scripted
 * stub server (deterministic fake verdicts, 404s), and with --local (in-process pipeline).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from '../../../test/support/worker.js';
import { globToRegExp } from '../src/cli/glob.js';
import { problem, startStub } from './stub-server.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/sdk/bin/seamline.mjs');
const fixtures = join(root, 'test/fixtures');

type Run = { code: number | null; stdout: string; stderr: string };
/** Async spawn: a sync one would block the stub server living in this process. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, SEAMLINE_URL: '', SEAMLINE_API_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const jsonLines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seamline-cli-'));
  mkdirSync(join(dir, 'nested'));
  cpSync(join(fixtures, 'face-1.jpg'), join(dir, 'face-1.jpg'));
  cpSync(join(fixtures, 'face-7-alpha.png'), join(dir, 'face-7-alpha.png'));
  cpSync(join(fixtures, 'face-4.jpg'), join(dir, 'nested/face-4.jpg'));
  cpSync(join(fixtures, 'ATTRIBUTION.md'), join(dir, 'notes.md')); // not an image: skipped
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seamline scan against the real worker', () => {
  let worker: WorkerHandle;
  beforeAll(async () => { worker = await startWorker(); });
  afterAll(async () => { await worker?.stop(); });

  it('scans a folder recursively; one JSON line per image; exit 1 iff some verdict is fake', async () => {
    const run = await cli(['scan', dir, '--url', worker.url, '--json']);
    const lines = jsonLines(run.stdout);
    expect(lines.map((l) => l.file).sort()).toEqual([join(dir, 'face-1.jpg'), join(dir, 'face-7-alpha.png'), join(dir, 'nested/face-4.jpg')].sort());
    for (const l of lines) {
      expect(l.error, `${l.file}: ${JSON.stringify(l.error)}`).toBeUndefined();
      expect(['fake', 'real']).toContain(l.verdict);
      expect(l.score).toBeGreaterThanOrEqual(0);
      expect(l.score).toBeLessThanOrEqual(1);
      expect(l.faces).toBeGreaterThanOrEqual(1);
      expect(l.threshold).toEqual(expect.any(Number));
    }
    expect(run.code, run.stderr).toBe(lines.some((l) => l.verdict === 'fake') ? 1 : 0);
  });
});

describe('seamline scan against a stub server', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  const fakeSize = readFileSync(join(fixtures, 'face-4.jpg')).length;
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  beforeAll(async () => {
    stub = await startStub((call) => {
      if (call.url.includes('overlay=1')) return { status: 200, headers: { 'content-type': 'image/png' }, body: png };
      const score = call.body.length === fakeSize ? 0.9 : 0.1;
      const face = { box: { x: 1, y: 2, width: 3, height: 4 }, score, label: score >= 0.5 ? 'fake' : 'real', peak: 0.5, boundaryArea: 0.1, boundaryMap: 'data:' };
      return { status: 200, body: { verdict: face.label, score, threshold: 0.5, model: { name: 'stub', version: '0' }, faces: [face] } };
    });
  });
  afterAll(async () => { await stub?.close(); });

  it('exits 1 when an image is fake, with a table on stdout', async () => {
    const run = await cli(['scan', dir, '--url', stub.url]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^file\s+verdict\s+score\s+faces$/m);
    expect(run.stdout).toMatch(/nested\/face-4\.jpg\s+fake\s+0\.900\s+1/);
    expect(run.stdout).toMatch(/face-1\.jpg\s+real\s+0\.100\s+1/);
  });

  it('--threshold overrides the server (exit 0), globs are expanded, --overlay saves PNGs, SEAMLINE_URL works', async () => {
    const out = join(dir, 'overlays');
    const run = await cli(['scan', `${dir}/**/*.jpg`, '--json', '--threshold', '0.95', '--overlay', out], { SEAMLINE_URL: stub.url });
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.verdict === 'real' && l.threshold === 0.95)).toBe(true);
    expect(lines.find((l) => l.file.endsWith('face-4.jpg'))?.perFace[0]).toMatchObject({ score: 0.9, label: 'real' });
    for (const l of lines) expect(readFileSync(l.overlay)).toEqual(Buffer.from(png));
  });

  it('usage errors exit 2', async () => {
    for (const args of [['scan'], ['scan', dir, '--bogus'], ['scan', join(dir, 'missing.jpg')], ['scan', dir, '--concurrency', '0'], ['nope'], ['swap', '--source', 'a.jpg']]) {
      const run = await cli([...args, '--url', stub.url]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/seamline: /);
    }
  });

  it('--version and --help', async () => {
    expect((await cli(['--version'])).stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'packages/sdk/package.json'), 'utf8')).version);
    for (const command of ['scan', 'swap', 'video', 'serve']) {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: seamline ${command}`);
    }
    expect((await cli(['scan', '--help'])).stdout).toMatch(/--local[\s\S]*repository checkout/);
  });
});

describe('routes the server does not have', () => {
  it('swap and video print "not available on this server" and exit 2 on 404', async () => {
    const stub = await startStub(() => ({ status: 404, body: problem(404, 'not-found') }));
    try {
      const face = join(dir, 'face-1.jpg');
      const swap = await cli(['swap', '--source', face, '--target', face, '--out', join(dir, 'x.png'), '--url', stub.url]);
      expect(swap.code).toBe(2);
      expect(swap.stderr).toContain('swap: not available on this server');
      expect(existsSync(join(dir, 'x.png'))).toBe(false);
      const video = await cli(['video', face, '--scan', '--url', stub.url]);
      expect(video.code).toBe(2);
      expect(video.stderr).toContain('video jobs: not available on this server');
      expect(stub.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/swap', 'POST /v1/jobs']);
    } finally {
      await stub.close();
    }
  });
});

describe('seamline scan --local (in-process, onnxruntime-node)', () => {
  it('scans one fixture without a server', async () => {
    const run = await cli(['scan', join(dir, 'face-1.jpg'), '--local', '--json', '--url', 'http://127.0.0.1:9']);
    const lines = jsonLines(run.stdout);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0].error, JSON.stringify(lines[0].error)).toBeUndefined();
    expect(lines[0]).toMatchObject({ faces: 1, threshold: expect.any(Number) });
    expect(['fake', 'real']).toContain(lines[0].verdict);
    expect(run.code).toBe(lines[0].verdict === 'fake' ? 1 : 0);
  });
});

describe('glob matcher', () => {
  it('matches *, **, ?, [], {}', () => {
    expect(globToRegExp('**/*.jpg').test('a/b/c.jpg')).toBe(true);
    expect(globToRegExp('**/*.jpg').test('c.jpg')).toBe(true);
    expect(globToRegExp('*.jpg').test('a/c.jpg')).toBe(false);
    expect(globToRegExp('face-?.{jpg,png}').test('face-7.png')).toBe(true);
    expect(globToRegExp('face-[0-4].jpg').test('face-6.jpg')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

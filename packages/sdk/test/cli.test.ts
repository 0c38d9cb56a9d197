/**
 * The real `seamline` bin, spawned as a child process: against the real worker, against a scripted
 * stub server (deterministic fake verdicts, 404s), and with --local (in-process pipeline).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startWorker, type WorkerHandle } from '../../../test/support/worker.js';
import { progressLabel } from '../src/cli/commands/video.js';
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

describe('seamline scan and swap against the real worker', () => {
  let worker: WorkerHandle;
  beforeAll(async () => { worker = await startWorker({ SEAMLINE_API_KEY: 'k' }); });
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

  it('a URL the server may not fetch is that image\'s error line (400 url-not-allowed, with the request id): exit 2', async () => {
    const run = await cli(['scan', 'https://127.0.0.1/private.jpg', '--url', worker.url, '--json']);
    expect(run.code, run.stderr).toBe(2);
    const [line] = jsonLines(run.stdout);
    expect(line).toMatchObject({ file: 'https://127.0.0.1/private.jpg', verdict: null, error: { status: 400 } });
    expect(line.error.detail).toMatch(/imageUrl.*127\.0\.0\.1/);
    expect(line.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('models prints the shipped models as a table or JSON lines, and one card whole', async () => {
    const table = await cli(['models', '--url', worker.url]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^model\s+version\s+delivery\s+MB$/m);
    expect(table.stdout).toMatch(/^xray\s+\d+\.\d+\.\d+\s+bundled\s+4\.2$/m);
    expect(table.stdout).toMatch(/^faceres\s+-\s+not-shipped\s+0\.0$/m);
    const json = await cli(['models', '--url', worker.url, '--json']);
    expect(jsonLines(json.stdout).map((m) => m.name)).toContain('aei_lite');
    const card = await cli(['models', 'xray', '--url', worker.url]);
    expect(JSON.parse(card.stdout)).toMatchObject({ name: 'xray', calibration: { threshold: expect.any(Number) } });
    const missing = await cli(['models', 'nope', '--url', worker.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No model card is called nope/);
    expect(missing.stderr).not.toMatch(/not available on this server/);
  });

  it('swap --api-key writes the JPEG (or PNG for a .png --out); without the key it exits 2 with the 401', async () => {
    const [source, target] = [join(fixtures, 'face-4.jpg'), join(fixtures, 'face-1.jpg')];
    const outDir = mkdtempSync(join(tmpdir(), 'seamline-swap-')); // not under `dir`: the scan tests glob it
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    const jpg = join(outDir, 'swapped.jpg');
    const run = await cli(['swap', '--source', source, '--target', target, '--out', jpg, '--url', worker.url, '--api-key', 'k']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('image/jpeg');
    expect([...readFileSync(jpg).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const png = join(outDir, 'swapped.png');
    const asPng = await cli(['swap', '--source', source, '--target', target, '--out', png, '--url', worker.url], { SEAMLINE_API_KEY: 'k' });
    expect(asPng.code, asPng.stderr).toBe(0);
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const denied = await cli(['swap', '--source', source, '--target', target, '--out', join(outDir, 'denied.jpg'), '--url', worker.url]);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/seamline: 401 /);
    expect(existsSync(join(outDir, 'denied.jpg'))).toBe(false);
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

  it('sends an https URL argument to the server as a URL, beside files', async () => {
    const before = stub.calls.length;
    const run = await cli(['scan', 'https://cdn.example/team.jpg', join(dir, 'face-1.jpg'), '--url', stub.url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).map((l) => l.file)).toEqual(['https://cdn.example/team.jpg', join(dir, 'face-1.jpg')]);
    const byUrl = stub.calls.slice(before).find((c) => c.headers['content-type'] === 'application/json');
    expect(JSON.parse(byUrl!.body.toString())).toEqual({ imageUrl: 'https://cdn.example/team.jpg' });
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
    for (const command of ['scan', 'swap', 'video', 'serve', 'models']) {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: seamline ${command}`);
    }
    expect((await cli(['scan', '--help'])).stdout).toMatch(/--local[\s\S]*repository checkout/);
  });
});

describe('seamline video against a stub server (the real job shapes)', () => {
  const progress = (framesDone: number, framesTotal: number, percent: number, etaSeconds: number | null) => ({ framesDone, framesTotal, chunksDone: 0, chunksTotal: 0, percent, etaSeconds });
  const job = (state: string, p: ReturnType<typeof progress>, extra: object = {}) => ({ id: 'job-1', task: 'swap-video', state, progress: p, createdAt: 't0', updatedAt: 't1', ...extra });

  it('--swap-source: creates a swap-video job, polls to succeeded, downloads the result to --out', async () => {
    const video = new Uint8Array([9, 9, 9]);
    const polls = [
      job('queued', progress(0, 0, 0, null)),
      job('running', progress(10, 40, 30, 3)),
      job('succeeded', progress(40, 40, 100, null), { result: { url: 'http://x/v1/jobs/job-1/result', contentType: 'video/mp4' } }),
    ];
    let poll = 0;
    const stub = await startStub((call) => {
      if (call.method === 'POST') return { status: 202, body: { id: 'job-1', state: 'queued', statusUrl: 'http://x/v1/jobs/job-1' } };
      if (call.url.endsWith('/result')) return { status: 200, headers: { 'content-type': 'video/mp4' }, body: video };
      return { status: 200, body: polls[Math.min(poll++, polls.length - 1)] };
    });
    try {
      const out = join(dir, 'out.mp4'); // not an image: the scan tests never see it
      const run = await cli(['video', join(dir, 'face-1.jpg'), '--swap-source', join(dir, 'face-1.jpg'), '--source-face', '1', '--out', out, '--interval', '50', '--url', stub.url, '--api-key', 'k']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ id: 'job-1', state: 'succeeded' });
      expect(readFileSync(out)).toEqual(Buffer.from(video));
      expect(stub.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/jobs', ...Array(3).fill('GET /v1/jobs/job-1'), 'GET /v1/jobs/job-1/result']);
      const create = stub.calls[0];
      const form = await new Response(new Uint8Array(create.body), { headers: { 'content-type': String(create.headers['content-type']) } }).formData();
      expect([form.get('task'), form.get('sourceFace')]).toEqual(['swap-video', '1']);
      expect(form.get('video')).toBeInstanceOf(File);
      expect(form.get('source')).toBeInstanceOf(File);
      expect(create.headers.authorization).toBe('Bearer k');
    } finally {
      await stub.close();
    }
  });

  it('--scan with an https video URL sends the JSON form; a failed job exits 2 with its problem', async () => {
    const stub = await startStub((call) =>
      call.method === 'POST'
        ? { status: 202, body: { id: 'job-2', state: 'queued', statusUrl: 'http://x/v1/jobs/job-2' } }
        : { status: 200, body: { ...job('failed', progress(0, 0, 5, null)), task: 'scan-video', error: problem(413, 'video-too-long', 'longer than 60 s') } },
    );
    try {
      const run = await cli(['video', 'https://cdn.example/clip.mp4', '--scan', '--interval', '50', '--url', stub.url]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('longer than 60 s');
      expect(JSON.parse(stub.calls[0].body.toString())).toEqual({ task: 'scan-video', videoUrl: 'https://cdn.example/clip.mp4' });
    } finally {
      await stub.close();
    }
  });

  it('progress label: percent and ETA', () => {
    expect(progressLabel({ state: 'running', progress: progress(10, 40, 30, 75) })).toBe('frames running 30% eta 1m15s');
    expect(progressLabel({ state: 'queued', progress: progress(0, 0, 0, null) })).toBe('frames queued 0%');
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

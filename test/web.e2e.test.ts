/**
 * End-to-end test of the web demo at `/`: the real worker in workerd (startWorker) driven by Debian's chromium
 * through playwright-core. Uploads a face, checks the server result, moves the threshold slider, runs the same
 * pipeline in the browser (onnxruntime-web, wasm) and compares. Screenshots go to test-output/ (gitignored).
 * Uses the default build of src/web/dist: the in-browser ORT wasm is streamed from the MODELS R2 bucket, seeded into a
 * temp persist dir by tools/seed-models.mjs (support/models.ts); no special build flag.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH): `apt-get install -y chromium`; without it the test fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededWorker } from './support/models.js';
import type { WorkerHandle } from './support/worker.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(root, 'test-output');
const fixture = join(root, 'test/fixtures/face-1.jpg');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let worker: WorkerHandle;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `web e2e: chromium not found at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (.ci/run does) ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  mkdirSync(shots, { recursive: true });
  // The default build: ORT's browser wasm is not bundled; the worker streams it from R2.
  execFileSync(process.execPath, [join(root, 'tools/build-web.mjs')], { cwd: root, stdio: 'pipe' });
  [worker, browser] = await Promise.all([startSeededWorker(), chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    // The swap route answers 401/403/404 on purpose (last test); anything else failing is a bug.
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/v1/swap')) pageErrors.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const result = () => page.getByTestId('result');
const attr = async (testId: string, name: string) => (await page.getByTestId(testId).getAttribute(name)) ?? '';
const overlayCells = async () => Number(await attr('canvas', 'data-overlay-cells'));
const canvasPixels = () => page.getByTestId('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());

describe('web demo at /', () => {
  it('serves the page, assets, models and problem+json for unknown files', async () => {
    const home = await worker.fetch('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const html = await home.text();
    const appJs = /src="(\/web\/app\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(appJs).toBeTruthy();
    const js = await worker.fetch(appJs!);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await worker.fetch('/web/app.js?v=stale')).headers.get('cache-control')).toBe('public, max-age=300');
    const again = await worker.fetch(appJs!, { headers: { 'if-none-match': js.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const model = await worker.fetch('/models/blazeface.fp16.onnx');
    expect(model.status).toBe(200);
    expect(model.headers.get('content-type')).toBe('application/octet-stream');
    expect((await model.arrayBuffer()).byteLength).toBeGreaterThan(100_000);

    const head = await worker.fetch('/web/ort/ort-wasm-simd-threaded.wasm', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-seamline-source')).toBe('r2');
    const wasm = await worker.fetch('/web/ort/ort-wasm-simd-threaded.wasm', { headers: { 'accept-encoding': 'identity' } });
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('x-seamline-source')).toBe('r2'); // streamed from the MODELS bucket, not the bundle
    expect(wasm.headers.get('cache-control')).toBe('public, max-age=300');
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // \0asm
    expect(bytes.length).toBeGreaterThan(10_000_000);
    const etag = wasm.headers.get('etag')!;
    expect((await worker.fetch('/web/ort/ort-wasm-simd-threaded.wasm', { headers: { 'if-none-match': etag } })).status).toBe(304);

    for (const path of ['/web/nope.js', '/models/nope.onnx', '/web/ort/other.wasm']) {
      const res = await worker.fetch(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
      expect(((await res.json()) as { status: number }).status).toBe(404);
    }
  });

  it('scans an uploaded face on the server, re-labels with the threshold slider, and matches the in-browser run', async () => {
    await page.goto(`${worker.url}/`);
    await expect(page.title()).resolves.toContain('seamline');
    expect(await page.getByRole('link', { name: 'API docs' }).getAttribute('href')).toBe('/docs');

    await page.getByTestId('file').setInputFiles(fixture);
    await page.locator('[data-testid="result"][data-source="server"]').waitFor({ timeout: 30_000 });
    const serverFaces = Number(await attr('result', 'data-faces'));
    const serverScore = Number(await attr('result', 'data-score'));
    expect(serverFaces).toBe(1);
    expect(Number(await attr('canvas', 'data-placed-maps')), 'boundary maps placed from /v1/faces landmarks').toBe(serverFaces);
    expect(serverScore, 'room below the score for the slider (lowest stop 0.01)').toBeGreaterThan(0.02);
    expect(serverScore).toBeLessThan(0.98);
    await expect(page.locator('[data-testid="faces"] > li').count()).resolves.toBe(serverFaces);
    const verdictText = (await page.getByTestId('verdict').innerText()).trim();
    expect(verdictText).toMatch(/No swap detected|Likely face-swapped/);
    expect(verdictText).toContain(`score ${serverScore.toFixed(3)}`);
    expect(await page.getByTestId('runinfo').innerText()).toContain('Scanned on the server');
    await page.screenshot({ path: join(shots, 'web-server.png'), fullPage: true });

    // Threshold just below the score: the face becomes "swapped" and boundary cells ≥ threshold are drawn.
    const slider = page.getByTestId('threshold');
    const low = Math.max(0.01, Math.floor((serverScore - 0.05) * 100) / 100);
    await slider.fill(String(low));
    await expect(page.getByTestId('threshold-value').innerText()).resolves.toBe(low.toFixed(2));
    expect(await attr('verdict', 'data-verdict')).toBe('fake');
    expect(await page.locator('[data-testid="faces"] > li').first().getAttribute('data-label')).toBe('fake');
    const lowCells = await overlayCells();
    const lowPixels = await canvasPixels();
    expect(lowCells).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'web-threshold-low.png'), fullPage: true });

    // Keyboard: End moves the slider to its maximum; the face is "real" again and fewer cells pass.
    await slider.focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('threshold-value').innerText()).resolves.toBe('0.99');
    expect(await attr('verdict', 'data-verdict')).toBe('real');
    expect(await page.locator('[data-testid="faces"] > li').first().getAttribute('data-label')).toBe('real');
    expect(await overlayCells()).toBeLessThan(lowCells);
    expect(await canvasPixels()).not.toBe(lowPixels);

    // Run in my browser (switch by keyboard): same faces, score within 0.05 of the server's. The default build enables
    // the switch once HEAD /web/ort/… answers 200 (the wasm is in R2).
    await page.locator('[data-testid="local-switch"][data-available="true"]:not([disabled])').waitFor({ timeout: 10_000 });
    await page.getByRole('switch', { name: 'Run in my browser' }).focus();
    await page.keyboard.press('Space');
    await page.locator('[data-testid="result"][data-source="browser"]').waitFor({ timeout: 45_000 });
    const browserFaces = Number(await attr('result', 'data-faces'));
    const browserScore = Number(await attr('result', 'data-score'));
    const runinfo = await page.getByTestId('runinfo').innerText();
    console.log(`web e2e: server score ${serverScore}, browser score ${browserScore}; ${runinfo}`);
    expect(runinfo).toContain('Scanned in your browser');
    expect(runinfo).toContain('onnxruntime-web (wasm');
    expect(browserFaces).toBe(serverFaces);
    expect(Math.abs(browserScore - serverScore)).toBeLessThanOrEqual(0.05);
    await slider.fill(String(low));
    expect(await overlayCells()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'web-browser.png'), fullPage: true });

    // Phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'web-phone.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows the server problem message on the swap tab when the route refuses', async () => {
    await page.getByRole('tab', { name: 'Swap' }).click();
    await page.getByLabel('Source face').setInputFiles(fixture);
    await page.getByLabel('Target photo').setInputFiles(join(root, 'test/fixtures/face-4.jpg'));
    await page.getByRole('button', { name: 'Swap faces' }).click();
    const problem = page.getByTestId('swap-problem');
    await problem.waitFor({ state: 'visible', timeout: 20_000 });
    // No key: either the route is not deployed yet (404) or it refuses (401/403); both are problem+json.
    expect(await problem.innerText()).toMatch(/\((401|403|404)\)/);
    await page.screenshot({ path: join(shots, 'web-swap.png'), fullPage: true });
  }, 30_000);
});

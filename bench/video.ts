/**
 * Video throughput of the origin (`npm run bench:video`): a 720p, 10 s, 25 fps clip (one face scaled up
 * from a FairFace fixture, drifting and zooming, with audio) is made with ffmpeg, then scan-video and
 * swap-video run through the origin's own code in this process (createOriginApp + POST /work against an
 * in-process fake edge: probe → chunks → assemble), on onnxruntime-node CPU (`--threads`, default 2),
 * and on CUDA too when `SEAMLINE_DEVICE=cuda` gets the CUDA execution provider. Prints frames per second
 * of video processed for each and ends with one JSON line. Figures are printed, never asserted.
 *
 * Options (after `npm run bench:video --`): --seconds 10 --fps 25 --width 1280 --height 720 --threads 2
 *   --only scan,swap  --chunk 50 (frames per chunk)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '../src/backends/ort';
import { createNodeBackend } from '../src/backends/ort-node';
import { getSwapper } from '../src/processors/swapper/index';
import { selectBackend } from '../origin/src/backend';
import { createOriginApp } from '../origin/src/server';
import { ffmpegVersion } from '../origin/src/video/ffmpeg';
import { startFakeEdge } from '../origin/test/support/fake-edge';
import { fixturePath, makeClip } from '../origin/test/support/make-video';
import { postJson } from '../origin/test/support/work';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
};
const seconds = Number(arg('seconds', '10')), fps = Number(arg('fps', '25'));
const width = Number(arg('width', '1280')), height = Number(arg('height', '720'));
const threads = Number(arg('threads', '2')), framesPerChunk = Number(arg('chunk', '50'));
const only = arg('only', 'scan,swap').split(',');

const TOKEN = 'bench';
const dir = mkdtempSync(join(tmpdir(), 'bench-video-'));
const clip = join(dir, 'clip.mp4');
const t0 = performance.now();
const { frames } = await makeClip(clip, { seconds, fps, width, height, faceSize: Math.round(height * 0.55), fixture: 'face-1.jpg' });
console.log(`clip: ${width}×${height}, ${seconds}s @ ${fps} fps = ${frames} frames (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const edge = await startFakeEdge(TOKEN);

type StepTimes = { probe: number; chunks: number; assemble: number; total: number; fps: number; chunkFps: number };

async function runTask(task: 'scan-video' | 'swap-video', device: 'cpu' | 'cuda', backendName: string): Promise<StepTimes & { summary: unknown }> {
  const jobId = `${task}-${device}-${Date.now()}`;
  edge.addJob(jobId, readFileSync(clip), readFileSync(fixturePath('face-4.jpg')));
  const app = createOriginApp({
    edgeUrl: edge.url, token: TOKEN, workRoot: join(dir, 'work'), swapper: getSwapper('classical'), framesPerChunk,
    backend: { backend: { name: backendName }, device, threads, note: 'bench' }, log: () => undefined,
  });
  const post = (body: unknown) => app.request('/work', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const s0 = performance.now();
  const probe = await postJson<{ chunks: Array<[number, number]> }>(post, { step: 'probe', jobId, task });
  const s1 = performance.now();
  for (const [index, [startFrame, endFrame]] of probe.chunks.entries()) {
    await postJson(post, { step: 'chunk', jobId, task, chunk: { index, startFrame, endFrame } });
  }
  const s2 = performance.now();
  const assemble = await postJson<{ summary: unknown }>(post, { step: 'assemble', jobId, task, chunks: probe.chunks.length });
  const s3 = performance.now();
  const sec = (ms: number) => Math.round(ms) / 1000;
  return {
    probe: sec(s1 - s0), chunks: sec(s2 - s1), assemble: sec(s3 - s2), total: sec(s3 - s0),
    fps: Math.round((frames / ((s3 - s0) / 1000)) * 100) / 100,
    chunkFps: Math.round((frames / ((s2 - s1) / 1000)) * 100) / 100,
    summary: assemble.summary,
  };
}

const results: Record<string, unknown> = {};
async function benchDevice(device: 'cpu' | 'cuda', backendName: string) {
  for (const task of ['scan-video', 'swap-video'] as const) {
    if (!only.includes(task.split('-')[0])) continue;
    const r = await runTask(task, device, backendName);
    results[`${device}:${task}`] = r;
    console.log(`${device} ${task}: ${r.fps} fps end to end (${r.total} s: probe ${r.probe} s, chunks ${r.chunks} s = ${r.chunkFps} fps, assemble ${r.assemble} s) ${JSON.stringify(r.summary)}`);
  }
}

setBackend(createNodeBackend({ threads, device: 'cpu' }));
await benchDevice('cpu', 'ort-node-cpu');
let gpu = 'not requested (SEAMLINE_DEVICE != cuda)';
if ((process.env.SEAMLINE_DEVICE ?? '').toLowerCase() === 'cuda') {
  const choice = await selectBackend({ device: 'cuda', threads });
  gpu = choice.note;
  if (choice.device === 'cuda') {
    setBackend(choice.backend);
    await benchDevice('cuda', 'ort-node-cuda');
  }
}
await edge.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  bench: 'video', clip: { width, height, seconds, fps, frames }, threads, framesPerChunk, cpu: cpus()[0]?.model, cores: cpus().length,
  ffmpeg: await ffmpegVersion(), gpu, results,
}));

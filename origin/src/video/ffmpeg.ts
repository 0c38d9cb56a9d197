/**
 * @module origin/video/ffmpeg
 * The one place that spawns ffmpeg. Every process gets a deadline and is SIGKILLed when it passes it
 * (or when the caller aborts), so a corrupt or hostile input can slow a step down but never hang it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Path of the ffmpeg binary: `FFMPEG_PATH`, else the static build from @ffmpeg-installer/ffmpeg. */
export function ffmpegPath(): string {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

export class FfmpegError extends Error {
  constructor(message: string, readonly stderr: string, readonly code: number | null, readonly timedOut = false) {
    super(message);
    this.name = 'FfmpegError';
  }
}

export type FfmpegRunOptions = {
  /** Hard deadline; the process is SIGKILLed after it. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep at most this many characters of stderr (the tail). Default 64 KiB. */
  maxStderr?: number;
};

export type FfmpegRun = { code: number | null; stdout: string; stderr: string; timedOut: boolean };

/** Runs ffmpeg to completion and collects its output (text). Never rejects on a non-zero exit; check `code`. */
export function runFfmpeg(args: readonly string[], options: FfmpegRunOptions): Promise<FfmpegRun> {
  const child = spawnFfmpeg(args, options);
  let stdout = '';
  child.process.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout = (stdout + d).slice(-1_000_000); });
  return child.done.then((r) => ({ ...r, stdout }));
}

export type SpawnedFfmpeg = {
  process: ChildProcess;
  /** Resolves when the process has exited (killed or not). */
  done: Promise<{ code: number | null; stderr: string; timedOut: boolean }>;
  kill(): void;
};

/** Spawns ffmpeg with pipes for streaming use (raw frames in or out) under the same deadline rules. */
export function spawnFfmpeg(args: readonly string[], { timeoutMs, signal, maxStderr = 65_536 }: FfmpegRunOptions): SpawnedFfmpeg {
  const proc = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let timedOut = false;
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-maxStderr); });
  // EPIPE on stdin when ffmpeg exits early is reported through the exit code instead.
  proc.stdin!.on('error', () => undefined);
  const kill = () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); };
  const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
  const onAbort = () => kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  const done = new Promise<{ code: number | null; stderr: string; timedOut: boolean }>((resolve) => {
    proc.on('error', (error) => { stderr += `\nspawn error: ${error.message}`; });
    proc.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, stderr, timedOut });
    });
  });
  return { process: proc, done, kill };
}

/** `ffmpeg -version`'s first line, e.g. `ffmpeg version N-47683-g0e8eb07980-static`. */
export async function ffmpegVersion(): Promise<string> {
  const run = await runFfmpeg(['-version'], { timeoutMs: 5_000 });
  return (run.stdout.split('\n')[0] ?? '').replace(/\s+Copyright.*$/, '').trim() || 'unknown';
}

/** The last few meaningful stderr lines, for failure details. */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-lines).join(' | ');
}

/**
 * @module origin/video/probe
 * What a video is, from ffmpeg alone (the static build has no ffprobe):
 *
 * 1. `readHeader`: `ffmpeg -i file` stderr → size, frame rate, duration, audio, rotation (cheap, no decoding);
 * 2. `probeVideo`: the header checked against the limits, then one full decode pass (`-f null`) that
 *    counts the frames the chunk decoder will actually get and catches truncated or corrupt data.
 *
 * Anything wrong with the input is a 422 `WorkError`; every ffmpeg call has a deadline.
 */
import { jobFailure } from '../errors.js';
import { runFfmpeg, stderrTail } from './ffmpeg.js';
import type { VideoLimits } from './limits.js';

export type VideoHeader = {
  /** Display size (after the rotation ffmpeg applies when decoding). */
  width: number;
  height: number;
  fps: number;
  /** The frame rate as ffmpeg should be told it (`25`, `30000/1001`). */
  fpsRational: string;
  /** Container duration in seconds (0 when the container does not say). */
  durationSeconds: number;
  videoCodec: string;
  hasAudio: boolean;
  audioCodec: string | null;
};

export type VideoProbe = VideoHeader & { frames: number };

export type ProbeOptions = { timeoutMs?: number; signal?: AbortSignal };

/** Parses `ffmpeg -i` output. Throws a 422 when there is no readable video stream. */
export async function readHeader(file: string, { timeoutMs = 15_000, signal }: ProbeOptions = {}): Promise<VideoHeader> {
  const run = await runFfmpeg(['-i', 'file:' + file], { timeoutMs, signal });
  if (run.timedOut) throw jobFailure('probe-timeout', `reading the container header took longer than ${timeoutMs} ms`);
  return parseHeader(run.stderr);
}

export function parseHeader(stderr: string): VideoHeader {
  if (/Invalid data found|moov atom not found|could not find codec parameters|no such file/i.test(stderr) && !/Stream #\d+:\d+.*: Video:/.test(stderr)) {
    throw jobFailure('corrupt-video', `ffmpeg cannot read the input: ${stderrTail(stderr, 2)}`);
  }
  const lines = stderr.split('\n');
  const videoIndex = lines.findIndex((l) => /Stream #\d+:\d+.*: Video: /.test(l) && !/attached pic/.test(l));
  if (videoIndex < 0) throw jobFailure('no-video-stream', `the input has no video stream: ${stderrTail(stderr, 2)}`);
  const video = lines[videoIndex];
  const size = /, (\d{1,5})x(\d{1,5})(?=[,\s])/.exec(video);
  if (!size) throw jobFailure('corrupt-video', `no frame size in the video stream: ${video.trim()}`);
  const rate = /, ([\d.]+k?) fps/.exec(video) ?? /, ([\d.]+k?) tbr/.exec(video);
  const fps = rate ? parseRate(rate[1]) : NaN;
  if (!Number.isFinite(fps) || fps <= 0 || fps > 240) throw jobFailure('corrupt-video', `no usable frame rate in the video stream: ${video.trim()}`);
  // Stream metadata (indented lines right after the stream line) may carry a rotation that decoding applies.
  let rotate = 0;
  for (let i = videoIndex + 1; i < lines.length && !/Stream #/.test(lines[i]); i++) {
    const m = /^\s+rotate\s+:\s+(-?\d+)/.exec(lines[i]) ?? /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(lines[i]);
    if (m) rotate = Math.abs(Math.round(Number(m[1]))) % 180;
  }
  const [w, h] = [Number(size[1]), Number(size[2])];
  const duration = /Duration: (\d+):(\d+):([\d.]+)/.exec(stderr);
  const audio = lines.find((l) => /Stream #\d+:\d+.*: Audio: /.test(l));
  return {
    width: rotate === 90 ? h : w,
    height: rotate === 90 ? w : h,
    fps,
    fpsRational: rationalRate(fps),
    durationSeconds: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 0,
    videoCodec: /Video: (\w+)/.exec(video)?.[1] ?? 'unknown',
    hasAudio: Boolean(audio),
    audioCodec: audio ? (/Audio: (\w+)/.exec(audio)?.[1] ?? 'unknown') : null,
  };
}

/**
 * Header checks against the limits, then a decode pass that counts frames. The pass's deadline grows
 * with the frame count the header promises (decoding runs at hundreds of frames per second).
 */
export async function probeVideo(file: string, limits: VideoLimits, options: ProbeOptions = {}): Promise<VideoProbe> {
  const header = await readHeader(file, options);
  checkLimits(header, limits);
  const expected = header.durationSeconds > 0 ? Math.round(header.durationSeconds * header.fps) : limits.maxFrames;
  const timeoutMs = options.timeoutMs ?? 10_000 + 20 * Math.min(expected, limits.maxFrames);
  const run = await runFfmpeg(
    ['-v', 'error', '-nostats', '-progress', 'pipe:1', '-i', 'file:' + file, '-map', '0:v:0', '-f', 'null', '-'],
    { timeoutMs, signal: options.signal },
  );
  if (run.timedOut) throw jobFailure('probe-timeout', `decoding the video took longer than ${timeoutMs} ms`);
  const frames = Number([...run.stdout.matchAll(/^frame=(\d+)/gm)].pop()?.[1] ?? 0);
  if (run.code !== 0) throw jobFailure('corrupt-video', `the video does not decode: ${stderrTail(run.stderr)}`);
  if (/partial file|Invalid data found|truncat/i.test(run.stderr)) {
    throw jobFailure('truncated-video', `the video is truncated or damaged after ${frames} frames: ${stderrTail(run.stderr)}`);
  }
  if (frames < 1) throw jobFailure('corrupt-video', 'the video stream has no decodable frames');
  // The container promised much more than the stream holds: truncated data that decoders skip quietly.
  if (header.durationSeconds > 0 && frames < 0.5 * expected && expected - frames > 2) {
    throw jobFailure('truncated-video', `the container says ${header.durationSeconds}s (~${expected} frames) but only ${frames} frames decode`);
  }
  if (frames > limits.maxFrames) throw jobFailure('video-too-long', `${frames} frames; the limit is ${limits.maxFrames}`);
  return { ...header, frames };
}

export function checkLimits(header: VideoHeader, limits: VideoLimits): void {
  if (header.durationSeconds > limits.maxDurationSeconds) {
    throw jobFailure('video-too-long', `${header.durationSeconds}s; the limit is ${limits.maxDurationSeconds}s`);
  }
  if (header.width > limits.maxWidth || header.height > limits.maxHeight) {
    throw jobFailure('video-too-large', `${header.width}×${header.height}; the limit is ${limits.maxWidth}×${limits.maxHeight}`);
  }
  if (header.width < 16 || header.height < 16) throw jobFailure('video-too-small', `${header.width}×${header.height}`);
}

function parseRate(text: string): number {
  return text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text);
}

/** NTSC rates as exact rationals (ffmpeg prints 29.97 for 30000/1001); others as printed. */
export function rationalRate(fps: number): string {
  for (const base of [24, 30, 48, 60, 120]) {
    if (Math.abs(fps - (base * 1000) / 1001) < 0.006) return `${base * 1000}/1001`;
  }
  return Number.isInteger(fps) ? String(fps) : String(Math.round(fps * 1000) / 1000);
}

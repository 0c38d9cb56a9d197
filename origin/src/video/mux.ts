/**
 * @module origin/video/mux
 * swap-video, assemble side: the lossless chunks are concatenated in order (concat demuxer), encoded
 * once to H.264 (libx264, yuv420p, the input's frame rate, constant frame rate), and the input's audio
 * is copied when MP4 can hold it (AAC, MP3, AC-3) or re-encoded to AAC. The output is then decoded and
 * its frames counted: anything but exactly the input's frame count is an error, not a result.
 */
import { writeFile } from 'node:fs/promises';
import { WorkError } from '../errors.js';
import { runFfmpeg, stderrTail } from './ffmpeg.js';
import { readHeader, type VideoHeader } from './probe.js';

export type MuxOptions = {
  chunkFiles: readonly string[];
  /** The original input (audio source). */
  input: string;
  header: VideoHeader;
  expectedFrames: number;
  output: string;
  /** Scratch path for the concat list. */
  listFile: string;
  crf?: number;
  preset?: string;
  timeoutMs?: number;
};

export type MuxResult = { frames: number; fps: number; hasAudio: boolean; audio: 'copy' | 'aac' | 'none' };

const MP4_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3']);

export async function muxChunks(options: MuxOptions): Promise<MuxResult> {
  const { chunkFiles, input, header, expectedFrames, output, listFile, crf = 18, preset = 'veryfast' } = options;
  const timeoutMs = options.timeoutMs ?? 60_000 + 200 * expectedFrames;
  await writeFile(listFile, chunkFiles.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
  const audio = !header.hasAudio ? 'none' : MP4_AUDIO.has(header.audioCodec ?? '') ? 'copy' : 'aac';
  const run = await runFfmpeg(
    [
      '-v', 'error', '-y',
      '-f', 'concat', '-safe', '0', '-i', 'file:' + listFile,
      '-i', 'file:' + input,
      '-map', '0:v:0', '-map', '1:a:0?',
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p',
      '-vsync', 'cfr', '-r', header.fpsRational,
      ...(audio === 'copy' ? ['-c:a', 'copy'] : audio === 'aac' ? ['-c:a', 'aac', '-b:a', '160k'] : []),
      '-movflags', '+faststart', 'file:' + output,
    ],
    { timeoutMs },
  );
  if (run.timedOut) throw new WorkError(500, 'mux-timeout', `encoding the result took longer than ${timeoutMs} ms`);
  if (run.code !== 0) throw new WorkError(500, 'mux-failed', `ffmpeg ${run.code}: ${stderrTail(run.stderr)}`);
  const frames = await countFrames(output, timeoutMs);
  if (frames !== expectedFrames) throw new WorkError(500, 'frame-count-mismatch', `the result has ${frames} frames, the input ${expectedFrames}`);
  const out = await readHeader(output);
  return { frames, fps: out.fps, hasAudio: out.hasAudio, audio };
}

/** Decoded video frames in a file (a `-f null` pass). */
export async function countFrames(file: string, timeoutMs = 120_000): Promise<number> {
  const run = await runFfmpeg(['-v', 'error', '-nostats', '-progress', 'pipe:1', '-i', 'file:' + file, '-map', '0:v:0', '-f', 'null', '-'], { timeoutMs });
  if (run.code !== 0 || run.timedOut) throw new WorkError(500, 'count-failed', `counting frames of ${file}: ${stderrTail(run.stderr)}`);
  return Number([...run.stdout.matchAll(/^frame=(\d+)/gm)].pop()?.[1] ?? 0);
}

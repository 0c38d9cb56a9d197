/**
 * @module origin/video/encode
 * RGBA frames → a lossless FFV1/Matroska chunk (the swap-video chunk artifact). Lossless, so the only
 * lossy step of the whole job is the final H.264 encode at assemble.
 */
import { WorkError } from '../errors.js';
import type { RgbaImage } from '../../../src/pipeline/types.js';
import { spawnFfmpeg, stderrTail } from './ffmpeg.js';

export type ChunkEncoderOptions = { width: number; height: number; fpsRational: string; timeoutMs?: number; signal?: AbortSignal };

export type ChunkEncoder = {
  write(image: RgbaImage): Promise<void>;
  /** Closes the stream, waits for ffmpeg, returns the number of frames written. */
  finish(): Promise<number>;
  abort(): void;
};

/** @example const enc = createChunkEncoder('/tmp/chunk-0000.mkv', { width, height, fpsRational: '25' }); */
export function createChunkEncoder(file: string, { width, height, fpsRational, timeoutMs = 600_000, signal }: ChunkEncoderOptions): ChunkEncoder {
  const ff = spawnFfmpeg(
    [
      '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-framerate', fpsRational, '-i', 'pipe:0',
      '-map', '0:v', '-c:v', 'ffv1', '-level', '3', '-g', '1', '-slices', '4', '-pix_fmt', 'bgr0', '-f', 'matroska', 'file:' + file,
    ],
    { timeoutMs, signal },
  );
  const stdin = ff.process.stdin!;
  let frames = 0;
  return {
    async write(image) {
      if (image.width !== width || image.height !== height) throw new Error(`frame is ${image.width}×${image.height}, the chunk is ${width}×${height}`);
      const bytes = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
      frames++;
      if (!stdin.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = () => { stdin.off('drain', done); ff.process.off('close', done); resolve(); };
          stdin.on('drain', done);
          ff.process.on('close', done);
        });
      }
    },
    async finish() {
      stdin.end();
      const { code, stderr, timedOut } = await ff.done;
      if (timedOut) throw new WorkError(500, 'encode-timeout', `encoding the chunk took longer than ${timeoutMs} ms`);
      if (code !== 0) throw new WorkError(500, 'encode-failed', `ffmpeg ${code}: ${stderrTail(stderr)}`);
      return frames;
    },
    abort: ff.kill,
  };
}

/**
 * Test and benchmark clips made with ffmpeg at run time from a FairFace still: the face drifts and
 * zooms slowly (zoompan over a padded canvas), with a sine audio track, so frame count, frame rate,
 * audio and face tracking are all checkable.
 */
import { fileURLToPath } from 'node:url';
import { runFfmpeg, stderrTail } from '../../src/video/ffmpeg.js';

export type ClipOptions = {
  seconds?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** Size of the face still on the canvas (px, square). Default 0.6 × height. */
  faceSize?: number;
  audio?: boolean;
  fixture?: string;
  /** Put the moov atom first (a truncated copy then still parses). */
  faststart?: boolean;
};

export const fixturePath = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/** @example await makeClip('/tmp/clip.mp4', { seconds: 3, fps: 10, width: 320, height: 240 }) */
export async function makeClip(out: string, options: ClipOptions = {}): Promise<{ frames: number }> {
  const { seconds = 3, fps = 10, width = 320, height = 240, audio = true, fixture = 'face-1.jpg', faststart = false } = options;
  const frames = Math.round(seconds * fps);
  const face = options.faceSize ?? Math.round(height * 0.6);
  // Canvas 1.5× the output with the face in the middle; zoompan drifts a window across it and zooms in.
  const cw = Math.round(width * 1.5 / 2) * 2, ch = Math.round(height * 1.5 / 2) * 2;
  const step = (0.25 / frames).toFixed(5);
  const video = [
    `[0:v]scale=${face}:${face},pad=${cw}:${ch}:(ow-iw)/2:(oh-ih)/2:color=0x5a6470,setsar=1`,
    `zoompan=z='1.3+${step}*on':x='(iw-iw/zoom)/2+(iw/zoom)*0.08*sin(on/${(frames / 3).toFixed(2)})':y='(ih-ih/zoom)/2+(ih/zoom)*0.05*cos(on/${(frames / 2).toFixed(2)})':d=1:s=${width}x${height}:fps=${fps}`,
    'format=yuv420p[v]',
  ].join(',');
  const args = [
    '-v', 'error', '-y',
    '-loop', '1', '-framerate', String(fps), '-i', fixturePath(fixture),
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`] : []),
    '-filter_complex', video, '-map', '[v]', ...(audio ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '64k'] : []),
    '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-r', String(fps),
    ...(faststart ? ['-movflags', '+faststart'] : []), out,
  ];
  const run = await runFfmpeg(args, { timeoutMs: 120_000 });
  if (run.code !== 0) throw new Error(`making ${out} failed: ${stderrTail(run.stderr)}`);
  return { frames };
}

/**
 * @module origin/video/limits
 * What the origin accepts, as data. Over-limit input is a 422 at probe time, before any decoding.
 */
export type VideoLimits = {
  maxDurationSeconds: number;
  maxWidth: number;
  maxHeight: number;
  maxFrames: number;
  maxInputBytes: number;
};

export const DEFAULT_LIMITS: VideoLimits = Object.freeze({
  maxDurationSeconds: 120,
  maxWidth: 1920,
  maxHeight: 1920,
  maxFrames: 120 * 60,
  maxInputBytes: 512 * 1024 * 1024,
});

/** Limits from the environment (`ORIGIN_MAX_DURATION_S`, `ORIGIN_MAX_WIDTH`, `ORIGIN_MAX_HEIGHT`, `ORIGIN_MAX_FRAMES`, `ORIGIN_MAX_INPUT_MB`). */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): VideoLimits {
  const num = (key: string, fallback: number) => {
    const v = Number(env[key]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    maxDurationSeconds: num('ORIGIN_MAX_DURATION_S', DEFAULT_LIMITS.maxDurationSeconds),
    maxWidth: num('ORIGIN_MAX_WIDTH', DEFAULT_LIMITS.maxWidth),
    maxHeight: num('ORIGIN_MAX_HEIGHT', DEFAULT_LIMITS.maxHeight),
    maxFrames: num('ORIGIN_MAX_FRAMES', DEFAULT_LIMITS.maxFrames),
    maxInputBytes: num('ORIGIN_MAX_INPUT_MB', DEFAULT_LIMITS.maxInputBytes / 1048576) * 1048576,
  };
}

/**
 * @module origin/context
 * Everything a step needs, built once by the server: the edge client, local scratch space, limits,
 * the swapper (injected, so tests and other swappers plug in through the `Swapper` contract) and
 * the chunking/sampling knobs.
 */
import type { Swapper } from '../../src/processors/swapper/types.js';
import type { EdgeClient } from './edge-client.js';
import type { VideoLimits } from './video/limits.js';
import type { WorkDir } from './workdir.js';

export type OriginContext = {
  edge: EdgeClient;
  workdir: WorkDir;
  limits: VideoLimits;
  /** The swapper for swap-video; undefined when none is available in this build. */
  swapper?: Swapper;
  framesPerChunk: number;
  /** scan-video samples per second of video. */
  samplesPerSecond: number;
  /** swap-video frames decoded and tracked before each chunk. */
  warmupFrames: number;
  maxSourceBytes: number;
  log: (message: string) => void;
};

/** Artifact names, keyed by chunk index so redeliveries overwrite instead of adding. */
export const artifactNames = {
  chunk: (task: 'scan-video' | 'swap-video', index: number) => `chunk-${String(index).padStart(4, '0')}.${task === 'scan-video' ? 'json' : 'mkv'}`,
  result: (task: 'scan-video' | 'swap-video') => (task === 'scan-video' ? 'result.json' : 'result.mp4'),
} as const;

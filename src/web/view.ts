import type { Affine } from '../pipeline/align.js';
import type { Box } from '../pipeline/types.js';

/** A boundary map as values in [0, 1] and its cell → image transform. */
export type MapView = { values: Float32Array; width: number; height: number; toImage: Affine | null };

export type FaceView = {
  box: Box;
  score: number;
  label: 'fake' | 'real';
  peak: number;
  boundaryArea: number;
  map: MapView | null;
};

/** One X-ray result, from the worker or from the in-browser run, in the shape the page renders. */
export type ScanView = {
  source: 'server' | 'browser';
  verdict: 'fake' | 'real' | null;
  reason?: string;
  score: number | null;
  threshold: number;
  model: string;
  width: number;
  height: number;
  ms: number;
  backend: string;
  /** Timing breakdown, when known. */
  detail?: string;
  faces: FaceView[];
};

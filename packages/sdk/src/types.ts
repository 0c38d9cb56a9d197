/**
 * @module types
 * Hand-written mirrors of the worker's zod schemas (src/schemas/*.ts and the route files), so the SDK
 * carries no runtime dependency. `test/openapi.test.ts` checks them against the live `/openapi.json`.
 */

/** `GET /health`. */
export type Health = { status: 'ok'; service: 'seamline'; version: string };

/** `POST /v1/image-info`: what the worker's decoder found in an upload. */
export type ImageInfo = {
  format: 'jpeg' | 'png' | 'webp';
  /** Display width, after EXIF orientation. */
  width: number;
  /** Display height, after EXIF orientation. */
  height: number;
  /** EXIF orientation found in the file (already applied to width/height). */
  orientation: number;
  animated: boolean;
  colorModel: 'gray' | 'gray-alpha' | 'rgb' | 'rgba' | 'indexed' | 'cmyk' | 'ycck';
};

/** Axis-aligned box in original-image pixels (after EXIF rotation). */
export type Box = { x: number; y: number; width: number; height: number };

/** Head pose in degrees. */
export type HeadPose = { yaw: number; pitch: number; roll: number };

/** One face found by `POST /v1/faces`. */
export type Face = {
  box: Box;
  score: number;
  /** ArcFace order: left eye, right eye, nose tip, left mouth corner, right mouth corner. */
  keypoints: [number, number][];
  /** 468 FaceMesh points [x, y, z] in image pixels. */
  landmarks: [number, number, number][];
  pose: HeadPose;
};

/** `POST /v1/faces`. */
export type FacesResponse = { width: number; height: number; faces: Face[]; truncated?: boolean };

export type Verdict = 'fake' | 'real';

/** One face scanned by `POST /v1/xray`. */
export type XrayFace = {
  box: Box;
  /** Calibrated probability that this face was blended into the image. */
  score: number;
  label: Verdict;
  /** Highest value of the predicted blending boundary. */
  peak: number;
  /** Share of the face crop where the boundary map exceeds 0.2. */
  boundaryArea: number;
  /** Heat-map PNG of the boundary map as a data URL. */
  boundaryMap: string;
};

/** `POST /v1/xray` (JSON form). */
export type XrayResponse = {
  /** null when no face was found (see `reason`). */
  verdict: Verdict | null;
  reason?: string;
  /** Image score = the highest face score; null without faces. */
  score: number | null;
  threshold: number;
  model: { name: string; version: string };
  faces: XrayFace[];
  truncated?: boolean;
};

/** `POST /v1/xray?overlay=1`: the picture with boundaries overlaid. */
export type XrayOverlay = {
  png: Uint8Array;
  verdict: Verdict | null;
  score: number | null;
};

/** RFC 9457 problem details (application/problem+json). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
};

export type SwapModel = 'classical' | 'aei';

/** Result of `POST /v1/swap` when the answer is a picture. */
export type SwapImage = { bytes: Uint8Array; contentType: string; headers: Record<string, string> };

/**
 * Video jobs. The server side is still being built: these shapes follow the brief
 * (state + progress {done, total, etaSeconds}) and keep unknown fields.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | (string & {});
export type JobProgress = { done: number; total: number; etaSeconds: number | null };
export type Job = {
  id: string;
  state: JobState;
  progress: JobProgress;
  result?: unknown;
  error?: Problem;
  [field: string]: unknown;
};
export type JobTask = 'swap' | 'scan';

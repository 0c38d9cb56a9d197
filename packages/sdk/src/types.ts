/**
 * @module types
 * Hand-written mirrors of the worker's zod schemas (src/schemas/*.ts and the route files), so the SDK
 * carries no runtime dependency. `test/sdk.test.ts` checks their field names against the live
 * `/openapi.json`, and `test/types.check.ts` checks them against the zod schemas at compile time.
 */

/** `GET /health`. */
export type Health = {
  status: 'ok'; service: 'seamline'; version: string;
  /** WebAssembly memory the answering isolate holds. */
  memory: { onnxruntimeWasmBytes: number | null; kernelsWasmBytes: number };
  /** The deployment's upload limits: scale images down to `maxAnalysisPixels` before sending to save bandwidth. */
  limits: {
    maxImageBytes: number; maxImagePixels: number; maxAnalysisPixels: number;
    maxFullSizePixels: number; maxWholeDecodePixels: number; maxFaces: number;
  };
  /** Image requests running (at most 1) and waiting in the answering isolate. */
  load: { active: number; queued: number };
};

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
  /** The square of the image the boundary map covers (pixels; may extend past the edges). */
  mapRegion: { x: number; y: number; size: number };
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
  /** 'seamline' when the image carries seamline's swap provenance (XMP or invisible watermark). */
  provenance: 'seamline' | null;
};

/** `POST /v1/xray?overlay=1`: the picture with boundaries overlaid. */
export type XrayOverlay = {
  png: Uint8Array;
  verdict: Verdict | null;
  score: number | null;
  /** Overlay pixels per uploaded pixel: uploads over the server's analysis size (2 MP) come back scaled down. */
  scale: number;
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

/** `task` of a video job: Face X-Ray over the frames, or the `source` face put into every frame. */
export type JobTask = 'scan-video' | 'swap-video';
/** What `jobs.create` accepts: the task names, or the short aliases `scan` / `swap` (sent as the full names). */
export type JobTaskInput = JobTask | 'scan' | 'swap';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** `JobProgress`: frames and chunks done so far. */
export type JobProgress = {
  framesDone: number;
  /** 0 until the origin has probed the video. */
  framesTotal: number;
  chunksDone: number;
  chunksTotal: number;
  /** 0–100; probe 5 %, chunks 90 % (by frames), assembly 5 %. Never decreases. */
  percent: number;
  /** From the chunk timings; null until the first chunk is done, while assembling and after failure. */
  etaSeconds: number | null;
};

/** Where a succeeded job's result lives (`GET` `url`, or `client.jobs.result(id)`). */
export type JobResult = {
  url: string;
  contentType: string;
  /** Task summary from the origin (e.g. the scan verdict). */
  summary?: Record<string, unknown>;
};

/** Webhook delivery attempts (only for jobs created with a `callbackUrl`). */
export type JobWebhook = {
  status: 'pending' | 'delivered' | 'failed';
  attempts: { at: string; status?: number; error?: string }[];
};

/** `POST /v1/jobs` → 202. */
/** `state` is `queued` for a new job; a repeated Idempotency-Key answers with the first job's current state. */
export type JobCreated = { id: string; state: JobState; statusUrl: string };

/** `GET /v1/jobs/{id}` (the OpenAPI `JobStatus` schema). */
export type JobStatus = {
  id: string;
  task: JobTask;
  state: JobState;
  progress: JobProgress;
  /** Why the job failed: 413 for limits, 422 for unusable input, 503 when the origin stayed unavailable. */
  error?: Problem;
  result?: JobResult;
  webhook?: JobWebhook;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
};
/** Same as `JobStatus`. */
export type Job = JobStatus;

/** `GET /v1/jobs/{id}/result`: the result file. */
export type JobResultFile = { bytes: Uint8Array; contentType: string };

/** JSON body POSTed to a job's `callbackUrl` (verify it with `verifyWebhookSignature` first). */
export type WebhookEvent = { type: 'job.succeeded' | 'job.failed'; job: Omit<JobStatus, 'webhook'> };

/** Where a model lives: inside the worker, in the MODELS bucket (loaded on first use), or evaluated but not shipped. */
export type ModelDelivery = 'bundled' | 'r2' | 'not-shipped';

/** One entry of `GET /v1/models`. */
export type ModelSummary = {
  name: string;
  /** Set for models trained in seamline; null for converted ones. */
  version: string | null;
  task: string;
  license: string;
  delivery: ModelDelivery;
  files: { path: string; dtype: string; bytes: number; sha256: string }[];
};

/** A whole model card (`GET /v1/models/{name}`): free-form JSON, with at least these fields. */
export type ModelCard = { name: string; task: string; version?: string } & Record<string, unknown>;

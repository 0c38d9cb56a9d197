/**
 * @module scan
 * One scan of one image with the seamline SDK, reduced to what a CMS stores: verdict against the
 * effective threshold, a status, the faces without their (large) boundary maps, and the boundary map of
 * the highest-scoring face as a thumbnail. Shared by the Payload plugin and the webhook handler.
 */
import { Seamline, SeamlineError, type XrayFace, type XrayResponse } from 'seamline';

export type ScanStatus = 'clean' | 'flagged' | 'quarantined' | 'error';

/** A face as stored: the SDK's `XrayFace` without `boundaryMap` (see `boundaryThumbnail`). */
export type StoredFace = Omit<XrayFace, 'boundaryMap'>;

/** What the plugin writes into the `seamline` group of an upload document. */
export type SeamlineScan = {
  status: ScanStatus;
  /** 'fake' when the score reaches `threshold` (or the image carries seamline's swap marks), 'real' below it, null without faces or on error. */
  verdict: 'fake' | 'real' | null;
  score: number | null;
  /** The threshold the verdict was taken against: the plugin's `threshold` option, else the server's. */
  threshold: number | null;
  faces: StoredFace[] | null;
  /** `name@version` of the X-Ray model. */
  model: string | null;
  provenance: 'seamline' | null;
  /** PNG data URL of the highest-scoring face's blending-boundary heat map (null with `thumbnail: false`). */
  boundaryThumbnail: string | null;
  /** Why there was no verdict (no face) or why the scan failed. */
  reason: string | null;
  scannedAt: string;
};

export type ScannerOptions = {
  /** Base URL of the seamline API, e.g. `https://seamline.example.com`. */
  apiUrl: string;
  apiKey?: string;
  /** Overrides the server's calibrated threshold: `score >= threshold` is a fake. */
  threshold?: number;
  /** Keep the boundary-map thumbnail. Default true. */
  thumbnail?: boolean;
  /** Treat pictures carrying seamline's own swap marks (provenance 'seamline') as fakes. Default true. */
  flagProvenance?: boolean;
  /** Per-attempt timeout (ms). Default 30 000. */
  timeoutMs?: number;
  /** Extra attempts on 429/5xx/network errors. Default 1. */
  retries?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
};

/** Decides a verdict from an X-Ray answer. Pure; `isFlagged` says whether the upload counts as a face swap. */
export function summarize(
  res: XrayResponse,
  opts: Pick<ScannerOptions, 'threshold' | 'thumbnail' | 'flagProvenance'>,
  now = new Date(),
): SeamlineScan & { isFlagged: boolean } {
  const threshold = opts.threshold ?? res.threshold;
  const byScore = res.score !== null && res.score >= threshold;
  const byProvenance = (opts.flagProvenance ?? true) && res.provenance === 'seamline';
  const isFlagged = byScore || byProvenance;
  const top = [...res.faces].sort((a, b) => b.score - a.score)[0];
  return {
    isFlagged,
    status: isFlagged ? 'flagged' : 'clean',
    verdict: isFlagged ? 'fake' : res.verdict === null ? null : 'real',
    score: res.score,
    threshold,
    faces: res.faces.map(({ boundaryMap: _omit, ...face }) => face),
    model: res.model ? `${res.model.name}@${res.model.version}` : null,
    provenance: res.provenance ?? null,
    boundaryThumbnail: (opts.thumbnail ?? true) && top ? top.boundaryMap : null,
    reason: res.reason ?? (byProvenance && !byScore ? 'carries seamline swap provenance' : null),
    scannedAt: now.toISOString(),
  };
}

/** The record stored when the scanner could not be reached or refused the image. */
export function errorScan(error: unknown, now = new Date()): SeamlineScan {
  return {
    status: 'error',
    verdict: null,
    score: null,
    threshold: null,
    faces: null,
    model: null,
    provenance: null,
    boundaryThumbnail: null,
    reason: describeError(error),
    scannedAt: now.toISOString(),
  };
}

export function describeError(error: unknown): string {
  if (error instanceof SeamlineError) {
    const detail = error.detail ? `: ${error.detail}` : '';
    const where = error.status ? `seamline API answered ${error.status}` : 'seamline API unreachable';
    return `${where}: ${error.title}${detail}`.slice(0, 500);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** A scanner bound to one server. `scan(bytes)` never throws: failures come back as `status: 'error'`. */
export function createScanner(opts: ScannerOptions) {
  const client = new Seamline({
    baseUrl: opts.apiUrl,
    apiKey: opts.apiKey,
    timeoutMs: opts.timeoutMs ?? 30_000,
    retries: opts.retries ?? 1,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return {
    client,
    async scan(bytes: Uint8Array, signal?: AbortSignal): Promise<SeamlineScan & { isFlagged: boolean }> {
      try {
        const res = await client.xray(bytes, signal ? { signal } : {});
        return summarize(res, opts);
      } catch (error) {
        return { ...errorScan(error), isFlagged: false };
      }
    },
  };
}

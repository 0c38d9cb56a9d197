/**
 * @module cli/scanner
 * What `scan` needs from a backend: one file in, a Face X-Ray result (and optional overlay PNG) out.
 * `remoteScanner` calls the API through the SDK; `cli/local` runs the pipeline in-process.
 */
import { readFile } from 'node:fs/promises';
import type { Seamline } from '../client.js';
import type { Verdict } from '../types.js';
import { isUrl } from './expand.js';

export type ScanOutcome = {
  verdict: Verdict | null;
  reason?: string;
  score: number | null;
  threshold: number;
  faces: { box: { x: number; y: number; width: number; height: number }; score: number; label: Verdict }[];
  overlay?: Uint8Array;
};

export type Scanner = {
  /** `file` is a path or an http(s) URL. */
  scan(file: string, options: { overlay: boolean; threshold?: number }): Promise<ScanOutcome>;
  close(): Promise<void>;
};

export function remoteScanner(client: Seamline): Scanner {
  return {
    async scan(file, { overlay }) {
      // A URL goes to the server as one, so the server's URL rules and limits apply as for any client.
      const image = isUrl(file) ? { url: file } : new Uint8Array(await readFile(file));
      const result = await client.xray(image);
      const out: ScanOutcome = {
        verdict: result.verdict,
        ...(result.reason ? { reason: result.reason } : {}),
        score: result.score,
        threshold: result.threshold,
        faces: result.faces.map(({ box, score, label }) => ({ box, score, label })),
      };
      // A second request: the overlay PNG's boxes use the server's threshold.
      if (overlay) out.overlay = (await client.xray(image, { overlay: true })).png;
      return out;
    },
    async close() {},
  };
}

/** Re-labels faces and the image against a caller-chosen threshold. */
export function applyThreshold(outcome: ScanOutcome, threshold: number | undefined): ScanOutcome {
  if (threshold === undefined) return outcome;
  const faces = outcome.faces.map((f) => ({ ...f, label: (f.score >= threshold ? 'fake' : 'real') as Verdict }));
  const verdict = outcome.score === null ? null : outcome.score >= threshold ? 'fake' : 'real';
  return { ...outcome, faces, verdict, threshold };
}

/**
 * @module cli/scanner
 * What `scan` needs from a backend: one file in, a Face X-Ray result (and optional overlay PNG) out.
 * `remoteScanner` calls the API through the SDK; `cli/local` runs the pipeline in-process.
 */
import { readFile } from 'node:fs/promises';
import type { Seamline } from '../client.js';
import type { Verdict } from '../types.js';

export type ScanOutcome = {
  verdict: Verdict | null;
  reason?: string;
  score: number | null;
  threshold: number;
  faces: { box: { x: number; y: number; width: number; height: number }; score: number; label: Verdict }[];
  overlay?: Uint8Array;
};

export type Scanner = {
  scan(file: string, options: { overlay: boolean; threshold?: number }): Promise<ScanOutcome>;
  close(): Promise<void>;
};

export function remoteScanner(client: Seamline): Scanner {
  return {
    async scan(file, { overlay }) {
      const bytes = new Uint8Array(await readFile(file));
      const result = await client.xray(bytes);
      const out: ScanOutcome = {
        verdict: result.verdict,
        ...(result.reason ? { reason: result.reason } : {}),
        score: result.score,
        threshold: result.threshold,
        faces: result.faces.map(({ box, score, label }) => ({ box, score, label })),
      };
      // A second request: the overlay PNG's boxes use the server's threshold.
      if (overlay) out.overlay = (await client.xray(bytes, { overlay: true })).png;
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

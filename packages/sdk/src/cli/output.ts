/**
 * @module cli/output
 * Scan results as an aligned table or as JSON lines.
 */
import type { Verdict } from '../types.js';

export type FaceLine = { box: { x: number; y: number; width: number; height: number }; score: number; label: Verdict };

/** One scanned file, as printed with --json. */
export type ScanLine = {
  file: string;
  verdict: Verdict | null;
  score: number | null;
  threshold: number | null;
  faces: number;
  reason?: string;
  perFace?: FaceLine[];
  overlay?: string;
  error?: { status: number; title: string; detail?: string; requestId?: string };
};

/** Rows as text columns: the first left-aligned, the others right-aligned, two spaces apart. */
export function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

export function formatTable(lines: ScanLine[]): string {
  const rows = [['file', 'verdict', 'score', 'faces']];
  for (const l of lines) {
    const verdict = l.error ? `error ${l.error.status || ''}`.trim() : l.verdict ?? `none (${l.reason ?? 'no-face'})`;
    rows.push([l.file, verdict, l.score === null ? '-' : l.score.toFixed(3), l.error ? '-' : String(l.faces)]);
  }
  const out = alignColumns(rows);
  const errors = lines.filter((l) => l.error);
  for (const e of errors) out.push(`${e.file}: ${e.error!.title}${e.error!.detail ? ` — ${e.error!.detail}` : ''}`);
  return out.join('\n');
}

/** Helpers shared by the header parsers. */
import { ProblemError } from '../../problem.js';

/** 422 for a header that claims a known format but cannot be parsed. */
export const corruptHeader = (format: string, detail: string): ProblemError =>
  new ProblemError(422, 'corrupt-image', `The ${format} header is corrupt or truncated: ${detail}.`, { format });

/** `length` bytes at `at` as Latin-1 text; '' when out of range. */
export function ascii(b: Uint8Array, at: number, length: number): string {
  if (at < 0 || at + length > b.length) return '';
  let s = '';
  for (let i = at; i < at + length; i++) s += String.fromCharCode(b[i]);
  return s;
}

export const u16be = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
export const u32be = (b: Uint8Array, at: number): number => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
export const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
export const u24le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
export const u32le = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + ((b[at + 3] << 24) >>> 0);

/**
 * Minimal reader for (ustar / old-GNU) tar archives: 512-byte headers, octal sizes, data padded to
 * 512 bytes. Reads regular files only; directories, links and PAX/GNU long-name records are skipped
 * (a ustar `prefix` field is honoured). Enough for the FairFace archives in /work/shared/data.
 *
 * @example
 * for (const [name, bytes] of iterateTar(readFileSync('val.tar'))) if (name === 'val/1.jpg') use(bytes);
 */
import { readFileSync } from 'node:fs';

const BLOCK = 512;

function field(header: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && header[end] !== 0) end++;
  return new TextDecoder('latin1').decode(header.subarray(offset, end));
}

function octal(header: Uint8Array, offset: number, length: number): number {
  const text = field(header, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Yields [path, bytes] for every regular file; `bytes` is a view into `archive` (no copy). */
export function* iterateTar(archive: Uint8Array): Generator<[string, Uint8Array]> {
  let pos = 0;
  while (pos + BLOCK <= archive.length) {
    const header = archive.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) return; // end-of-archive marker
    const name = field(header, 0, 100);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48); // NUL means regular file
    const magic = field(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? field(header, 345, 155) : '';
    const dataStart = pos + BLOCK;
    if (dataStart + size > archive.length) throw new Error(`tar: truncated entry ${name}`);
    if (type === '0' || type === '\0') {
      yield [prefix ? `${prefix}/${name}` : name, archive.subarray(dataStart, dataStart + size)];
    }
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
}

/** Reads a whole tar file into a Map from path to file bytes. */
export function readTar(path: string): Map<string, Uint8Array> {
  return new Map(iterateTar(new Uint8Array(readFileSync(path))));
}

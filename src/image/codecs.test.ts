/**
 * Regression tests for codec instance poisoning found by test/fuzz.test.ts: a codec error thrown
 * out of the wasm (libjpeg's exit(), wasm-bindgen's unwrap_throw) used to leak the wasm stack on
 * every failure, until the shared instance corrupted itself and every later image failed too.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures/index.js';
import { ProblemError } from '../problem.js';
import { decodeImage } from './decode.js';
import { encodePng } from './encode.js';

async function expect422(p: Promise<unknown>): Promise<void> {
  try { await p; } catch (e) { if (e instanceof ProblemError && e.status === 422) return; throw e; }
  throw new Error('expected a 422');
}

describe('codecs survive many corrupt inputs', () => {
  it('MozJPEG: 250 fatal libjpeg errors, then a valid JPEG still decodes', async () => {
    const face = fixture('face-1.jpg');
    // The header walk stops at SOF0; turn the DHT after it into an unknown marker (libjpeg: fatal "Unsupported marker type").
    const bad = face.slice();
    const sof = bad.findIndex((v, i) => v === 0xff && bad[i + 1] === 0xc0);
    const dht = bad.findIndex((v, i) => i > sof && v === 0xff && bad[i + 1] === 0xc4);
    bad[dht + 1] = 0xdf;
    await expect(decodeImage(bad)).rejects.toThrow(/Unsupported marker/);
    for (let i = 0; i < 250; i++) await expect422(decodeImage(bad));
    const image = await decodeImage(face);
    expect([image.width, image.height]).toEqual([224, 224]);
  });

  it('PNG: 1000 decoder errors, then a valid PNG still decodes and encoding still works', async () => {
    const good = fixture('palette-trns.png');
    const bad = good.subarray(0, good.length - 30); // IDAT cut short: the Rust decoder throws from inside the wasm
    for (let i = 0; i < 1000; i++) await expect422(decodeImage(bad));
    const image = await decodeImage(good);
    expect(image.width).toBeGreaterThan(0);
    expect((await encodePng(image)).length).toBeGreaterThan(0);
  });
});

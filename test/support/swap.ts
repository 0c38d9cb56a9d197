/** Shared helpers of the swap route tests: multipart bodies, problem assertions, pixel comparisons. */
import { expect } from 'vitest';
import { convexHull, fillOutline } from '../../src/pipeline/blend/index.js';
import type { Point2, RgbaImage } from '../../src/pipeline/types.js';

export type Part = Uint8Array | string;
export type Problem = { type: string; status: number; detail: string; [k: string]: unknown };

/** Multipart body: strings as text fields, bytes as JPEG file parts named after the field. */
export function swapForm(parts: Record<string, Part>): FormData {
  const f = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') f.append(name, value);
    else f.append(name, new Blob([value as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `${name}.jpg`);
  }
  return f;
}

/**
 * Transport errors only (no HTTP answer at all) are retried once, loudly: the tests block Node's event loop
 * for seconds (findFaces), so undici can reuse a keep-alive socket the dev server has meanwhile closed.
 * HTTP answers are never retried.
 */
export async function retryTransportOnce<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    console.warn(`${what}: ${String((error as { cause?: unknown }).cause ?? error)}; retrying once`);
    return send();
  }
}

export async function expectProblem(res: Response, status: number, type: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Problem;
  expect(body.type).toBe(`https://seamline.dev/problems/${type}`);
  return body;
}

/** Mean |Δ| over RGB where `mask` is set. */
export function meanDiff(a: RgbaImage, b: RgbaImage, mask: Float32Array): number {
  let sum = 0, n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i * 4 + c] - b.data[i * 4 + c]);
    n += 3;
  }
  return sum / n;
}

export const hull = (w: number, h: number, pts: Point2[]) => fillOutline(w, h, convexHull(pts));

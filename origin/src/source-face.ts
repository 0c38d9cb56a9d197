/**
 * @module origin/source-face
 * The swap source: the job's source image from the edge, decoded (`decodeImage`, unchanged) and its
 * faces found (`findFaces`, largest first). Cached per job, since every chunk of a job needs it.
 */
import { decodeImage } from '../../src/image/index.js';
import { findFaces } from '../../src/pipeline/faces.js';
import type { Face, RgbaImage } from '../../src/pipeline/types.js';
import type { EdgeClient } from './edge-client.js';
import { jobFailure } from './errors.js';

export type SourceFace = { image: RgbaImage; face: Face };

const cache = new Map<string, Promise<{ image: RgbaImage; faces: Face[] }>>();

export async function loadSourceFace(edge: EdgeClient, jobId: string, index: number, maxBytes: number): Promise<SourceFace> {
  let pending = cache.get(jobId);
  if (!pending) {
    pending = (async () => {
      const bytes = await edge.source(jobId, maxBytes);
      let image: RgbaImage;
      try {
        image = await decodeImage(bytes);
      } catch (error) {
        throw jobFailure('bad-source-image', (error as Error).message);
      }
      return { image, faces: (await findFaces(image, { maxFaces: 8 })).faces };
    })();
    pending.catch(() => cache.delete(jobId));
    cache.set(jobId, pending);
    while (cache.size > 16) cache.delete(cache.keys().next().value!);
  }
  const { image, faces } = await pending;
  if (!faces.length) throw jobFailure('no-source-face', 'no face was found in the source image');
  const face = faces[index];
  if (!face) throw jobFailure('no-source-face', `sourceFace ${index} requested; the source image has ${faces.length} face(s)`);
  return { image, face };
}

export const forgetSource = (jobId: string) => cache.delete(jobId);

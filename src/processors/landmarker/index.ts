/**
 * @module processors/landmarker
 * FaceMesh (468 points, MediaPipe) on an upright 192×192 crop around each detection; points are
 * mapped back to image coordinates, z scaled like x.
 */
import { infer } from '../../backends/ort.js';
import { applyAffine, type Affine } from '../../pipeline/align.js';
import type { Point3, RgbaImage } from '../../pipeline/types.js';
import { kernels } from '../../wasm/kernels.js';
import { MODELS } from '../../models.js';
import type { Detection } from '../detector/index.js';
import { MESH } from './mesh-indices.js';
import { roiFromDetection, roiFromMesh, roiToImage, type Roi } from './roi.js';

const INPUT = 192;

export type MeshResult = { landmarks: Point3[]; confidence: number; roi: Roi };

export function prepareLandmarker(image: RgbaImage, roi: Roi): { input: Float32Array; toImage: Affine } {
  const toImage = roiToImage(roi, INPUT);
  // FaceMesh takes RGB in [0, 1], NHWC; replicate the border so faces at the image edge stay plausible.
  const input = kernels.warpToTensor(image, toImage, INPUT, INPUT, { layout: 'nhwc', border: 'replicate' });
  return { input, toImage };
}

export async function forwardLandmarker(input: Float32Array): Promise<{ mesh: Float32Array; flag: number }> {
  const model = MODELS.facemesh;
  const out = await infer(model, { [model.input]: { data: input, dims: [1, INPUT, INPUT, 3] } });
  const [meshName, flagName] = model.outputs;
  return { mesh: out[meshName].data as Float32Array, flag: (out[flagName].data as Float32Array)[0] };
}

export function normalizeLandmarks(mesh: Float32Array, toImage: Affine, roi: Roi): Point3[] {
  const zScale = roi.size / INPUT;
  const points: Point3[] = [];
  for (let i = 0; i + 2 < mesh.length; i += 3) {
    const [x, y] = applyAffine(toImage, [mesh[i], mesh[i + 1]]);
    points.push([x, y, mesh[i + 2] * zScale]);
  }
  return points;
}

async function meshIn(image: RgbaImage, roi: Roi): Promise<MeshResult> {
  const { input, toImage } = prepareLandmarker(image, roi);
  const { mesh, flag } = await forwardLandmarker(input);
  return { landmarks: normalizeLandmarks(mesh, toImage, roi), confidence: flag, roi };
}

/**
 * Two passes, as MediaPipe tracks across frames: a wide region from the detection, then a tighter
 * one from the first mesh. The pass FaceMesh is surer of wins.
 */
export async function landmarkFace(image: RgbaImage, detection: Detection): Promise<MeshResult> {
  const first = await meshIn(image, roiFromDetection(detection.box, detection.points[0], detection.points[1]));
  const p = first.landmarks;
  const second = await meshIn(
    image,
    roiFromMesh(p.map(([x, y]) => [x, y]), [p[MESH.leftEyeOuter][0], p[MESH.leftEyeOuter][1]], [p[MESH.rightEyeOuter][0], p[MESH.rightEyeOuter][1]], 1.7),
  );
  return second.confidence >= first.confidence ? second : first;
}

/**
 * @module pipeline/faces
 * decode → detect → landmark → keypoints and pose. Everything that needs faces (the /v1/faces
 * route, X-ray, swaps, the BI synthesiser, evaluation) goes through `findFaces`.
 */
import { detectFaces, type Detection } from '../processors/detector/index.js';
import { iou } from '../processors/detector/nms.js';
import { landmarkFace } from '../processors/landmarker/index.js';
import { headPose, keypoints5 } from '../processors/landmarker/pose.js';
import { boundingBox } from './align.js';
import type { Box, Face, RgbaImage } from './types.js';

export type FindFacesOptions = {
  /** Faces beyond this many (largest first) are dropped and `truncated` is set. */
  maxFaces?: number;
  /** Detections whose box is smaller than this many pixels on its long side are ignored. */
  minFaceSize?: number;
  /** Detections at or above this score are faces whatever FaceMesh says. */
  minScore?: number;
  /** Weaker detections (down to `minWeakScore`) count only when FaceMesh is at least this sure of a face. */
  minMeshConfidence?: number;
  minWeakScore?: number;
};

export type FindFacesResult = { faces: Face[]; truncated: boolean; detections: number };

/**
 * Where nothing was found at full size, the image is shrunk inside the detector input by these factors
 * in turn. 2 catches faces that fill or overflow the frame; 1.5 and 3 add turned heads and faces cut by the
 * frame: faces found on FairFace val 1–2000 went from 1969 (2 alone) to 1990, and the X-ray's false
 * positives on val 1–1000 stayed at 4 (`eval:faces`, `eval:xray`, session 10). 1.5 and 3 run only after
 * a candidate was seen, so a faceless 1200×800 image costs 58 ms of detection instead of 89 (55 with 2 alone).
 */
const FALLBACK_ZOOM_OUT = [2, 1.5, 3];

/** Default `minFaceSize`: detections smaller than this many pixels on their long side are ignored. */
export const MIN_FACE_SIZE = 16;

const area = (d: Detection) => (d.box[2] - d.box[0]) * (d.box[3] - d.box[1]);

export async function findFaces(image: RgbaImage, options: FindFacesOptions = {}): Promise<FindFacesResult> {
  // BlazeFace misses faces that fill or overflow the frame (tight portrait crops) and many turned
  // heads: look again with the image shrunk inside the detector input.
  let result = await findFacesAt(image, options, 1);
  let candidates = result.detections;
  for (const [i, zoomOut] of FALLBACK_ZOOM_OUT.entries()) {
    if (result.faces.length) break;
    // Past the first fallback, look on only where the detector saw something it did not keep: an image
    // without any candidate is almost always faceless, and each pass costs a detector run.
    if (i > 0 && candidates === 0) break;
    result = await findFacesAt(image, options, zoomOut);
    candidates += result.detections;
  }
  return result;
}

async function findFacesAt(image: RgbaImage, options: FindFacesOptions, zoomOut: number): Promise<FindFacesResult> {
  const { maxFaces = 8, minFaceSize = MIN_FACE_SIZE, minScore = 0.6, minMeshConfidence = 0.5, minWeakScore = 0.35 } = options;
  const detections = (await detectFaces(image, { minScore: minWeakScore, zoomOut }))
    .filter((d) => Math.max(d.box[2] - d.box[0], d.box[3] - d.box[1]) >= minFaceSize)
    .sort((a, b) => area(b) - area(a));
  const faces: Face[] = [];
  const meshBoxes: Box4[] = [];
  let truncated = false;
  for (const detection of detections) {
    if (faces.length >= maxFaces) {
      truncated = true;
      break;
    }
    const mesh = await landmarkFace(image, detection);
    if (detection.score < minScore && mesh.confidence < minMeshConfidence) continue;
    // BlazeFace can fire twice on one large face with boxes too far apart for NMS; the two meshes
    // then land on the same face, which is what identifies the duplicate.
    const meshBox = boundingBox(mesh.landmarks);
    if (meshBoxes.some((b) => iou(b, meshBox) > 0.4)) continue;
    meshBoxes.push(meshBox);
    const [x1, y1, x2, y2] = detection.box;
    faces.push({
      box: { x: round1(x1), y: round1(y1), width: round1(x2 - x1), height: round1(y2 - y1) },
      score: Math.round(detection.score * 1000) / 1000,
      keypoints: keypoints5(mesh.landmarks).map(([x, y]) => [round1(x), round1(y)]),
      landmarks: mesh.landmarks.map(([x, y, z]) => [round1(x), round1(y), round1(z)]),
      pose: headPose(mesh.landmarks),
    });
  }
  return { faces, truncated, detections: detections.length };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * `face` with its coordinates divided by `scale`: from a scaled-down decode (`ImageInput.scale`) back to
 * the uploaded image's pixels. Pose is scale-free.
 */
export function faceInOriginal(face: Face, scale: number): Face {
  if (scale === 1) return face;
  const up = (v: number) => round1(v / scale);
  return {
    ...face,
    box: boxInOriginal(face.box, scale),
    keypoints: face.keypoints.map(([x, y]) => [up(x), up(y)]),
    landmarks: face.landmarks.map(([x, y, z]) => [up(x), up(y), up(z)]),
  };
}

/** A box of a scaled-down decode in the uploaded image's pixels (see `faceInOriginal`). */
export function boxInOriginal(box: Box, scale: number): Box {
  if (scale === 1) return box;
  const up = (v: number) => round1(v / scale);
  return { x: up(box.x), y: up(box.y), width: up(box.width), height: up(box.height) };
}

type Box4 = [number, number, number, number];


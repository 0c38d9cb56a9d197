import type { HeadPose, Point2, Point3 } from '../../pipeline/types.js';
import { MESH } from './mesh-indices.js';

type Vec3 = [number, number, number];
const sub = (a: Point3, b: Point3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};
const DEG = 180 / Math.PI;

/**
 * Head pose from the 3-D mesh: a face frame built from the eye line (x) and the chin→forehead
 * line (y), in image axes (x right, y down, z away from the camera). Yaw > 0 turns the face to the
 * image's right, pitch > 0 tilts the chin up, roll > 0 rotates clockwise in the image.
 */
export function headPose(landmarks: Point3[]): HeadPose {
  const xAxis = normalize(sub(landmarks[MESH.rightEyeOuter], landmarks[MESH.leftEyeOuter]));
  const up = sub(landmarks[MESH.chin], landmarks[MESH.forehead]);
  const zAxis = normalize(cross(xAxis, up as Vec3));
  const yaw = Math.asin(Math.max(-1, Math.min(1, -zAxis[0]))) * DEG;
  const pitch = Math.atan2(zAxis[1], zAxis[2]) * DEG;
  const roll = Math.atan2(xAxis[1], xAxis[0]) * DEG;
  return { yaw: round1(yaw), pitch: round1(pitch), roll: round1(roll) };
}

/** ArcFace 5-point order: left eye centre, right eye centre, nose tip, left and right mouth corners. */
export function keypoints5(landmarks: Point3[]): Point2[] {
  const mid = (...idx: number[]): Point2 => [
    idx.reduce((s, i) => s + landmarks[i][0], 0) / idx.length,
    idx.reduce((s, i) => s + landmarks[i][1], 0) / idx.length,
  ];
  return [
    mid(MESH.leftEyeOuter, MESH.leftEyeInner, MESH.leftEyeTop, MESH.leftEyeBottom),
    mid(MESH.rightEyeOuter, MESH.rightEyeInner, MESH.rightEyeTop, MESH.rightEyeBottom),
    mid(MESH.noseTip),
    mid(MESH.leftMouth),
    mid(MESH.rightMouth),
  ];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Named FaceMesh (468-point) indices. "Left"/"right" are as seen in the image. */
export const MESH = {
  noseTip: 1,
  forehead: 10,
  chin: 152,
  leftEyeOuter: 33,
  leftEyeInner: 133,
  leftEyeTop: 159,
  leftEyeBottom: 145,
  rightEyeOuter: 263,
  rightEyeInner: 362,
  rightEyeTop: 386,
  rightEyeBottom: 374,
  leftMouth: 61,
  rightMouth: 291,
  leftCheek: 234,
  rightCheek: 454,
} as const;

/**
 * FaceMesh points matching the iBUG/dlib 68-point order (jaw 0–16, brows 17–26, nose 27–35,
 * eyes 36–47, mouth 48–67), used for blend masks and for nearest-face search in BI synthesis.
 */
export const MESH_TO_68: readonly number[] = [
  127, 234, 93, 132, 58, 136, 150, 176, 152, 400, 379, 365, 288, 361, 323, 454, 356,
  70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  168, 197, 5, 4, 75, 97, 2, 326, 305,
  33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
  61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
  78, 81, 13, 311, 308, 402, 14, 178,
];

/**
 * iBUG-68 index of each point's partner in the horizontal mirror image (left ↔ right; the midline keeps its own):
 * the landmarks of a mirrored face are `MIRROR_68.map((j) => mirrored(p68[j]))`.
 */
export const MIRROR_68: readonly number[] = [
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
  26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
  27, 28, 29, 30, 35, 34, 33, 32, 31,
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
  54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
  64, 63, 62, 61, 60, 67, 66, 65,
];

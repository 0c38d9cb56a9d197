/** Decoded image: RGBA8, row-major, EXIF orientation already applied. */
export type RgbaImage = {
  width: number;
  height: number;
  data: Uint8ClampedArray;
};

export type Point2 = [number, number];
export type Point3 = [number, number, number];

export type Box = { x: number; y: number; width: number; height: number };

export type HeadPose = { yaw: number; pitch: number; roll: number };

/** One detected face, in original-image pixel coordinates (after EXIF rotation). */
export type Face = {
  box: Box;
  score: number;
  /** ArcFace order: left eye, right eye (as seen in the image), nose tip, left mouth corner, right mouth corner. */
  keypoints: Point2[];
  /** 468 FaceMesh points; z in the same pixel scale, relative to the face centre. */
  landmarks: Point3[];
  pose: HeadPose;
};

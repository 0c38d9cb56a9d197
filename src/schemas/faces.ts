import { z } from '@hono/zod-openapi';

export const BoxSchema = z
  .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
  .openapi('Box', { description: 'Axis-aligned box in original-image pixels (after EXIF rotation).' });

export const PoseSchema = z
  .object({
    yaw: z.number().openapi({ description: 'Degrees; > 0 when the face turns to the image right.' }),
    pitch: z.number().openapi({ description: 'Degrees; > 0 when the chin is raised.' }),
    roll: z.number().openapi({ description: 'Degrees; > 0 when the head tilts clockwise in the image.' }),
  })
  .openapi('HeadPose');

export const FaceSchema = z
  .object({
    box: BoxSchema,
    score: z.number().min(0).max(1),
    keypoints: z
      .array(z.tuple([z.number(), z.number()]))
      .length(5)
      .openapi({ description: 'ArcFace order: left eye, right eye, nose tip, left mouth corner, right mouth corner (left/right as seen in the image).' }),
    landmarks: z
      .array(z.tuple([z.number(), z.number(), z.number()]))
      .openapi({ description: '468 FaceMesh points [x, y, z] in image pixels; z is depth relative to the face centre, same scale.' }),
    pose: PoseSchema,
  })
  .openapi('Face');

export const FacesResponseSchema = z
  .object({
    width: z.number().int(),
    height: z.number().int(),
    faces: z.array(FaceSchema),
    truncated: z.boolean().optional().openapi({ description: 'True when more faces were found than the cap; the largest are returned.' }),
  })
  .openapi('FacesResponse');

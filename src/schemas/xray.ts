import { z } from '@hono/zod-openapi';
import { BoxSchema } from './faces.js';

export const XrayFaceSchema = z
  .object({
    box: BoxSchema,
    score: z.number().min(0).max(1).openapi({ description: 'Calibrated probability that this face was blended into the image.' }),
    label: z.enum(['fake', 'real']),
    peak: z.number().min(0).max(1).openapi({ description: 'Highest value of the predicted blending boundary (0 = no boundary anywhere).' }),
    boundaryArea: z.number().min(0).max(1).openapi({ description: 'Share of the face crop where the boundary map exceeds 0.2.' }),
    boundaryMap: z.string().openapi({ description: 'Heat-map PNG of the boundary map B = 4·M·(1−M) over the face crop, as a data URL.' }),
    mapRegion: z
      .object({ x: z.number(), y: z.number(), size: z.number() })
      .openapi({ description: 'The square of the image (pixels, after EXIF rotation) that `boundaryMap` covers; may extend past the image edges.' }),
  })
  .openapi('XrayFace');

export const XrayResponseSchema = z
  .object({
    verdict: z.enum(['fake', 'real']).nullable().openapi({ description: 'null when no face was found.' }),
    reason: z.string().optional().openapi({ description: 'Why the verdict is null.' }),
    score: z.number().min(0).max(1).nullable().openapi({ description: 'Image score = the highest face score.' }),
    threshold: z.number().openapi({ description: 'Scores at or above this are labelled fake (chosen for ≤ 1 % false positives on real faces).' }),
    model: z.object({ name: z.string(), version: z.string() }),
    faces: z.array(XrayFaceSchema),
    provenance: z.enum(['seamline']).nullable().openapi({
      description:
        "'seamline' when the image was made by seamline's /v1/swap: its XMP declares IPTC DigitalSourceType " +
        'trainedAlgorithmicMedia from seamline, or (metadata stripped) its pixels carry the seamline watermark, which survives ' +
        'JPEG re-compression and resizing but not cropping. null otherwise; not a verdict on other generators.',
    }),
    truncated: z.boolean().optional().openapi({ description: 'More faces than MAX_FACES were found; the largest were scanned.' }),
  })
  .openapi('XrayResponse');

import { z } from '@hono/zod-openapi';

/** Swap models a client may name; `aei` is loaded from the MODELS R2 bucket (503 when it is not seeded). */
export const SWAP_MODELS = ['classical', 'aei'] as const;
export type SwapModel = (typeof SWAP_MODELS)[number];

/** Option names read from the query string or, with precedence, from multipart text fields. */
export const SWAP_OPTION_FIELDS = ['sourceFace', 'targetFace', 'model', 'hear'] as const;

const faceIndex = (which: 'source' | 'target') =>
  z
    .string()
    .regex(/^\d{1,4}$/, 'must be a non-negative integer')
    .optional()
    .openapi({
      description: `Which face of the ${which} image to use: index into its faces, largest first (the order /v1/faces returns). Default 0 = the largest.`,
      example: '0',
    });

const MODEL_DOC = '`classical` (landmark warp + colour transfer + feathered blend, default) or `aei` (FaceShifter AEI-Net lite, 128 px, loaded from the MODELS R2 bucket — still weak, see models/aei_lite.card.json; 503 `model-unavailable` when the bucket is not seeded).';
const HEAR_DOC = 'With model=aei: refine the swap with HEAR-Net (FaceShifter stage 2: occlusions, glasses, hair, from what AEI-Net cannot reconstruct of the target). Ignored by model=classical. HEAR-Net is briefly trained (models/hear_lite.card.json).';

/** Options as query parameters (the same names are accepted as multipart text fields, which win). */
export const SwapQuerySchema = z.object({
  sourceFace: faceIndex('source'),
  targetFace: faceIndex('target'),
  model: z.enum(SWAP_MODELS).optional().openapi({ description: MODEL_DOC }),
  hear: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: HEAR_DOC }),
});

/** The same options as plain OpenAPI properties of the multipart body (see routes/openapi.ts `imageBody`). */
export const SWAP_FORM_PROPERTIES = {
  sourceFace: { type: 'integer', minimum: 0, default: 0, description: 'Index of the source face, largest first. Overrides the query parameter.' },
  targetFace: { type: 'integer', minimum: 0, default: 0, description: 'Index of the target face, largest first. Overrides the query parameter.' },
  model: { type: 'string', enum: [...SWAP_MODELS], default: 'classical', description: MODEL_DOC },
  hear: { type: 'boolean', default: false, description: HEAR_DOC },
} as const;

export type SwapOptions = { sourceFace: number; targetFace: number; model: SwapModel; hear: boolean };

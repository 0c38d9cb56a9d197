/**
 * Plumbing check for `npm run eval:xray -- --scorer tools/eval-xray/scorers/constant.ts`: every face
 * scores 0.5, so AUC must come out 0.5 (minus the effect of no-face images, which score 0).
 */
import type { FaceScorer } from '../evaluate.js';

export const scoreFace: FaceScorer = async () => ({ score: 0.5 });

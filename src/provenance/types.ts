/** Options and results shared by the watermark embedder and detector. */

export type WatermarkOptions = {
  /** Default `SEAMLINE_WATERMARK_KEY` (see `watermarkKey(env)` for the env override). */
  key?: string;
  /** Peak luma offset in 8-bit levels. Default `DEFAULT_STRENGTH` (3.5). */
  strength?: number;
};

export type WatermarkDetection = {
  present: boolean;
  /** 0..1: z / (2 · threshold), so 0.5 at the detection threshold and 1 at twice it. */
  confidence: number;
  /** The decision statistic: ρ as a z-score against the decoy keys' correlations on the same image. */
  z: number;
  /** ρ, normalised correlation between the image's whitened cell residuals and the key's template. */
  correlation: number;
  /** z at or above which `present` is true. */
  threshold: number;
};

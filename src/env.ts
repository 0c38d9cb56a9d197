import type { Face } from './pipeline/types.js';

/** Worker bindings and vars (wrangler.toml [vars], .dev.vars, --var). */
export type Bindings = {
  MAX_IMAGE_BYTES?: string;
  MAX_IMAGE_PIXELS?: string;
  MAX_FACES?: string;
  SEAMLINE_API_KEY?: string;
  MODELS?: R2Bucket;
};

export type Variables = {
  requestId: string;
  faces?: Face[];
};

export type AppEnv = { Bindings: Bindings; Variables: Variables };

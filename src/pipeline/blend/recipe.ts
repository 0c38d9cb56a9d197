/**
 * @module pipeline/blend/recipe
 * Types and validation for training/xray/blend-recipe.json, the single source of BI/SBI synthesis
 * parameters (shared with the Python trainer). Callers load the JSON and pass it to `parseRecipe`;
 * the blend code itself never reads files.
 * @example
 * const recipe = parseRecipe(JSON.parse(readFileSync('training/xray/blend-recipe.json', 'utf8')));
 */

export type Range = readonly [number, number];

export type MaskVariant = { name: string; points: string; prob: number; /** Parsed `points`. */ indices: number[] };

export type MaskRecipe = {
  variants: MaskVariant[];
  deform: {
    prob: number;
    elastic_prob: number;
    elastic: { alpha_frac: Range; grid: number; step_frac: number };
    piecewise_affine: { vertex_jitter_frac: Range };
  };
  erode_dilate: { prob: number; frac: Range };
  blur: { sigma_frac: Range; second_prob: number; second_sigma_frac: Range };
  blend_ratio_choices: number[];
};

export type SbiRecipe = {
  rgb_shift: Range;
  brightness: Range;
  contrast: Range;
  saturation: Range;
  color_prob: number;
  downscale_prob: number;
  downscale: Range;
  sharpen_prob: number;
  sharpen_amount: Range;
  translate_frac: Range;
  scale: Range;
};

export type BlendRecipe = {
  version: number;
  sample_mix: { real: number; bi: number; sbi: number };
  mask: MaskRecipe;
  bi: { neighbours: number; color_correction_prob: number; color_space: 'rgb' | 'lab' };
  sbi: SbiRecipe;
  augment: { resize_prob: number; resize_scale: Range; jpeg_prob: number; jpeg_quality: Range; flip_prob: number };
  crop: { scale: number; size: number; map_size: number };
};

/** '1-15,29-35' → [1..15, 29..35] (inclusive iBUG-68 ranges), as training/xray/recipe.py parse_points. */
export function parsePoints(spec: string): number[] {
  const out: number[] = [];
  for (const raw of String(spec).split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (m) for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(i);
    else if (/^\d+$/.test(part)) out.push(Number(part));
    else throw new RangeError(`bad landmark spec ${JSON.stringify(spec)}`);
  }
  if (!out.length || Math.min(...out) < 0 || Math.max(...out) > 67) throw new RangeError(`bad landmark spec ${JSON.stringify(spec)}`);
  return out;
}

/** Checks the sections the synthesiser needs and parses the mask variants' point specs. */
export function parseRecipe(json: unknown): BlendRecipe {
  const r = json as Record<string, any>;
  for (const key of ['sample_mix', 'mask', 'bi', 'sbi', 'augment', 'crop']) {
    if (!r || typeof r[key] !== 'object') throw new TypeError(`blend recipe lacks section ${JSON.stringify(key)}`);
  }
  const mix = r.sample_mix;
  if (Math.abs(mix.real + mix.bi + mix.sbi - 1) > 1e-6) throw new RangeError('sample_mix must sum to 1');
  const variants: MaskVariant[] = r.mask.variants.map((v: any) => ({ name: v.name, points: v.points, prob: v.prob, indices: parsePoints(v.points) }));
  if (!variants.length) throw new RangeError('blend recipe has no mask variants');
  return { ...r, mask: { ...r.mask, variants } } as BlendRecipe;
}

/**
 * @module origin/video/one-euro
 * The One-Euro filter (Casiez, Roussel & Vogel, CHI 2012) over a vector: a low-pass whose cutoff rises
 * with speed, so a still face stops jittering while a moving one does not lag. `scale` makes `beta`
 * size-independent: speeds are measured in face sizes per second, not pixels.
 */
export type OneEuroOptions = {
  /** Cutoff (Hz) at rest. Lower = smoother, laggier. */
  minCutoff: number;
  /** Cutoff gain per unit of speed (scale units per second). */
  beta: number;
  /** Cutoff (Hz) for the speed estimate. */
  dCutoff: number;
};

export const DEFAULT_ONE_EURO: OneEuroOptions = Object.freeze({ minCutoff: 1.5, beta: 5, dCutoff: 1.0 });

const alpha = (cutoff: number, dt: number) => 1 / (1 + 1 / (2 * Math.PI * cutoff * dt));

export class OneEuroFilter {
  private x: Float64Array | null = null;
  private dx: Float64Array;
  private t = 0;

  constructor(readonly size: number, private readonly options: OneEuroOptions = DEFAULT_ONE_EURO) {
    this.dx = new Float64Array(size);
  }

  /** Filters `values` observed at time `t` (seconds). `scale` divides speeds before `beta` applies. */
  filter(values: ArrayLike<number>, t: number, scale = 1): Float64Array {
    if (values.length !== this.size) throw new RangeError(`expected ${this.size} values, got ${values.length}`);
    if (!this.x || t <= this.t) {
      this.x = Float64Array.from(values);
      this.t = t;
      return Float64Array.from(this.x);
    }
    const dt = t - this.t;
    const { minCutoff, beta, dCutoff } = this.options;
    const ad = alpha(dCutoff, dt);
    for (let i = 0; i < this.size; i++) {
      const d = (values[i] - this.x[i]) / dt;
      this.dx[i] += ad * (d - this.dx[i]);
      const a = alpha(minCutoff + (beta * Math.abs(this.dx[i])) / scale, dt);
      this.x[i] += a * (values[i] - this.x[i]);
    }
    this.t = t;
    return Float64Array.from(this.x);
  }
}

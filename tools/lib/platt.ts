/** Platt scaling: fits p = sigmoid(a·x + b) to binary labels by Newton's method on the log-loss. */
export function fitPlatt(x: readonly number[], y: readonly number[], iterations = 100): { a: number; b: number } {
  let a = 1, b = 0;
  for (let it = 0; it < iterations; it++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i] + b)));
      const w = p * (1 - p);
      ga += (p - y[i]) * x[i];
      gb += p - y[i];
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

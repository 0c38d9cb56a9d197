/**
 * Platt scaling: fits p = sigmoid(a·x + b) to binary labels by minimising the log-loss.
 * Newton's method on standardised inputs with a backtracking line search: plain Newton from a = 1 diverges
 * when the raw logits are large (every p saturates, the Hessian vanishes and the step explodes).
 */
export function fitPlatt(x: readonly number[], y: readonly number[], iterations = 100): { a: number; b: number } {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v / n;
  let sd = 0;
  for (const v of x) sd += (v - mean) ** 2 / n;
  sd = Math.sqrt(sd) || 1;
  const z = x.map((v) => (v - mean) / sd);
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const t = a * z[i] + b; // log(1 + e^t) − y·t, computed without overflow
      l += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y[i] * t;
    }
    return l;
  };
  let a = 1, b = 0, current = loss(a, b);
  for (let it = 0; it < iterations; it++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i] + b)));
      const w = p * (1 - p);
      ga += (p - y[i]) * z[i];
      gb += p - y[i];
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1, next = loss(a - da, b - db);
    while (!(next <= current) && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    a -= step * da;
    b -= step * db;
    const done = current - next < 1e-12 * Math.max(1, current);
    current = next;
    if (done) break;
  }
  // Back to raw inputs: a·(x − mean)/sd + b.
  return { a: a / sd, b: b - (a * mean) / sd };
}

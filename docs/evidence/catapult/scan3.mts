import { gradientFlowLimit } from '/work/main/src/dynamics/gradient-flow.ts';
const n = Number(process.argv[2]); const s = 1 / Math.sqrt(n);
let tot = 0, acc = 0, worstSteps = 0, worstRel = 0, worstBal = 0, cnt = 0, capped = 0, worstT = 0;
for (let k = 0; k < 3000; k++) {
  const u = Array.from({ length: n }, () => (2 * Math.random() - 1)), v = Array.from({ length: n }, () => (2 * Math.random() - 1));
  const y = 0.5 * (2 * Math.random() - 1);
  let a = 0, b = 0, lam = 0, bal = 0; for (let i = 0; i < n; i++) { a += (u[i] + v[i]) ** 2; b += (u[i] - v[i]) ** 2; lam += u[i] ** 2 + v[i] ** 2; bal += u[i] ** 2 - v[i] ** 2; } lam *= s * s;
  cnt++;
  if (lam < 0.05 || a * b < 0.01 || 4 * s * s * y * y + s ** 4 * a * b > 0.49) continue;
  acc++;
  const gfs = Math.sqrt(4 * s * s * y * y + s ** 4 * a * b);
  const grad = (th: Float64Array, out: Float64Array) => {
    let f = 0; for (let i = 0; i < n; i++) f += th[i] * th[n + i]; f *= s; const r = f - y;
    for (let i = 0; i < n; i++) { out[i] = r * s * th[n + i]; out[n + i] = r * s * th[i]; }
  };
  const t0 = performance.now();
  const L = gradientFlowLimit(grad, [...u, ...v]);
  tot += performance.now() - t0;
  if (L.status !== 'stopped') capped++;
  worstSteps = Math.max(worstSteps, L.steps); worstT = Math.max(worstT, L.t);
  let lamF = 0, balF = 0; for (let i = 0; i < n; i++) { lamF += L.y[i] ** 2 + L.y[n + i] ** 2; balF += L.y[i] ** 2 - L.y[n + i] ** 2; } lamF *= s * s;
  worstRel = Math.max(worstRel, Math.abs(lamF - gfs) / gfs); worstBal = Math.max(worstBal, Math.abs(balF - bal));
  if (acc >= 400) break;
}
console.log({ cnt, acc, capped, worstSteps, worstT, worstRel, worstBal, msPerRun: (tot / acc).toFixed(2) });

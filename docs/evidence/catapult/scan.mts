import { gradientFlowLimit } from '/work/main/src/dynamics/gradient-flow.ts';
const n = Number(process.argv[2]); const s = 1 / Math.sqrt(n);
const yr = Number(process.argv[3]);
let slow = 0, worst = 0, tot = 0, worstRel = 0; const rows: string[] = [];
for (let k = 0; k < 400; k++) {
  const u = Array.from({ length: n }, () => 2 * Math.random() - 1), v = Array.from({ length: n }, () => 2 * Math.random() - 1);
  const y = yr * (2 * Math.random() - 1);
  let a = 0, b = 0, lam = 0; for (let i = 0; i < n; i++) { a += (u[i] + v[i]) ** 2; b += (u[i] - v[i]) ** 2; lam += u[i] ** 2 + v[i] ** 2; } lam *= s * s;
  if (lam < 0.05) continue;
  const gfs = Math.sqrt(4 * s * s * y * y + s ** 4 * a * b);
  const grad = (th: Float64Array, out: Float64Array) => {
    let f = 0; for (let i = 0; i < n; i++) f += th[i] * th[n + i]; f *= s; const r = f - y;
    for (let i = 0; i < n; i++) { out[i] = r * s * th[n + i]; out[n + i] = r * s * th[i]; }
  };
  const t0 = performance.now();
  const L = gradientFlowLimit(grad, [...u, ...v]);
  const ms = performance.now() - t0; tot += ms;
  let lamF = 0; for (let i = 0; i < 2 * n; i++) lamF += L.y[i] ** 2; lamF *= s * s;
  const rel = Math.abs(lamF - gfs) / gfs; worstRel = Math.max(worstRel, rel);
  if (L.status !== 'stopped') { slow++; rows.push(`${L.status} y=${y.toFixed(3)} ab=${(a*b).toExponential(2)} ms=${ms.toFixed(0)}`); }
  worst = Math.max(worst, L.steps);
}
console.log({ slow, worst, tot: tot.toFixed(0), worstRel }); console.log(rows.join('\n'));

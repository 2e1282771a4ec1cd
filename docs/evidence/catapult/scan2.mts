import { gradientFlowLimit } from '/work/main/src/dynamics/gradient-flow.ts';
const n = Number(process.argv[2]); const s = 1 / Math.sqrt(n);
const yr = Number(process.argv[3]); const box = Number(process.argv[4] ?? 1);
const bins = new Map<number, [number, number]>();
let tot = 0;
for (let k = 0; k < 300; k++) {
  const u = Array.from({ length: n }, () => box * (2 * Math.random() - 1)), v = Array.from({ length: n }, () => box * (2 * Math.random() - 1));
  const y = yr * (2 * Math.random() - 1);
  let a = 0, b = 0, lam = 0; for (let i = 0; i < n; i++) { a += (u[i] + v[i]) ** 2; b += (u[i] - v[i]) ** 2; lam += u[i] ** 2 + v[i] ** 2; } lam *= s * s;
  if (lam < 0.05) continue;
  const gfs = Math.sqrt(4 * s * s * y * y + s ** 4 * a * b);
  const grad = (th: Float64Array, out: Float64Array) => {
    let f = 0; for (let i = 0; i < n; i++) f += th[i] * th[n + i]; f *= s; const r = f - y;
    for (let i = 0; i < n; i++) { out[i] = r * s * th[n + i]; out[n + i] = r * s * th[i]; }
  };
  const t0 = performance.now();
  const L = gradientFlowLimit(grad, [...u, ...v], { maxSteps: 20000 });
  tot += performance.now() - t0;
  const bin = Math.floor(gfs * 4) / 4;
  const e = bins.get(bin) ?? [0, 0]; e[0]++; if (L.status !== 'stopped') e[1]++; bins.set(bin, e);
}
console.log('total ms', tot.toFixed(0), [...bins].sort((x, y) => x[0] - y[0]).map(([b, [c, sl]]) => `${b}:${sl}/${c}`).join(' '));

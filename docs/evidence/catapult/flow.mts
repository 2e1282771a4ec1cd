import { gradientFlowLimit } from '/work/main/src/dynamics/gradient-flow.ts';
const s = Math.SQRT1_2;
function run(u: number[], v: number[], y: number) {
  const n = u.length;
  const grad = (th: Float64Array, out: Float64Array) => {
    let f = 0; for (let i = 0; i < n; i++) f += th[i] * th[n + i]; f *= s; const r = f - y;
    for (let i = 0; i < n; i++) { out[i] = r * s * th[n + i]; out[n + i] = r * s * th[i]; }
  };
  const t0 = performance.now();
  const L = gradientFlowLimit(grad, [...u, ...v]);
  console.log(u, v, y, L.status, L.t.toPrecision(4), L.steps, L.rejected, (performance.now() - t0).toFixed(1) + 'ms', L.gradNorm);
}
run([-1, -1], [-1, -1], -1);
run([-1, -1], [-1, -1], 1);
run([0.3, -0.5], [0.7, 0.2], 0.4);
run([0.3, -0.5], [0.7, 0.2], -0.4);
run([1, -1], [-1, -1], 0);
run([0.9, 0.1], [-0.2, 0.5], 0);
run([-1, -1], [-1, -0.99], -1);

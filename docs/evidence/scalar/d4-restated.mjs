// Float64 exploration (not rigorous; the checker decides) for the restated D4 lemmas
// (lemmas/scalar-d*/d4-convergence.ts, d4-gd-converges-by-t-unless-near-the-edge-d*): over the eos-range hypotheses,
// whether "L_T <= tol or eta phi(w_T) >= 1.9" holds, how close L_T > tol comes to that edge, and the largest eta phi_T.
// Usage: node docs/evidence/scalar/d4-restated.mjs D N T tol etaMin etaMax wMin wMax
//   D = 2: node docs/evidence/scalar/d4-restated.mjs 2 400000 600 1e-12 0.8 0.95 0.1 1.5
//   D = 3: node docs/evidence/scalar/d4-restated.mjs 3 150000 3000 1e-8 0.5 0.6333 0.3 1.4
//   D = 4: node docs/evidence/scalar/d4-restated.mjs 4 150000 3000 1e-8 0.375 0.475 0.3 1.4
const [D, N, T, tol, etaMin, etaMax, wMin, wMax] = process.argv.slice(2).map(Number);
function phiOf(w) {
  // root c of prod (w_i^2 + c) = 1 above -min w_i^2, by bisection then Newton
  const s = w.map((x) => x * x);
  let lo = -Math.min(...s), hi = 2;
  for (let k = 0; k < 200; k++) { const m = (lo + hi) / 2; let p = 1; for (const x of s) p *= x + m; if (p > 1) hi = m; else lo = m; }
  const c = (lo + hi) / 2; let f = 0; for (const x of s) f += 1 / (x + c); return f;
}
let rnd = 12345; const r = () => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 4294967296);
let kept = 0, worstL = 0, worstLphi = 0, minPhiBad = Infinity, viol = 0, maxEtaPhiT = 0;
for (let n = 0; n < N; n++) {
  const eta = etaMin + (etaMax - etaMin) * r();
  let w = Array.from({ length: D }, () => wMin + (wMax - wMin) * r());
  let p = w.reduce((a, b) => a * b, 1);
  if (!(p < 1)) continue;
  const ph0 = phiOf(w);
  if (!(eta * ph0 > 2 && eta * ph0 <= 2.8)) continue;
  kept++;
  for (let t = 0; t < T; t++) {
    const g = p - 1;
    const nw = w.map((x, i) => { let q = 1; for (let j = 0; j < D; j++) if (j !== i) q *= w[j]; return x - eta * g * q; });
    w = nw; p = w.reduce((a, b) => a * b, 1);
  }
  const L = 0.5 * (p - 1) ** 2, ep = eta * phiOf(w);
  if (ep > maxEtaPhiT) maxEtaPhiT = ep;
  if (ep < 1.9 && L > worstL) { worstL = L; worstLphi = ep; }
  if (L > tol && ep < minPhiBad) minPhiBad = ep;
  if (L > tol && ep < 1.9) viol++;
}
console.log({ D, kept, violations: viol, 'max L_T with eta phi_T < 1.9': worstL, 'its eta phi_T': worstLphi, 'min eta phi_T with L_T > tol': minPhiBad, maxEtaPhiT });

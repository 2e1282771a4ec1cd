// Exact root isolation (src/numeric/real-roots.ts) on the scalar depth-3 network's c at an exact GD point: ms per call
// at 60, 192 and 768 bits, without and with the float hint the checker passes. Run: npx tsx bench/roots.ts
import { Rational } from '../src/numeric/rational.js';
const mod = await import(process.env.ISO_MODULE ?? '../src/numeric/real-roots.js');
const { interpolate, isolateUniqueRoot } = mod as typeof import('../src/numeric/real-roots.js');
const w = [1.2345678901234567, 0.8765432109876543, 1.0123456789012345].map((x) => Rational.fromDouble(x));
// emulate an exact next point: products of doubles
const ws = w.map((x) => x.mul(Rational.fromDouble(0.9999999999999998)).sub(Rational.fromDouble(1e-17).mul(x).mul(x)));
const p = (c: Rational) => ws.map((x) => x.mul(x).add(c)).reduce((a, b) => a.mul(b)).sub(Rational.fromInt(1));
const xs = [0, 1, 2, 3].map((k) => Rational.fromInt(k));
let t0 = performance.now();
let co: Rational[] = [];
for (let i = 0; i < 100; i++) co = interpolate(xs, xs.map(p));
console.log('interp ms', (performance.now() - t0) / 100);
const m = ws.map((x) => x.mul(x)).reduce((a, b) => (a.lt(b) ? a : b));
const lo = m.neg();
const hi = Rational.fromInt(2).sub(m);
// A double approximation of the root, as a float filter would supply (here: from a 60-bit enclosure).
const r60 = isolateUniqueRoot(co, lo, hi, 60);
const hint = r60.kind === 'root' ? r60.lo.toNumber() : NaN;
console.log('hint', hint);
const N = 50;
for (const h of [undefined, hint])
  for (const bits of [60, 192, 768]) {
    for (let i = 0; i < 5; i++) isolateUniqueRoot(co, lo, hi, bits, h); // warm-up
    t0 = performance.now();
    let r;
    for (let i = 0; i < N; i++) r = isolateUniqueRoot(co, lo, hi, bits, h);
    const ms = (performance.now() - t0) / N;
    const wdt = r && r.kind === 'root' ? r.hi.sub(r.lo).log2Abs().toFixed(1) : '-';
    console.log(h === undefined ? 'no hint' : 'hint   ', bits, 'iso ms', ms.toFixed(4), r?.kind, 'log2 width', wdt);
  }

// Profiling helper (not a figure): node --cpu-prof --import tsx bench/prof-ext.ts [float64|extended]
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { GDBatch } from '../src/dynamics/batch.js';
const m = deriveModel(minimalistModel);
const arith = (process.argv[2] ?? 'extended') as 'float64' | 'extended';
let s = 12345;
const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
const N = 1000;
const eta = Float64Array.from({ length: N }, () => 1 + 0.9 * rnd());
const inits = Array.from({ length: N }, () => [0.8 + 0.3 * rnd(), 1e-3 + 0.05 * rnd(), 0.3 * rnd()]);
const t0 = performance.now();
for (let r = 0; r < 10; r++) new GDBatch(m, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, arith).run(1000);
console.log(arith, ((10 * N * 1000) / (performance.now() - t0) / 1e3).toFixed(2), 'M steps/s');

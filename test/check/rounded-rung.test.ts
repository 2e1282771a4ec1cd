/**
 * The sampled ladder's rounded rung (check/decide.ts decideRoundedAt): a comparison at the exact iterate in dyadic
 * intervals rounded outward after every operation (its compiled program), or rounded rational intervals where it has
 * exp. Along orbits of the minimalist model, beta1 far below the double range included, it decides as the exact
 * rational rung does, its margins contain the exact rung's, and it decides nearly everywhere that rung does.
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { compileLemma, type CompiledComparison } from '../../src/lemma/compile.js';
import { defineLemma } from '../../src/lemma/types.js';
import { decideExact, ExactIterate, type Decision, type ExactContext } from '../../src/check/decide.js';
import { iteratePoint } from '../../src/dynamics/gd.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import { Interval } from '../../src/numeric/interval.js';
import { Rational } from '../../src/numeric/rational.js';
import { LADDER } from '../../src/numeric/ladder.js';
import { topEigenpair } from '../../src/numeric/symmetric-eigen.js';
import { withRow } from '../support/ladder.js';
import { walkOrbit } from '../support/orbit.js';

const model = deriveModel(minimalistModel);

/** Comparisons whose sides differ by far less than a double's resolution along converging orbits, or not at all. */
const STATEMENTS = [
  'S_GFS_next <= S_GFS',
  'L_next <= L',
  'beta1_next^2 <= beta1^2',
  'C_next - C <= 0',
  'alpha_next * beta1_next >= alpha * beta1 * (1 - eta)',
  'log(1 + L_next) <= log(1 + L)',
  'exp(-L_next) >= exp(-L)',
  'beta2_next == beta2',
  'S_next <= S',
  'eta * S_next <= 2',
];

function comparisons(): CompiledComparison[] {
  return STATEMENTS.map((statement, i) => {
    const l = compileLemma(
      defineLemma({
        id: `rounded-rung-${i}`, title: statement, claim: 'C10', provenance: 'variant', description: 'test/check/rounded-rung.test.ts',
        hypotheses: { hyper: { eta: 1.9, lambda1: 1, lambda2: 0.01 }, init: { alpha: 1, beta1: 0.05, beta2: 0 } },
        quantifier: { kind: 'every-step' }, statement, steps: 10, runs: 1, expect: 'holds',
      }),
      model,
      'test/check/rounded-rung.test.ts',
    );
    return l.statements[0]!;
  });
}

/** Exact contexts (the iterate and one exact GD step from it) at every `every`th step of the orbit from `init`. */
function contexts(hyper: Record<string, number>, init: number[], steps: number, every: number): ExactContext[] {
  const hyperExact = new Map(model.hypers.map((h) => [h, Interval.point(Rational.fromDouble(hyper[h]!))] as const));
  const gd = new ExactGD(model, hyper);
  const n = model.params.length;
  const h = model.hypers.map((k) => hyper[k]!);
  const H = new Float64Array(n * n);
  // The eigenvector guess of the exact S enclosure (the checker's comes from its float enclosures).
  const top = (th: Float64Array, thE: Float64Array) => {
    const p = iteratePoint(0, th, thE, 'extended', []);
    model.kernels.hessian(Float64Array.from(p.theta), h, H);
    return topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n)))).vector;
  };
  const ctxs: ExactContext[] = [];
  walkOrbit(model, hyper, init, steps, every, (t, th, thE, nth, nthE) => {
    const cur = new ExactIterate(model, iteratePoint(t, th, thE, 'extended', top(th, thE)), hyperExact);
    const next = new ExactIterate(model, iteratePoint(t + 1, nth, nthE, 'extended', top(nth, nthE)), hyperExact, () => gd.next(cur.params()));
    ctxs.push({ iterates: { '': cur, _next: next }, scalars: new Map([...hyperExact, ['t', Interval.point(Rational.fromInt(t))]]) });
  });
  return ctxs;
}

const rung = (id: 'rounded' | 'exact-rational') => LADDER.sampled.filter((s) => s.rung === id);
const decided = (d: Decision) => d.holds === true || d.holds === false;

describe('the rounded rung decides as exact rationals do', () => {
  it('along converging and edge-of-stability orbits, beta1 below the double range included', () => {
    const cs = comparisons();
    const starts: [Record<string, number>, number[]][] = [
      [{ eta: 1.9, lambda1: 1, lambda2: 0.01 }, [1, 0.05, 0.1]],
      [{ eta: 1.5, lambda1: 1, lambda2: 0.003 }, [1.1, 0.01, 0.2]],
      [{ eta: 0.5, lambda1: 1, lambda2: 0.05 }, [0.9, 0.3, 0.4]],
    ];
    let both = 0;
    let exactOnly = 0;
    let tiny = 0;
    const counts = cs.map(() => 0);
    for (const [hyper, init] of starts)
      for (const ctx of contexts(hyper, init, 6000, 250)) {
        if (Math.abs(ctx.iterates['']!.step.theta[1]!) < 1e-300) tiny++;
        for (const c of cs) {
          const where = `${c.text} at step ${ctx.scalars.get('t')!.lo} from ${JSON.stringify({ hyper, init })}`;
          const r = withRow('sampled', rung('rounded'), () => decideExact(model, c, ctx));
          const x = withRow('sampled', rung('exact-rational'), () => decideExact(model, c, ctx));
          if (!decided(x)) continue;
          if (!decided(r)) {
            exactOnly++;
            continue;
          }
          both++;
          counts[cs.indexOf(c)]!++;
          expect(r.holds, where).toBe(x.holds);
          // Both margins enclose the true slack: they meet, and the exact one (a point where the sides are rational) lies inside.
          const rm = 'margin' in r ? r.margin : undefined;
          const xm = 'margin' in x ? x.margin : undefined;
          if (rm && xm) {
            const a = rm.enclosure();
            const b = xm.enclosure();
            expect(a.lo.le(b.hi) && b.lo.le(a.hi), `${where}: margins [${a.lo.toNumber()}, ${a.hi.toNumber()}] and [${b.lo.toNumber()}, ${b.hi.toNumber()}]`).toBe(true);
            if (b.isPoint()) expect(a.lo.le(b.lo) && b.lo.le(a.hi), where).toBe(true);
          }
        }
      }
    expect(tiny, 'iterates with beta1 below the double range').toBeGreaterThan(5);
    expect(both).toBeGreaterThan(200);
    expect(exactOnly / (both + exactOnly)).toBeLessThan(0.05);
    // Every statement is decided by both somewhere (the one with exp on the rational path).
    for (const [i, s] of STATEMENTS.entries()) expect(counts[i], s).toBeGreaterThan(0);
  }, 300_000);
});

import { describe, it, expect } from 'vitest';
import { parse } from 'mathjs';
import { compilePrograms, TaylorEvaluator, type IntervalProgram } from '../../src/dynamics/flow-program.js';
import { down, downSum, up, upSum } from '../../src/numeric/outward.js';
import { Rational } from '../../src/numeric/rational.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack, packNames } from '../../src/model/pack.js';
import { mulberry32 } from '../../src/numeric/prng.js';

/**
 * The validated flow integrator's Taylor coefficients come from code generated per program (flow-program.ts,
 * taylorKernel). They must be the coefficients Moore's recursion gives when the program is interpreted op by op under
 * the kernel's rounding rules, bit for bit (the interpreter below is that recursion, written once more as the
 * oracle), and they must enclose the exact coefficients (the same recursion in rational arithmetic from point starts).
 */

const VAR = 0, CONST = 1, ADD = 2, SUB = 3, MUL = 4, NEG = 5;

function interpret(P: IntervalProgram, order: number, xLo: readonly number[], xHi: readonly number[]): { cLo: number[]; cHi: number[] } {
  const n = P.nvars;
  const m = order + 1;
  const cLo = new Array<number>(m * n).fill(0);
  const cHi = new Array<number>(m * n).fill(0);
  const sLo = new Array<number>(P.size * m).fill(0);
  const sHi = new Array<number>(P.size * m).fill(0);
  const zero = (lo: number, hi: number) => lo === 0 && hi === 0;
  for (let i = 0; i < n; i++) (cLo[i] = xLo[i]!), (cHi[i] = xHi[i]!);
  for (let j = 0; j < order; j++) {
    for (let k = 0; k < P.size; k++) {
      const a = P.a[k]!;
      const b = P.b[k]!;
      const o = k * m + j;
      const [al, ah, bl, bh] = [sLo[a * m + j]!, sHi[a * m + j]!, sLo[b * m + j]!, sHi[b * m + j]!];
      switch (P.code[k]) {
        case VAR:
          sLo[o] = cLo[j * n + P.cLo[k]!]!;
          sHi[o] = cHi[j * n + P.cLo[k]!]!;
          break;
        case CONST:
          sLo[o] = j === 0 ? P.cLo[k]! : 0;
          sHi[o] = j === 0 ? P.cHi[k]! : 0;
          break;
        case ADD:
          sLo[o] = downSum(al + bl);
          sHi[o] = upSum(ah + bh);
          break;
        case SUB:
          sLo[o] = downSum(al - bh);
          sHi[o] = upSum(ah - bl);
          break;
        case NEG:
          sLo[o] = -ah;
          sHi[o] = -al;
          break;
        case MUL: {
          let lo = 0;
          let hi = 0;
          let first = true;
          for (let i = 0; i <= j; i++) {
            const [xl, xh, yl, yh] = [sLo[a * m + i]!, sHi[a * m + i]!, sLo[b * m + j - i]!, sHi[b * m + j - i]!];
            if (zero(xl, xh) || zero(yl, yh)) continue;
            const p = [xl * yl, xl * yh, xh * yl, xh * yh];
            const pl = down(Math.min(...p));
            const ph = up(Math.max(...p));
            if (first) (lo = pl), (hi = ph), (first = false);
            else (lo = downSum(lo + pl)), (hi = upSum(hi + ph));
          }
          sLo[o] = lo;
          sHi[o] = hi;
          break;
        }
        default:
          throw new Error(`op code ${P.code[k]}`);
      }
    }
    for (let i = 0; i < n; i++) {
      const k = P.outputs[i]!;
      const [l, h] = [sLo[k * m + j]!, sHi[k * m + j]!];
      const at = (j + 1) * n + i;
      if (zero(l, h)) (cLo[at] = 0), (cHi[at] = 0);
      else (cLo[at] = down(Math.min(l / (j + 1), h / (j + 1)))), (cHi[at] = up(Math.max(l / (j + 1), h / (j + 1))));
    }
  }
  return { cLo, cHi };
}

/** The exact coefficients from a point start: the recursion in rationals (constants must be points: exact doubles). */
function exactCoefficients(P: IntervalProgram, order: number, x: readonly number[]): Rational[] {
  const n = P.nvars;
  const m = order + 1;
  const Z = Rational.fromInt(0);
  const c: Rational[] = new Array<Rational>(m * n).fill(Z);
  const s: Rational[] = new Array<Rational>(P.size * m).fill(Z);
  for (let i = 0; i < n; i++) c[i] = Rational.fromDouble(x[i]!);
  for (let j = 0; j < order; j++) {
    for (let k = 0; k < P.size; k++) {
      const a = P.a[k]!;
      const b = P.b[k]!;
      const o = k * m + j;
      switch (P.code[k]) {
        case VAR:
          s[o] = c[j * n + P.cLo[k]!]!;
          break;
        case CONST:
          if (P.cLo[k] !== P.cHi[k]) throw new Error('exactCoefficients: a constant that is not a double');
          s[o] = j === 0 ? Rational.fromDouble(P.cLo[k]!) : Z;
          break;
        case ADD:
          s[o] = s[a * m + j]!.add(s[b * m + j]!);
          break;
        case SUB:
          s[o] = s[a * m + j]!.sub(s[b * m + j]!);
          break;
        case NEG:
          s[o] = s[a * m + j]!.neg();
          break;
        case MUL: {
          let sum = Z;
          for (let i = 0; i <= j; i++) sum = sum.add(s[a * m + i]!.mul(s[b * m + j - i]!));
          s[o] = sum;
          break;
        }
      }
    }
    for (let i = 0; i < n; i++) c[(j + 1) * n + i] = s[P.outputs[i]! * m + j]!.div(Rational.fromInt(j + 1));
  }
  return c;
}

function agree(P: IntervalProgram, order: number, boxes: number, seed: number): void {
  const T = new TaylorEvaluator(P, order);
  const r = mulberry32(seed);
  for (let b = 0; b < boxes; b++) {
    const xLo: number[] = [];
    const xHi: number[] = [];
    for (let i = 0; i < P.nvars; i++) {
      // Points, thin boxes, boxes across 0, boxes with an end at 0 and exact zeros: the integrator's balls and a priori boxes.
      const c = r() < 0.1 ? 0 : (2 * r() - 1) * 2 ** Math.round(8 * (2 * r() - 1));
      const w = r() < 0.3 ? 0 : Math.abs(c || 1) * 2 ** -Math.round(50 * r());
      const end = r();
      // Some boxes end at 0 on one side: [0, w] and [-w, 0].
      xLo.push(end < 0.1 ? 0 : c - w);
      xHi.push(end < 0.1 ? w : end < 0.2 ? 0 : c + w);
      if (end >= 0.1 && end < 0.2) xLo[i] = -w;
    }
    T.run(xLo, xHi);
    const want = interpret(P, order, xLo, xHi);
    expect(Array.from(T.cLo), `box ${b}: ${xLo} .. ${xHi}`).toEqual(want.cLo);
    expect(Array.from(T.cHi), `box ${b}: ${xLo} .. ${xHi}`).toEqual(want.cHi);
  }
}

describe('the generated Taylor recursion gives the interpreted one bit for bit', () => {
  for (const name of packNames()) {
    it(`the gradient flow of ${name}`, () => {
      const model = deriveModel(loadPack(name).spec);
      const r = mulberry32(11);
      const fixed = new Map(model.hypers.map((h) => [h, 0.25 + 2 * r()] as [string, number]));
      const P = compilePrograms(model.gradient.map((g) => parse(`-(${g.toString()})`)), model.params, fixed);
      agree(P, 13, 300, 20261207);
    });
  }

  it('a field with every op (neg, constants, a power, a division by a constant)', () => {
    const P = compilePrograms(['-(x * y) + 0.1 * z^3 - y', 'x^2 - z / 3', '-y + x * z * 7'].map((t) => parse(t)), ['x', 'y', 'z'], new Map());
    agree(P, 9, 300, 5);
  });
});

describe('the Taylor coefficients enclose the exact ones', () => {
  it('from point starts, with exact zeros (a start at 0, constants beyond the first coefficient) and tiny values', () => {
    // Dyadic constants only, so that the exact recursion has the program's own constants.
    const P = compilePrograms(['-(x * y) + 0.5 * z^3 - y', 'x^2 - 0.25 * z', '-y + x * z * 7 - 0.25'].map((t) => parse(t)), ['x', 'y', 'z'], new Map());
    const T = new TaylorEvaluator(P, 10);
    const r = mulberry32(3);
    let checked = 0;
    for (let b = 0; b < 200; b++) {
      const x = [0, 1, 2].map(() => (r() < 0.2 ? 0 : (2 * r() - 1) * 2 ** Math.round(-300 * r() * (r() < 0.2 ? 1 : 0) + 3 * (2 * r() - 1))));
      T.run(x, x);
      const exact = exactCoefficients(P, 10, x);
      exact.forEach((e, q) => {
        expect(Rational.fromDouble(T.cLo[q]!).cmp(e), `coefficient ${q} from ${x}`).toBeLessThanOrEqual(0);
        expect(Rational.fromDouble(T.cHi[q]!).cmp(e), `coefficient ${q} from ${x}`).toBeGreaterThanOrEqual(0);
        checked++;
      });
    }
    expect(checked).toBe(200 * 33);
  });
});

import type { MathNode } from 'mathjs';
import { Rational } from '../numeric/rational.js';
import { down, up, OutwardOps, FI_OK, EPS, TINY } from '../numeric/outward.js';
import { fold, type Backend } from './algebra.js';
import { constantToRational } from './rational-function.js';

/**
 * The float filter's evaluator: a backend of the expression algebra that generates straight-line
 * code over outward-rounded double intervals (numeric/outward.ts). Every value is a pair of locals
 * (lo, hi) that encloses the exact value of the term for every input inside the input enclosures;
 * nothing is allocated per operation. A partial operation whose argument enclosure leaves its
 * domain returns FI_UNDEFINED (entirely outside) or FI_MAYBE_UNDEFINED (partly) at once, so the
 * caller knows the term's definedness exactly as the exact evaluator would, or falls back to it.
 *
 * Inputs E: symbol slot i has enclosure [E[2i], E[2i+1]]. Outputs O: tree k gets [O[2k], O[2k+1]].
 */
export type IntervalKernel = (E: Float64Array, O: Float64Array) => number;

interface Atom {
  l: string;
  h: string;
}

function lit(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return Object.is(x, -0) ? '(-0)' : x < 0 ? `(${String(x)})` : String(x);
}

/** The tightest double enclosure of a decimal constant as written (0.1 is 1/10, not a double). */
export function constantEnclosure(value: number): [number, number] {
  const exact = constantToRational(value);
  if (Rational.fromDouble(value).eq(exact)) return [value, value];
  return [down(value), up(value)];
}

export function compileIntervalKernel(trees: readonly MathNode[], slotOf: (name: string) => number): IntervalKernel {
  const lines: string[] = [];
  const memo = new Map<string, Atom>();
  let count = 0;
  const bind = (key: string, call: string, partial: boolean): Atom => {
    const hit = memo.get(key);
    if (hit) return hit;
    const l = `v${count}l`;
    const h = `v${count++}h`;
    lines.push(partial ? `if ((s = ${call}) !== 0) return s; const ${l} = R.lo, ${h} = R.hi;` : `${call}; const ${l} = R.lo, ${h} = R.hi;`);
    const a = { l, h };
    memo.set(key, a);
    return a;
  };
  const op2 = (name: string, partial = false) => (a: Atom, b: Atom) => bind(`${name}(${a.l},${b.l})`, `R.${name}(${a.l}, ${a.h}, ${b.l}, ${b.h})`, partial);
  // The total operations inline (no call per operation): the same roundings as OutwardOps, written out.
  const inline = (key: string, lo: string, hi: string, pre = ''): Atom => {
    const hit = memo.get(key);
    if (hit) return hit;
    const k = count++;
    const l = `v${k}l`;
    const h = `v${k}h`;
    lines.push(`${pre}const ${l}_ = ${lo}, ${h}_ = ${hi}; const ${l} = ${l}_ - (Math.abs(${l}_) * ${EPS} + ${TINY}), ${h} = ${h}_ + (Math.abs(${h}_) * ${EPS} + ${TINY});`);
    const a = { l, h };
    memo.set(key, a);
    return a;
  };
  const addI = (a: Atom, b: Atom) => inline(`add(${a.l},${b.l})`, `${a.l} + ${b.l}`, `${a.h} + ${b.h}`);
  const subI = (a: Atom, b: Atom) => inline(`sub(${a.l},${b.l})`, `${a.l} - ${b.h}`, `${a.h} - ${b.l}`);
  const mulI = (a: Atom, b: Atom) => {
    const p = `p${count}_`;
    return inline(
      `mul(${a.l},${b.l})`,
      `Math.min(${p}1, ${p}2, ${p}3, ${p}4)`,
      `Math.max(${p}1, ${p}2, ${p}3, ${p}4)`,
      `const ${p}1 = ${a.l} * ${b.l}, ${p}2 = ${a.l} * ${b.h}, ${p}3 = ${a.h} * ${b.l}, ${p}4 = ${a.h} * ${b.h}; `,
    );
  };
  const monotone = (fn: string, positive: boolean) => (a: Atom) => bind(`${fn}(${a.l})`, `R.monotone(${fn}, ${a.l}, ${a.h}, ${positive})`, true);
  const mulA = mulI;
  // x^2 of [l, h]: [l^2, h^2] above 0, [h^2, l^2] below, [0, max] across (the 0 end is exact).
  const sqr = (a: Atom) => {
    const key = `sqr(${a.l})`;
    const hit = memo.get(key);
    if (hit) return hit;
    const k = count++;
    const l = `v${k}l`;
    const h = `v${k}h`;
    const L2 = `${a.l} * ${a.l}`;
    const H2 = `${a.h} * ${a.h}`;
    lines.push(
      `const ${l}_ = ${a.l} >= 0 ? ${L2} : ${a.h} <= 0 ? ${H2} : 0, ${h}_ = ${a.l} >= 0 ? ${H2} : ${a.h} <= 0 ? ${L2} : Math.max(${L2}, ${H2});`,
      `const ${l} = ${l}_ === 0 && !(${a.l} >= 0) && !(${a.h} <= 0) ? 0 : ${l}_ - (Math.abs(${l}_) * ${EPS} + ${TINY}), ${h} = ${h}_ + (Math.abs(${h}_) * ${EPS} + ${TINY});`,
    );
    const at = { l, h };
    memo.set(key, at);
    return at;
  };
  const powi = (a: Atom, k: number): Atom => {
    if (k === 0) return { l: '1', h: '1' };
    if (k < 0) return op2('div', true)({ l: '1', h: '1' }, powi(a, -k));
    if (k === 1) return a;
    const half = powi(a, Math.floor(k / 2));
    const sq = sqr(half);
    return k % 2 === 0 ? sq : mulA(sq, a);
  };
  const backend: Backend<Atom> = {
    name: 'the float interval filter',
    constant(value) {
      const [l, h] = constantEnclosure(value);
      return { l: lit(l), h: lit(h) };
    },
    symbol(name) {
      const i = slotOf(name);
      return { l: `E[${2 * i}]`, h: `E[${2 * i + 1}]` };
    },
    neg: (a) => bind(`neg(${a.l})`, `R.lo = -${a.h}, R.hi = -${a.l}`, false),
    add: addI,
    sub: subI,
    mul: mulA,
    div: op2('div', true),
    powi,
    powr: (a, p) => bind(`powr(${a.l},${p})`, `R.powr(${a.l}, ${a.h}, ${lit(p)})`, true),
    sqrt: (a) => bind(`sqrt(${a.l})`, `R.sqrt(${a.l}, ${a.h})`, true),
    abs: (a) => bind(`abs(${a.l})`, `R.abs(${a.l}, ${a.h})`, false),
    max: (a, b) => bind(`max(${a.l},${b.l})`, `R.lo = Math.max(${a.l}, ${b.l}), R.hi = Math.max(${a.h}, ${b.h})`, false),
    min: (a, b) => bind(`min(${a.l},${b.l})`, `R.lo = Math.min(${a.l}, ${b.l}), R.hi = Math.min(${a.h}, ${b.h})`, false),
    exp: monotone('Math.exp', false),
    log: monotone('Math.log', true),
    log10: monotone('Math.log10', true),
    log2: monotone('Math.log2', true),
  };
  const outs = trees.map((t) => fold(t, backend));
  const body = [
    'let s = 0;',
    ...lines,
    ...outs.map((a, k) => `O[${2 * k}] = ${a.l}; O[${2 * k + 1}] = ${a.h};`),
    `return ${FI_OK};`,
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('R', `return function intervalKernel(E, O) {\n${body}\n};`) as (R: OutwardOps) => IntervalKernel;
  return make(new OutwardOps());
}

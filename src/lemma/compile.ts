import { ConstantNode, OperatorNode, FunctionNode, SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { ExprError, freeSymbols, parseComparison, parseExpr, substitute, type Comparison } from '../symbolic/expr.js';
import { buildFunction, floatSource } from '../symbolic/compile.js';
import { toLatex } from '../symbolic/latex.js';
import { compileIntervalKernel, type IntervalKernel } from '../symbolic/interval-kernel.js';
import { compileDDKernel, type DDKernel } from '../symbolic/dd-kernel.js';
import { LemmaError, type LemmaProblem } from './errors.js';
import { checkKeys, HYPOTHESES_KEYS, isRecord, LEMMA_KEYS, RANGE_KEYS, suggest, TIGHTNESS_KEYS } from './keys.js';
import type { Draw, LemmaSpec, Quantifier } from './types.js';
import { QUANTIFIER_KINDS, quantifierKind, type Term } from './quantifiers/index.js';

/** One side-pair of a claim, ready for float and exact evaluation. */
export interface CompiledComparison {
  text: string;
  latex: string;
  rel: Comparison['rel'];
  /** Float kernels over the lemma's environment vector. */
  lhs: (e: Float64Array) => number;
  rhs: (e: Float64Array) => number;
  /** The same sides with every derived symbol inlined down to primitive symbols, for exact evaluation. */
  lhsExact: MathNode;
  rhsExact: MathNode;
  /** Primitive symbols used by the exact form (decides which enclosures must be computed). */
  uses: Set<string>;
  /**
   * The float filter: both sides in outward-rounded intervals over the lemma's enclosure slots
   * (`fiSlots`). Absent for comparisons with float-only symbols (no exact form).
   */
  kernel?: IntervalKernel;
  /** The filter's second tier (double-double with an error bound), where the sides only use operations it supports. */
  ddKernel?: DDKernel;
  /** The exact form uses S, S_0 or S_next (their second-tier enclosures are computed on demand). */
  usesS: boolean;
}

export interface DrawSpec {
  name: string;
  draw: Exclude<Draw, number> | { fixed: number };
}

export interface CompiledLemma {
  spec: LemmaSpec;
  file: string;
  /** The lemma file's absolute path and the sha256 (hex) of its bytes, set by loadLemmas: report rows and replay commands name the file by it, and a replay refuses a file that changed. */
  path?: string;
  fileHash?: string;
  id: string;
  hyperDraws: DrawSpec[];
  initDraws: DrawSpec[];
  /**
   * An identity's region of theta (`hypotheses.params`): one draw per parameter it bounds, in
   * model.params order; a parameter without one ranges over every real. Empty: every theta.
   */
  paramDraws: DrawSpec[];
  where: CompiledComparison[];
  statements: CompiledComparison[];
  /** Constants in definition order, as float kernels and exact forms. */
  constants: { name: string; f: (e: Float64Array) => number; exact: MathNode }[];
  quantifier: Quantifier;
  /** Premise/event/trigger/when/from expressions, compiled. */
  when: CompiledComparison[];
  /** Hypotheses about the trajectory: the check stops at the first iterate where one fails. */
  along: CompiledComparison[];
  event?: CompiledComparison;
  trigger: CompiledComparison[];
  withinSteps?: (e: Float64Array) => number;
  /** The quantifier's fields as written and typeset, for the premise sentence a report row shows. */
  quantifierTerms: Record<string, Term[]>;
  fromStep?: (e: Float64Array) => number;
  /** `from` and `within` with every derived symbol inlined, for the certified orbit (check/certify.ts). */
  fromExact?: MathNode;
  withinExact?: MathNode;
  /** The window's length in the float filter's interval arithmetic (check/window-length.ts tries it first). */
  withinKernel?: IntervalKernel;
  tightness?: { constant: string; needed: (e: Float64Array) => number; neededExact: MathNode; neededUses: Set<string>; neededUsesS: boolean; neededKernel?: IntervalKernel; neededDD?: DDKernel };
  /** Enclosure slots of the float filter: primitive symbol -> index i (enclosure [E[2i], E[2i+1]]). */
  fiSlots: Map<string, number>;
  /** Environment layout: symbol -> index into the Float64Array the kernels read. */
  slots: Map<string, number>;
  symbols: string[];
  steps: number;
  runs: number;
  /** Suffixes of state symbols the lemma reads ('', '_0', '_next', '_flow'). */
  suffixes: Set<string>;
  usesS: boolean;
  /** The claim uses a symbol without an exact form: decided in float64 only. */
  floatOnly: boolean;
}

const PROVENANCE = ['paper', 'paper-claim', 'derived', 'variant'];
/** Where an unknown symbol's message sends the reader for the symbols it does not list (about 130). */
const SYMBOLS_LISTED = 'every symbol: README, "Adding a lemma"; the model\'s names: eos-check models';
const SUFFIXES = ['', '_0', '_next', '_flow'];

/** S, S_0 or S_next: a primitive symbol of an exact form that is a sharpness (certified, not evaluated). */
export function isSharpness(u: string): boolean {
  return u === 'S' || u === 'S_0' || u === 'S_next';
}

/** State symbols: their value depends on the iterate, and they exist at _0, _next and _flow. */
export function stateSymbols(model: DerivedModel): string[] {
  return [
    ...model.params,
    ...model.quantities.keys(),
    'L',
    'S',
    'gradNorm',
    ...model.params.map((p) => `g_${p}`),
    ...model.params.flatMap((p) => model.params.map((q) => `H_${p}_${q}`)),
    ...FLOAT_ONLY(model),
  ];
}

/** Symbols with no polynomial form (logs of magnitudes, eigenvector projections): the provers cannot read them. */
export function FLOAT_ONLY(model: DerivedModel): string[] {
  return [...model.params.map((p) => `log10abs_${p}`), ...FLOAT_DECIDED];
}

/** Symbols with no enclosure at all (the top eigenvector's direction is not enclosed): claims reading them are decided in float64 only. */
const FLOAT_DECIDED = ['gTop'];

/**
 * det(shift I - H) restricted to the rows and columns `idx`, as an expression tree (Laplace
 * expansion; models are small). With every index it is the characteristic polynomial in `shift`;
 * its principal minors state Sylvester's criterion for the prover.
 */
export function shiftedMinor(model: DerivedModel, idx: readonly number[], shift: string): MathNode {
  const entry = (i: number, j: number): MathNode => {
    const h = model.hessian[i]![j]!.cloneDeep();
    return i === j ? new OperatorNode('-', 'subtract', [new SymbolNode(shift), h]) : new OperatorNode('-', 'unaryMinus', [h]);
  };
  const det = (rows: readonly number[], cols: readonly number[]): MathNode => {
    if (rows.length === 1) return entry(rows[0]!, cols[0]!);
    const terms = cols.map((c, k) => {
      const minor = det(rows.slice(1), cols.filter((x) => x !== c));
      const t = new OperatorNode('*', 'multiply', [entry(rows[0]!, c), minor]) as MathNode;
      return k % 2 === 0 ? t : (new OperatorNode('-', 'unaryMinus', [t]) as MathNode);
    });
    return terms.reduce((a, b) => new OperatorNode('+', 'add', [a, b]));
  };
  return det(idx, idx);
}

function charpoly(model: DerivedModel): MathNode {
  return shiftedMinor(model, model.params.map((_, i) => i), 'mu');
}

/** Inline definitions of derived state symbols in terms of the parameters, for one suffix. */
function stateDefinitions(model: DerivedModel, suffix: string): Map<string, MathNode> {
  // "_next" is one exact GD step from the iterate: p_next = p - eta dL/dp, inlined, so every
  // evaluator (float filter and exact) sees the true next point, not the rounded computed one.
  const rename = new Map(
    model.params.map((p, i) => [
      p,
      (suffix === '_next' ? model.step[i]!.cloneDeep() : new SymbolNode(p + suffix)) as MathNode,
    ]),
  );
  // An implicit quantity is a primitive at every suffix (c_next is the root at the exact next point).
  for (const k of model.implicit.keys()) rename.set(k, new SymbolNode(k + suffix));
  const at = (n: MathNode) => (suffix === '' ? n.cloneDeep() : substitute(n, rename));
  const defs = new Map<string, MathNode>();
  if (suffix === '_next') for (const p of model.params) defs.set(p + suffix, rename.get(p)!.cloneDeep());
  defs.set(`L${suffix}`, at(model.loss));
  for (const [k, v] of model.quantities) if (!model.implicit.has(k)) defs.set(k + suffix, at(v));
  const gs = model.params.map((p, i) => {
    const g = at(model.gradient[i]!);
    defs.set(`g_${p}${suffix}`, g);
    return g;
  });
  const sumsq = gs.map((g) => new OperatorNode('^', 'pow', [g, new ConstantNode(2)]) as MathNode).reduce((a, b) => new OperatorNode('+', 'add', [a, b]));
  defs.set(`gradNorm${suffix}`, new FunctionNode('sqrt', [sumsq]));
  model.params.forEach((p, i) => model.params.forEach((q, j) => defs.set(`H_${p}_${q}${suffix}`, at(model.hessian[i]![j]!))));
  // The exact evaluators enclose log10 |p| at any magnitude (numeric/interval.ts), so windows reading it are decided.
  for (const p of model.params) defs.set(`log10abs_${p}${suffix}`, new FunctionNode('log10', [new FunctionNode('abs', [rename.get(p)!.cloneDeep()])]));
  return defs;
}

/**
 * An optional object field (constants, tightness, assume) given as a falsy value (YAML's empty
 * value null, false, 0, '') is not given: the checker always read them so, and such lemmas ran.
 */
function absent(x: unknown): boolean {
  return !x;
}

/** The draw of one hypothesis variable, or undefined after reporting what is wrong with it. */
function compileDraw(d: unknown, name: string, field: string, fail: (field: string, detail: string) => void): DrawSpec | undefined {
  if (typeof d === 'number') {
    if (!Number.isFinite(d)) return void fail(field, `must be finite, got ${d}`);
    return { name, draw: { fixed: d } };
  }
  if (!isRecord(d)) return void fail(field, `must be a number or {min, max, scale?}, got ${JSON.stringify(d)}`);
  const meant = checkKeys(d, RANGE_KEYS, `${field}.`, 'not a field of a range (its fields: min, max, scale)', fail);
  let ok = true;
  for (const end of ['min', 'max'] as const) {
    if (typeof d[end] === 'number') continue;
    ok = false;
    if (d[end] !== undefined || !meant.has(end)) fail(field, `must be a number or {min, max, scale?}: ${end} is ${d[end] === undefined ? 'missing' : JSON.stringify(d[end])}`);
  }
  if (d.scale !== undefined && d.scale !== 'uniform' && d.scale !== 'log') {
    fail(`${field}.scale`, `must be "uniform" or "log", got ${JSON.stringify(d.scale)}${typeof d.scale === 'string' ? suggest(d.scale, ['uniform', 'log']) : ''}`);
    ok = false;
  }
  if (!ok) return undefined;
  const r = d as Exclude<Draw, number>;
  if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) return void fail(field, 'min and max must be finite');
  if (r.min > r.max) return void fail(field, `empty range: min ${r.min} > max ${r.max}`);
  if (r.scale === 'log' && !(r.min > 0)) return void fail(field, 'a log-uniform range needs min > 0');
  return { name, draw: r };
}

/**
 * Validates a lemma and compiles it. Every independent problem is collected (a LemmaError lists
 * them all); a check that needs a field that already failed is skipped, so one mistake is reported
 * once. The kernels are built only for a lemma without problems, in the same order as always (the
 * float filter's slots follow that order).
 */
export function compileLemma(spec: LemmaSpec, model: DerivedModel, file: string): CompiledLemma {
  const id = typeof spec?.id === 'string' ? spec.id : undefined;
  const problems: LemmaProblem[] = [];
  const fail = (field: string, detail: string): void => {
    problems.push({ lemmaId: id, field, detail });
  };
  if (!isRecord(spec)) {
    fail('(lemma)', `a lemma must be an object with id, title, claim, ... (in a code file: export default defineLemma({...})), got ${Array.isArray(spec) ? 'a list' : JSON.stringify(spec)}`);
    throw LemmaError.of(file, problems);
  }
  const raw = spec as unknown as Record<string, unknown>;
  const meant = checkKeys(raw, LEMMA_KEYS, '', `not a lemma field (the fields: ${LEMMA_KEYS.join(', ')})`, fail);
  // A field a misspelled key stands for is not reported missing as well.
  const check = (key: keyof LemmaSpec) => raw[key] !== undefined || !meant.has(key);
  const oneOf = (x: unknown, known: readonly string[]) => `must be one of ${known.join(', ')}, got ${JSON.stringify(x)}${typeof x === 'string' ? suggest(x, known) : ''}`;

  if (check('id') && (!id || !/^[a-z0-9][a-z0-9-]*$/.test(id))) fail('id', `must be lower-case words joined by '-', got ${JSON.stringify(spec.id)}`);
  for (const f of ['title', 'description'] as const) if (check(f) && (typeof spec[f] !== 'string' || spec[f].trim() === '')) fail(f, 'must be a non-empty string');
  if (check('provenance') && !PROVENANCE.includes(spec.provenance)) fail('provenance', oneOf(spec.provenance, PROVENANCE));
  const claims = model.spec.claims?.map((c) => c.id);
  if (check('claim') && (claims ? !claims.includes(spec.claim) : typeof spec.claim !== 'string' || !/^[A-Za-z][A-Za-z0-9.-]{0,23}$/.test(spec.claim)))
    fail('claim', claims ? `must be one of the model's claims ${claims.join(', ')}, got ${JSON.stringify(spec.claim)}${typeof spec.claim === 'string' ? suggest(spec.claim, claims) : ''}` : `must be a short claim id (a letter, then letters, digits, '.', '-'), got ${JSON.stringify(spec.claim)}`);
  if (check('expect') && spec.expect !== 'holds' && spec.expect !== 'fails') fail('expect', `must be "holds" or "fails", got ${JSON.stringify(spec.expect)}${typeof spec.expect === 'string' ? suggest(spec.expect, ['holds', 'fails']) : ''}`);
  const q = spec.quantifier as unknown;
  const kind = isRecord(q) && typeof q.kind === 'string' ? quantifierKind(q.kind) : undefined;
  const kinds = QUANTIFIER_KINDS.map((k) => k.kind);
  // Without a kind its fields are unknown: a key is only checked against every kind's fields.
  const qMeantKind = isRecord(q) && q.kind === undefined ? checkKeys(q, ['kind', ...new Set(QUANTIFIER_KINDS.flatMap((k) => Object.keys(k.fields)))], 'quantifier.', 'not a quantifier field', fail) : new Set<string>();
  if (q !== undefined && !isRecord(q)) fail('quantifier', `must be an object {kind, ...}, got ${JSON.stringify(q)}`);
  else if (!kind && check('quantifier') && !qMeantKind.has('kind')) fail('quantifier.kind', q === undefined ? `missing (one of ${kinds.join(', ')})` : oneOf(q.kind, kinds));
  const steps = spec.steps ?? 2000;
  if (!Number.isInteger(steps) || steps < 1 || steps > 1e7) fail('steps', `must be an integer in [1, 1e7], got ${JSON.stringify(spec.steps)}`);
  const runs = spec.runs ?? 100;
  if (!Number.isInteger(runs) || runs < 1 || runs > 1e6) fail('runs', `must be an integer in [1, 1e6], got ${JSON.stringify(spec.runs)}`);

  // Hypotheses: one draw per hyper and per parameter.
  const h: Record<string, unknown> = isRecord(spec.hypotheses) ? spec.hypotheses : {};
  if (!isRecord(spec.hypotheses) && check('hypotheses')) fail('hypotheses', spec.hypotheses === undefined ? 'missing' : 'must be an object {hyper, init, params?, where?, along?}');
  const hMeant = checkKeys(h, HYPOTHESES_KEYS, 'hypotheses.', `not a field of hypotheses (its fields: ${HYPOTHESES_KEYS.join(', ')})`, fail);
  const draws = (group: 'hyper' | 'init', names: string[]): DrawSpec[] | undefined => {
    const g = h[group];
    if (!isRecord(g)) {
      if (isRecord(spec.hypotheses) && (g !== undefined || !hMeant.has(group))) fail(`hypotheses.${group}`, g === undefined ? 'missing' : `must be an object with one entry per name (${names.join(', ')})`);
      return undefined;
    }
    const gMeant = checkKeys(g, names, `hypotheses.${group}.`, `unknown name; the model has ${names.join(', ')}`, fail);
    const out = names.map((n) => {
      const field = `hypotheses.${group}.${n}`;
      if (g[n] === undefined) return void (gMeant.has(n) || fail(field, 'missing'));
      return compileDraw(g[n], n, field, fail);
    });
    return out.every((d) => d !== undefined) ? (out as DrawSpec[]) : undefined;
  };
  const hyperDraws = draws('hyper', model.hypers);
  // An identity has no start: it is proved for every theta, so it needs no init (one given is not read).
  const initDraws = kind?.mode === 'prove' && h.init === undefined ? [] : draws('init', model.params);
  // An identity's region of theta: each parameter it names bounded like an init range; the others free.
  let paramDraws: DrawSpec[] | undefined = [];
  if (h.params !== undefined && h.params !== null) {
    const g = h.params;
    if (kind && kind.mode !== 'prove') {
      fail('hypotheses.params', `only identities read params (a region of theta); this lemma's quantifier is ${kind.kind}: its start is hypotheses.init`);
      paramDraws = undefined;
    } else if (!isRecord(g)) {
      fail('hypotheses.params', `must be an object with an entry per bounded parameter (${model.params.join(', ')}), got ${JSON.stringify(g)}`);
      paramDraws = undefined;
    } else {
      checkKeys(g, model.params, 'hypotheses.params.', `unknown name; the model has ${model.params.join(', ')}`, fail);
      const out = model.params.filter((n) => g[n] !== undefined).map((n) => compileDraw(g[n], n, `hypotheses.params.${n}`, fail));
      paramDraws = out.every((d) => d !== undefined) ? (out as DrawSpec[]) : undefined;
    }
  }
  const eta = hyperDraws?.find((d) => d.name === 'eta');
  if (eta && ('fixed' in eta.draw ? !(eta.draw.fixed > 0) : !(eta.draw.min > 0))) fail('hypotheses.hyper.eta', 'eta must be > 0 on the whole range');

  // Symbols and the environment layout.
  const stateSyms = stateSymbols(model);
  const slots = new Map<string, number>();
  const add = (s: string) => {
    if (!slots.has(s)) slots.set(s, slots.size);
  };
  for (const hp of model.hypers) add(hp);
  for (const suf of SUFFIXES) for (const s of stateSyms) add(s + suf);
  add('t');
  add('T_event');
  // For identities only: a free variable and the characteristic polynomial det(mu I - H) in it.
  add('mu');
  add('charpoly_H');
  const constDefs: Record<string, unknown> = isRecord(spec.constants) ? spec.constants : {};
  if (!absent(spec.constants) && !isRecord(spec.constants)) fail('constants', 'must be an object: name -> expression');
  const constNames = Object.keys(constDefs);
  const clashing = new Set<string>();
  for (const c of constNames) {
    if (slots.has(c)) {
      fail(`constants.${c}`, 'name clashes with a model symbol');
      clashing.add(c);
    } else if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(c)) fail(`constants.${c}`, 'not a valid name');
    add(c);
  }

  // Exact forms: every derived symbol inlined down to primitives.
  const defs = new Map<string, MathNode>();
  for (const suf of SUFFIXES) for (const [k, v] of stateDefinitions(model, suf)) defs.set(k, v);
  defs.set('charpoly_H', charpoly(model));
  const fslots = new Map([...slots].map(([k, i]) => [k, `e[${i}]`]));
  const compileF = (node: MathNode) => buildFunction<(e: Float64Array) => number>(['e'], `return ${floatSource(node, fslots)};`);
  const parsed = <T>(f: () => T, field: string): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      // Each problem of the expression (every unknown symbol, ...) on its own.
      for (const p of e.problems) fail(field, p);
      return undefined;
    }
  };
  const where = (field: string) => `${file} [${id}]: ${field}`;
  // Each symbol an expression reads, with the first field that reads it (the rules below name it).
  const used = new Map<string, string>();
  const use = (node: MathNode, field: string) => {
    for (const s of freeSymbols(node)) if (!used.has(s)) used.set(s, field);
  };

  // Start-time symbols: constants, where and from may only use hypers, _0 symbols, earlier constants and T_event.
  const startSyms = new Set<string>([...model.hypers, ...stateSyms.map((s) => `${s}_0`), 'T_event']);
  const constantBuilds: (() => CompiledLemma['constants'][number])[] = [];
  for (const c of constNames) {
    const node = parsed(() => parseExpr(constDefs[c], startSyms, where(`constants.${c}`), SYMBOLS_LISTED), `constants.${c}`);
    // A constant that failed is still a name: the expressions using it are checked, not reported as unknown.
    startSyms.add(c);
    if (!node || clashing.has(c)) continue;
    const exact = substitute(node, defs);
    defs.set(c, exact);
    constantBuilds.push(() => ({ name: c, f: compileF(node), exact }));
  }
  const allSyms = new Set(slots.keys());
  const floatOnlySyms = new Set([...FLOAT_DECIDED.flatMap((x) => SUFFIXES.map((suf) => x + suf)), ...stateSyms.map((x) => `${x}_flow`)]);
  const fiSlots = new Map<string, number>();
  const fiSlot = (name: string) => {
    let i = fiSlots.get(name);
    if (i === undefined) fiSlots.set(name, (i = fiSlots.size));
    return i;
  };
  for (const hp of model.hypers) fiSlot(hp);
  const kernelFor = (trees: MathNode[], uses: Set<string>): IntervalKernel | undefined =>
    [...uses].some((u) => floatOnlySyms.has(u)) ? undefined : compileIntervalKernel(trees, fiSlot);
  type Pending = { uses: Set<string>; build: () => CompiledComparison };
  const comparison = (text: unknown, field: string, syms: ReadonlySet<string>): Pending | undefined => {
    const c = parsed(() => parseComparison(text, syms, where(field), SYMBOLS_LISTED), field);
    if (!c) return undefined;
    use(c.lhs, field);
    use(c.rhs, field);
    const lhsExact = substitute(c.lhs, defs);
    const rhsExact = substitute(c.rhs, defs);
    const uses = new Set([...freeSymbols(lhsExact), ...freeSymbols(rhsExact)]);
    return {
      uses,
      build: () => ({
        text: String(text),
        latex: `${toLatex(c.lhs)} ${({ '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=' } as const)[c.rel]} ${toLatex(c.rhs)}`,
        rel: c.rel,
        lhs: compileF(c.lhs),
        rhs: compileF(c.rhs),
        lhsExact,
        rhsExact,
        uses,
        usesS: [...uses].some(isSharpness),
        kernel: kernelFor([lhsExact, rhsExact], uses),
        ddKernel: [...uses].some((u) => floatOnlySyms.has(u)) ? undefined : compileDDKernel([lhsExact, rhsExact], fiSlot),
      }),
    };
  };
  const comparisons = (list: unknown, field: string, syms: ReadonlySet<string>, single: boolean): Pending[] => {
    if (!Array.isArray(list)) {
      fail(field, `must be a list of comparisons, got ${JSON.stringify(list)}`);
      return [];
    }
    return list.flatMap((w, i) => comparison(w, single && list.length === 1 ? field : `${field}[${i}]`, syms) ?? []);
  };
  const whereSyms = new Set<string>([...model.hypers, ...model.params.map((p) => `${p}_0`), ...[...model.quantities.keys(), 'L'].map((q) => `${q}_0`)]);
  const wherePending = comparisons(h.where ?? [], 'hypotheses.where', whereSyms, false);
  let statementPending: Pending[] = [];
  if (check('statement')) {
    const statementsText = Array.isArray(spec.statement) ? spec.statement : [spec.statement];
    if (statementsText.length === 0) fail('statement', 'is empty');
    else statementPending = comparisons(statementsText, 'statement', allSyms, true);
  }
  const alongText = h.along ?? [];
  if (kind?.mode === 'prove' && Array.isArray(alongText) && alongText.length > 0) fail('hypotheses.along', 'an identity has no trajectory: put state restrictions in quantifier.when');
  const alongPending = comparisons(alongText, 'hypotheses.along', allSyms, false);

  /** A slack certificate's terms and weight, parsed over the state (a misspelled symbol is reported with its field). */
  const certificateExpressions = (e: Record<string, unknown>, field: string, terms: 'kept' | 'terms') => {
    const exprs: [unknown, string][] = [...(Array.isArray(e[terms]) ? (e[terms] as unknown[]).map((t, k): [unknown, string] => [t, `${field}.${terms}[${k}]`]) : []), [e.weight, `${field}.weight`]];
    for (const [t, at] of exprs) {
      if (typeof t !== 'string') continue;
      const node = parsed(() => parseExpr(t, allSyms, where(at), SYMBOLS_LISTED), at);
      if (node) use(node, at);
    }
  };
  // The quantifier's own fields, as its kind declares them (src/lemma/quantifiers/).
  const quantifierBuilds: ((out: CompiledLemma) => void)[] = [];
  const whenUses: Set<string>[] = [];
  if (kind && isRecord(q)) {
    const declared = Object.keys(kind.fields);
    const qMeant = checkKeys(q, ['kind', ...declared], 'quantifier.', `not a field of ${kind.kind} (its fields: ${declared.join(', ') || 'none'})`, fail);
    for (const p of kind.validate?.(q) ?? []) fail(p.field, p.detail);
    for (const [name, f] of Object.entries(kind.fields)) {
      const value = q[name];
      const field = `quantifier.${name}`;
      // YAML's `when:` with nothing after it is null: not given.
      if (value === undefined || value === null) {
        if (f.required && !qMeant.has(name)) fail(field, f.why ?? `${kind.kind} needs ${name}`);
        continue;
      }
      if (f.type === 'comparisons') {
        let list: unknown[] = Array.isArray(value) ? value : [value];
        if (list.length === 0) {
          fail(field, f.why ?? `${kind.kind} needs ${name}`);
          continue;
        }
        if (name === 'invariant' && list.some(isRecord)) {
          // Slack certificates ({relation, kept}, kind invariant only; their shape is the kind's validate): the relation is
          // compiled as a plain one, the terms parsed here so that a misspelled symbol is reported like any other.
          if (kind.kind !== 'invariant') fail(field, `a slack certificate ({relation, kept}) is taken by kind invariant only: give ${kind.kind}'s ${name} as relations`);
          list.forEach((e, i) => {
            if (isRecord(e)) certificateExpressions(e, `${field}[${i}]`, 'kept');
          });
          list = list.map((e) => (isRecord(e) ? e.relation : e));
        }
        const pending = comparisons(list, field, allSyms, true);
        const asWhen = name === 'when' || f.asWhen === true;
        if (asWhen) whenUses.push(...pending.map((p) => p.uses));
        quantifierBuilds.push((out) => {
          const compiled = pending.map((p) => p.build());
          out.quantifierTerms[name] = compiled.map((c) => ({ text: c.text, latex: c.latex }));
          if (asWhen) out.when = compiled;
          else if (name === 'trigger') out.trigger = compiled;
        });
      } else if (f.type === 'certificates') {
        // Slack certificates of statements ({relation, terms, weight}; their shape is the kind's validate): each relation
        // names one of the statements, and the expressions are parsed so that a misspelled symbol is reported like any other.
        if (!Array.isArray(value)) continue;
        const statements = (Array.isArray(spec.statement) ? spec.statement : [spec.statement]).map((x) => (typeof x === 'string' ? x.replace(/\s+/g, '') : x));
        value.forEach((e, i) => {
          if (!isRecord(e)) return;
          if (typeof e.relation === 'string' && !statements.includes(e.relation.replace(/\s+/g, '')))
            fail(`${field}[${i}].relation`, `"${e.relation}" is not one of the statements (${(Array.isArray(spec.statement) ? spec.statement : [spec.statement]).map((x) => JSON.stringify(x)).join(', ')}): a certificate for the use obligation proves a statement`);
          certificateExpressions(e, `${field}[${i}]`, 'terms');
        });
      } else if (f.type === 'comparison') {
        const pending = comparison(value, field, allSyms);
        if (pending && name === 'event')
          quantifierBuilds.push((out) => {
            out.event = pending.build();
            out.quantifierTerms[name] = [{ text: out.event.text, latex: out.event.latex }];
          });
      } else {
        // A window length may depend on the state at the trigger; `from` only on the start (and T_event).
        const node = parsed(() => parseExpr(value, f.type === 'state-expression' ? allSyms : startSyms, where(field), SYMBOLS_LISTED), field);
        if (!node) continue;
        if (f.type === 'state-expression') use(node, field);
        quantifierBuilds.push((out) => {
          out.quantifierTerms[name] = [{ text: String(value), latex: toLatex(node) }];
          if (name === 'within') {
            out.withinSteps = compileF(node);
            out.withinExact = substitute(node, defs);
            out.withinKernel = kernelFor([out.withinExact], freeSymbols(out.withinExact));
          }
          else if (name === 'from') {
            out.fromStep = compileF(node);
            out.fromExact = substitute(node, defs);
          }
        });
      }
    }
  }

  let tightnessBuild: (() => NonNullable<CompiledLemma['tightness']>) | undefined;
  if (!absent(spec.tightness)) {
    const t: Record<string, unknown> = isRecord(spec.tightness) ? spec.tightness : {};
    if (!isRecord(spec.tightness)) fail('tightness', `must be an object {constant, needed}, got ${JSON.stringify(spec.tightness)}`);
    const tMeant = checkKeys(t, TIGHTNESS_KEYS, 'tightness.', 'not a field of tightness (its fields: constant, needed)', fail);
    const constant = t.constant;
    if (isRecord(spec.tightness) && (constant !== undefined || !tMeant.has('constant')) && !constNames.includes(constant as string))
      fail('tightness.constant', `${JSON.stringify(constant)} is not one of the lemma's constants (${constNames.join(', ') || 'none'})${typeof constant === 'string' ? suggest(constant, constNames) : ''}`);
    const needed = isRecord(spec.tightness) && (t.needed !== undefined || !tMeant.has('needed')) ? parsed(() => parseExpr(t.needed, allSyms, where('tightness.needed'), SYMBOLS_LISTED), 'tightness.needed') : undefined;
    if (needed) {
      use(needed, 'tightness.needed');
      tightnessBuild = () => {
        const neededExact = substitute(needed, defs);
        const neededUses = freeSymbols(neededExact);
        const rigorous = ![...neededUses].some((u) => floatOnlySyms.has(u));
        return { constant: constant as string, needed: compileF(needed), neededExact, neededUses, neededUsesS: [...neededUses].some(isSharpness), neededKernel: kernelFor([neededExact], neededUses), neededDD: rigorous ? compileDDKernel([neededExact], fiSlot) : undefined };
      };
    }
  }

  // `assume` is read by the prover (src/check/prove.ts); checked here so its mistakes come with the others.
  if (!absent(spec.assume)) {
    if (!isRecord(spec.assume)) fail('assume', 'must be an object: parameter -> expression');
    else if (kind && kind.mode !== 'prove') fail('assume', `only identities read assume (this lemma's quantifier is ${kind.kind})`);
    else {
      const assumeSyms = new Set([...model.params, ...model.hypers]);
      for (const [k, v] of Object.entries(spec.assume)) {
        if (!model.params.includes(k)) fail(`assume.${k}`, `only parameters can be assumed (${model.params.join(', ')})${suggest(k, model.params)}`);
        parsed(() => parseExpr(v, assumeSyms, where(`assume.${k}`), SYMBOLS_LISTED), `assume.${k}`);
      }
    }
  }

  // Symbol rules of the quantifier's kind (skipped with an unknown kind: they depend on it).
  if (kind) {
    const ruled = new Set<string>();
    const rule = (s: string, detail: string) => {
      if (ruled.has(s)) return;
      ruled.add(s);
      fail(used.get(s)!, detail);
    };
    for (const s of used.keys()) {
      if (kind.mode === 'prove' && (/(_0|_flow)$/.test(s) || s === 't' || s === 'T_event' || FLOAT_ONLY(model).some((f) => s === f || s === `${f}_next`)))
        rule(s, `an identity is a statement for every theta: "${s}" is not available (use parameters, hypers, quantities, L, S, g_<param>, and _next for one GD step)`);
      if (kind.mode !== 'prove' && (s === 'mu' || s === 'charpoly_H')) rule(s, `"${s}" is only available in identities`);
      if (kind.mode !== 'flow' && s.endsWith('_flow')) rule(s, `"${s}" needs quantifier kind flow-limit`);
      if (!kind.allowsNext && s.endsWith('_next')) rule(s, `"${s}": there is no next iterate at the end`);
    }
    if (kind.mode === 'prove') {
      // The prover would read an implicit quantity as a free variable: proofs would stay sound, but a
      // counterexample at a value that is not the root would not be one.
      const implicitUses = [...statementPending.map((p) => p.uses), ...whenUses].flatMap((u) => [...u]).filter((u) => model.implicit.has(u.replace(/_(0|next|flow)$/, '')));
      if (implicitUses.length > 0)
        fail('statement', `an identity cannot use the implicit quantity ${implicitUses[0]} (a root of a polynomial, which the prover cannot represent); state it along trajectories (every-step) instead`);
    }
  }
  if (problems.length > 0 || !kind || !hyperDraws || !initDraws || !paramDraws) throw LemmaError.of(file, problems);

  const out: CompiledLemma = {
    spec,
    file,
    id: id!,
    hyperDraws,
    initDraws,
    paramDraws,
    constants: constantBuilds.map((b) => b()),
    where: wherePending.map((p) => p.build()),
    statements: statementPending.map((p) => p.build()),
    quantifier: spec.quantifier,
    slots,
    symbols: [...slots.keys()],
    steps,
    runs,
    suffixes: new Set(),
    usesS: false,
    floatOnly: false,
    when: [],
    along: alongPending.map((p) => p.build()),
    trigger: [],
    quantifierTerms: {},
    fiSlots,
  };
  for (const b of quantifierBuilds) b(out);
  if (tightnessBuild) out.tightness = tightnessBuild();
  for (const s of used.keys()) {
    for (const suf of ['_0', '_next', '_flow']) if (s.endsWith(suf)) out.suffixes.add(suf);
  }
  out.usesS = [...used.keys()].some((s) => /^S(_0|_next|_flow)?$/.test(s));
  const floatOnly = new Set(FLOAT_DECIDED.flatMap((s) => SUFFIXES.map((x) => s + x)));
  out.floatOnly = kind.floatOnly || [...used.keys()].some((s) => floatOnly.has(s));
  return out;
}

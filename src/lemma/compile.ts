import { ConstantNode, OperatorNode, FunctionNode, SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { didYouMean } from '../model/did-you-mean.js';
import { ExprError, freeSymbols, parseComparison, parseExpr, substitute, type Comparison } from '../symbolic/expr.js';
import { buildFunction, floatSource } from '../symbolic/compile.js';
import { toLatex } from '../symbolic/latex.js';
import { compileIntervalKernel, type IntervalKernel } from '../symbolic/interval-kernel.js';
import { compileDDKernel, type DDKernel } from '../symbolic/dd-kernel.js';
import { LemmaError } from './errors.js';
import type { Draw, LemmaSpec, Quantifier } from './types.js';
import { QUANTIFIER_KINDS, quantifierKind } from './quantifiers/index.js';

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
  /** The lemma exactly as checked, as plain JSON data (what a report row carries so it stands alone). */
  definition: Record<string, unknown>;
  file: string;
  /** sha256 (hex) of the lemma file's bytes, set by loadLemmas; a replay refuses a file that changed. */
  fileHash?: string;
  id: string;
  hyperDraws: DrawSpec[];
  initDraws: DrawSpec[];
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
  fromStep?: (e: Float64Array) => number;
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

/** Symbols with no exact form (logs of magnitudes, eigenvector projections): claims using them are float64 only. */
export function FLOAT_ONLY(model: DerivedModel): string[] {
  return [...model.params.map((p) => `log10abs_${p}`), 'gTop'];
}

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
  return defs;
}

function isDraw(x: unknown): x is Draw {
  if (typeof x === 'number') return true;
  return typeof x === 'object' && x !== null && typeof (x as any).min === 'number' && typeof (x as any).max === 'number';
}

export function compileLemma(spec: LemmaSpec, model: DerivedModel, file: string): CompiledLemma {
  const id = typeof spec?.id === 'string' ? spec.id : undefined;
  const fail = (field: string, detail: string): never => {
    throw new LemmaError(file, id, field, detail);
  };
  if (typeof spec !== 'object' || spec === null) fail('(lemma)', 'the default export must be a lemma object (use defineLemma)');
  if (!id || !/^[a-z0-9][a-z0-9-]*$/.test(id)) fail('id', `must be lower-case words joined by '-', got ${JSON.stringify(spec.id)}`);
  for (const f of ['title', 'description'] as const) if (typeof spec[f] !== 'string' || spec[f].trim() === '') fail(f, 'must be a non-empty string');
  if (!PROVENANCE.includes(spec.provenance)) fail('provenance', `must be one of ${PROVENANCE.join(', ')}, got ${JSON.stringify(spec.provenance)}`);
  const claims = model.spec.claims?.map((c) => c.id);
  if (claims ? !claims.includes(spec.claim) : typeof spec.claim !== 'string' || !/^[A-Za-z][A-Za-z0-9.-]{0,23}$/.test(spec.claim))
    fail('claim', claims ? `must be one of the model's claims ${claims.join(', ')}, got ${JSON.stringify(spec.claim)}${typeof spec.claim === 'string' ? didYouMean(spec.claim, claims) : ''}` : `must be a short claim id (a letter, then letters, digits, '.', '-'), got ${JSON.stringify(spec.claim)}`);
  if (spec.expect !== 'holds' && spec.expect !== 'fails') fail('expect', `must be "holds" or "fails", got ${JSON.stringify(spec.expect)}`);
  const q = spec.quantifier;
  if (typeof q !== 'object' || q === null || !quantifierKind((q as any).kind))
    fail('quantifier.kind', `must be one of ${QUANTIFIER_KINDS.map((k) => k.kind).join(', ')}, got ${JSON.stringify((q as any)?.kind)}${typeof (q as any)?.kind === 'string' ? didYouMean((q as any).kind, QUANTIFIER_KINDS.map((k) => k.kind)) : ''}`);
  const steps = spec.steps ?? 2000;
  if (!Number.isInteger(steps) || steps < 1 || steps > 1e7) fail('steps', `must be an integer in [1, 1e7], got ${spec.steps}`);
  const runs = spec.runs ?? 100;
  if (!Number.isInteger(runs) || runs < 1 || runs > 1e6) fail('runs', `must be an integer in [1, 1e6], got ${spec.runs}`);

  // Hypotheses: one draw per hyper and per parameter.
  const h = spec.hypotheses;
  if (typeof h !== 'object' || h === null) fail('hypotheses', 'missing');
  const draws = (group: 'hyper' | 'init', names: string[]): DrawSpec[] => {
    const g = (h as any)[group];
    if (typeof g !== 'object' || g === null) fail(`hypotheses.${group}`, 'missing');
    for (const k of Object.keys(g)) if (!names.includes(k)) fail(`hypotheses.${group}.${k}`, `unknown name; the model has ${names.join(', ')}`);
    return names.map((n) => {
      const d = g[n];
      const field = `hypotheses.${group}.${n}`;
      if (d === undefined) fail(field, 'missing');
      if (!isDraw(d)) fail(field, 'must be a number or {min, max, scale?}');
      if (typeof d === 'number') {
        if (!Number.isFinite(d)) fail(field, `must be finite, got ${d}`);
        return { name: n, draw: { fixed: d } };
      }
      if (!Number.isFinite(d.min) || !Number.isFinite(d.max)) fail(field, 'min and max must be finite');
      if (d.min > d.max) fail(field, `empty range: min ${d.min} > max ${d.max}`);
      if (d.scale !== undefined && d.scale !== 'uniform' && d.scale !== 'log') fail(`${field}.scale`, `must be "uniform" or "log", got ${JSON.stringify(d.scale)}`);
      if (d.scale === 'log' && !(d.min > 0)) fail(field, 'a log-uniform range needs min > 0');
      return { name: n, draw: d };
    });
  };
  const hyperDraws = draws('hyper', model.hypers);
  const initDraws = draws('init', model.params);
  const eta = hyperDraws.find((d) => d.name === 'eta')!;
  if ('fixed' in eta.draw ? !(eta.draw.fixed > 0) : !(eta.draw.min > 0)) fail('hypotheses.hyper.eta', 'eta must be > 0 on the whole range');

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
  const constNames = Object.keys(spec.constants ?? {});
  for (const c of constNames) {
    if (slots.has(c)) fail(`constants.${c}`, 'name clashes with a model symbol');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(c)) fail(`constants.${c}`, 'not a valid name');
    add(c);
  }

  // Exact forms: every derived symbol inlined down to primitives.
  const defs = new Map<string, MathNode>();
  for (const suf of SUFFIXES) for (const [k, v] of stateDefinitions(model, suf)) defs.set(k, v);
  defs.set('charpoly_H', charpoly(model));
  const fslots = new Map([...slots].map(([k, i]) => [k, `e[${i}]`]));
  const compileF = (node: MathNode) => buildFunction<(e: Float64Array) => number>(['e'], `return ${floatSource(node, fslots)};`);

  // Start-time symbols: constants, where and from may only use hypers, _0 symbols, earlier constants and T_event.
  const startSyms = new Set<string>([...model.hypers, ...stateSyms.map((s) => `${s}_0`), 'T_event']);
  const constants: CompiledLemma['constants'] = [];
  for (const c of constNames) {
    const node = wrap(() => parseExpr(spec.constants![c], startSyms, `${file} [${id}]: constants.${c}`), file, id, `constants.${c}`);
    constants.push({ name: c, f: compileF(node), exact: substitute(node, defs) });
    defs.set(c, substitute(node, defs));
    startSyms.add(c);
  }
  const allSyms = new Set(slots.keys());
  const used = new Set<string>();
  const floatOnlySyms = new Set([...FLOAT_ONLY(model).flatMap((x) => SUFFIXES.map((suf) => x + suf)), ...stateSyms.map((x) => `${x}_flow`)]);
  const fiSlots = new Map<string, number>();
  const fiSlot = (name: string) => {
    let i = fiSlots.get(name);
    if (i === undefined) fiSlots.set(name, (i = fiSlots.size));
    return i;
  };
  for (const hp of model.hypers) fiSlot(hp);
  const kernelFor = (trees: MathNode[], uses: Set<string>): IntervalKernel | undefined =>
    [...uses].some((u) => floatOnlySyms.has(u)) ? undefined : compileIntervalKernel(trees, fiSlot);
  const comparison = (text: unknown, field: string, syms: ReadonlySet<string>): CompiledComparison => {
    const c = wrap(() => parseComparison(text, syms, `${file} [${id}]: ${field}`), file, id, field);
    for (const side of [c.lhs, c.rhs]) for (const s of freeSymbols(side)) used.add(s);
    const lhsExact = substitute(c.lhs, defs);
    const rhsExact = substitute(c.rhs, defs);
    const uses = new Set([...freeSymbols(lhsExact), ...freeSymbols(rhsExact)]);
    return {
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
    };
  };
  const whereSyms = new Set<string>([...model.hypers, ...model.params.map((p) => `${p}_0`), ...[...model.quantities.keys(), 'L'].map((q) => `${q}_0`)]);
  const where = (h.where ?? []).map((w, i) => comparison(w, `hypotheses.where[${i}]`, whereSyms));
  const statementsText = Array.isArray(spec.statement) ? spec.statement : [spec.statement];
  if (statementsText.length === 0) fail('statement', 'is empty');
  const statements = statementsText.map((s, i) => comparison(s, statementsText.length > 1 ? `statement[${i}]` : 'statement', allSyms));

  const out: CompiledLemma = {
    spec,
    definition: JSON.parse(JSON.stringify(spec)),
    file,
    id: id!,
    hyperDraws,
    initDraws,
    where,
    statements,
    constants,
    quantifier: q,
    slots,
    symbols: [...slots.keys()],
    steps,
    runs,
    suffixes: new Set(),
    usesS: false,
    floatOnly: false,
    when: [],
    along: [],
    trigger: [],
    fiSlots,
  };
  const rawAlong: unknown = h.along ?? [];
  if (!Array.isArray(rawAlong)) fail('hypotheses.along', 'must be a list of comparisons');
  const alongText = rawAlong as unknown[];
  if (quantifierKind(q.kind)!.mode === 'prove' && alongText.length > 0) fail('hypotheses.along', 'an identity has no trajectory: put state restrictions in quantifier.when');
  out.along = alongText.map((w, i) => comparison(w, `hypotheses.along[${i}]`, allSyms));
  // The quantifier's own fields, as its kind declares them (src/lemma/quantifiers/).
  const qq = q as any;
  const kind = quantifierKind(q.kind)!;
  for (const key of Object.keys(qq))
    if (key !== 'kind' && !(key in kind.fields))
      fail(`quantifier.${key}`, `not a field of ${q.kind} (its fields: ${Object.keys(kind.fields).join(', ') || 'none'})${didYouMean(key, Object.keys(kind.fields))}`);
  for (const [name, f] of Object.entries(kind.fields)) {
    const raw = qq[name];
    const field = `quantifier.${name}`;
    if (raw === undefined) {
      if (f.required) fail(field, f.why ?? `${q.kind} needs ${name}`);
      continue;
    }
    if (f.type === 'comparisons') {
      const list: unknown[] = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0 || list[0] === undefined) fail(field, f.why ?? `${q.kind} needs ${name}`);
      const compiled = list.map((w, i) => comparison(w, list.length > 1 ? `${field}[${i}]` : field, allSyms));
      if (name === 'when') out.when = compiled;
      else if (name === 'trigger') out.trigger = compiled;
    } else if (f.type === 'comparison') {
      if (name === 'event') out.event = comparison(raw, field, allSyms);
    } else {
      // A window length may depend on the state at the trigger; `from` only on the start (and T_event).
      const node = wrap(() => parseExpr(raw, f.type === 'state-expression' ? allSyms : startSyms, `${file} [${id}]: ${field}`), file, id, field);
      if (f.type === 'state-expression') for (const s of freeSymbols(node)) used.add(s);
      if (name === 'within') out.withinSteps = compileF(node);
      else if (name === 'from') out.fromStep = compileF(node);
    }
  }
  if (spec.tightness) {
    const t = spec.tightness;
    if (!constNames.includes(t.constant)) fail('tightness.constant', `"${t.constant}" is not one of the lemma's constants (${constNames.join(', ') || 'none'})`);
    const needed = wrap(() => parseExpr(t.needed, allSyms, `${file} [${id}]: tightness.needed`), file, id, 'tightness.needed');
    for (const s of freeSymbols(needed)) used.add(s);
    const neededExact = substitute(needed, defs);
    const neededUses = freeSymbols(neededExact);
    const rigorous = ![...neededUses].some((u) => floatOnlySyms.has(u));
    out.tightness = { constant: t.constant, needed: compileF(needed), neededExact, neededUses, neededUsesS: [...neededUses].some(isSharpness), neededKernel: kernelFor([neededExact], neededUses), neededDD: rigorous ? compileDDKernel([neededExact], fiSlot) : undefined };
  }
  if (kind.mode === 'prove') {
    for (const s of used) {
      if (/(_0|_flow)$/.test(s) || s === 't' || s === 'T_event' || FLOAT_ONLY(model).some((f) => s === f || s === `${f}_next`))
        fail('statement', `an identity is a statement for every theta: "${s}" is not available (use parameters, hypers, quantities, L, S, g_<param>, and _next for one GD step)`);
    }
  }
  if (kind.mode === 'prove') {
    // The prover would read an implicit quantity as a free variable: proofs would stay sound, but a
    // counterexample at a value that is not the root would not be one.
    const implicitUses = [...out.statements, ...out.when].flatMap((c) => [...c.uses]).filter((u) => model.implicit.has(u.replace(/_(0|next|flow)$/, '')));
    if (implicitUses.length > 0)
      fail('statement', `an identity cannot use the implicit quantity ${implicitUses[0]} (a root of a polynomial, which the prover cannot represent); state it along trajectories (every-step) instead`);
  }
  if (kind.mode !== 'prove') for (const s of used) if (s === 'mu' || s === 'charpoly_H') fail('statement', `"${s}" is only available in identities`);
  if (kind.mode !== 'flow') for (const s of used) if (s.endsWith('_flow')) fail('statement', `"${s}" needs quantifier kind flow-limit`);
  if (!kind.allowsNext) for (const s of used) if (s.endsWith('_next')) fail('statement', `"${s}": there is no next iterate at the end`);
  for (const s of used) {
    for (const suf of ['_0', '_next', '_flow']) if (s.endsWith(suf)) out.suffixes.add(suf);
  }
  out.usesS = [...used].some((s) => /^S(_0|_next|_flow)?$/.test(s));
  const floatOnly = new Set(FLOAT_ONLY(model).flatMap((s) => SUFFIXES.map((x) => s + x)));
  out.floatOnly = kind.floatOnly || [...used].some((s) => floatOnly.has(s));
  return out;
}

function wrap<T>(f: () => T, file: string, id: string | undefined, field: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExprError) {
      const msg = e.message.replace(/^.*?: (?=[^:]*$)/, '');
      throw new LemmaError(file, id, field, e.message.slice(e.where.length + 2) || msg);
    }
    throw e;
  }
}

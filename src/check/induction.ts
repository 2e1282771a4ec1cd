import { parse, SymbolNode, type MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { definedness, type Definedness } from '../symbolic/algebra.js';
import { freeSymbols, parseComparison, substitute, type Comparison } from '../symbolic/expr.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { compileLemma, FLOAT_ONLY, stateSymbols, type CompiledLemma } from '../lemma/compile.js';
import type { Draw, LemmaSpec } from '../lemma/types.js';
import { LemmaError } from '../lemma/errors.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { decideIdentity, type IdentityDecision } from './identity-decision.js';
import type { RegionCertificate } from './region-certificate.js';

/**
 * Proofs for whole trajectories: a claim about every start and every t >= 0 reduced to one-step claims
 * ("obligations"), each decided by the identity ladder (check/identity-decision.ts: the region prover
 * where the set is bounded, else expansion, Z3 and the reductions), the way a deductive verifier
 * discharges a loop invariant.
 *
 * - `invariant` (I): initiation (every start allowed by the hypotheses is in I), consecution (I implies
 *   I_next, one exact GD step, for every hyperparameter in range), use (I implies the statement).
 * - `leads-to` (F, G, V): the starts lie in F; on F minus G, V >= 0 and V_next <= V - d (or V >= m and
 *   V_next <= c V) and F_next holds; the closed set J (the `invariant`, or F and G) contains F and G, is
 *   kept by the step and implies the statement; d > 0 (or c < 1 and m > 0) over the hyperparameter ranges.
 *   Then every orbit meets G within N steps (N from sup V_0 over the starts) and stays in J.
 *
 * Slack certificates (kind invariant, lemma/types.ts KeptRelation): a relation of I tight at a fixed point on I's
 * boundary makes "I implies the relation one step later" undecidable by enclosures (a box around the point holds
 * points outside I) and hard for Z3. Its certificate writes the slack s (>= 0 on I) one step later as a sum of terms
 * at the current theta; the relation's consecution is then two kinds of one-step claim: the identity
 * s_next == sum of terms for every theta (consecution-identity: expansion), and I implies term >= 0 for each term
 * (consecution-term: the ladder over I's box; a term with a premise's slack as a factor takes that premise's sign,
 * so it is not tight). Then s >= 0 on I gives s_next >= 0. Where a certificate's claims are not all proved, the
 * relation goes back into the plain consecution obligation, and the row says which claim failed.
 *
 * Partial terms: a set's relations hold where they are defined and true (README, "Partial terms"), so an
 * obligation whose conclusion is used later as a premise (I_next, F_next, a start in I) also claims the
 * definedness of its terms (sqrt's argument >= 0, a denominator != 0, stated as (d)^2 > 0); F minus G is
 * split into one piece per relation of G negated and one per definedness condition of G failing.
 */

export type ObligationName =
  | 'initiation'
  | 'consecution'
  | 'consecution-identity'
  | 'consecution-weight'
  | 'consecution-term'
  | 'use'
  | 'use-identity'
  | 'use-weight'
  | 'use-term'
  | 'starts-in-from'
  | 'from-kept'
  | 'ranking'
  | 'target-in-invariant'
  | 'invariant-kept'
  | 'invariant-use'
  | 'constants';

/** One one-step claim of an induction proof and its verdict, as the JSON report carries it. */
export interface ObligationRecord {
  name: ObligationName;
  /** The claim as premises => conclusions, in the lemma's own expressions. */
  claim: string;
  status: 'proved' | 'vacuous' | 'refuted' | 'undecided' | 'not-attempted';
  established: 'proved-expansion' | 'proved-z3' | 'proved-region' | null;
  detail: string;
  /** The certificate of a proved obligation: SMT-LIB2, the expanded sides, or the region proof's box tree. */
  certificate: string | null;
  regionCertificate: RegionCertificate | null;
  /** An exact point where the premises hold and a conclusion fails (a counterexample to induction for consecution). */
  witness: Record<string, string> | null;
}

export type InductionResult =
  | { status: 'proved'; obligations: ObligationRecord[]; detail: string; stepBound: number | null }
  /** Initiation or use failed at an exact point: the lemma's stated invariant (or from-set) is wrong there. */
  | { status: 'refuted'; obligations: ObligationRecord[]; statement: string; witness: Record<string, string>; detail: string }
  /** No start satisfies the hypotheses. */
  | { status: 'vacuous'; obligations: ObligationRecord[]; detail: string }
  /** The proof did not go through (a counterexample to induction, or an undecided obligation): sample instead. */
  | { status: 'not-proved'; obligations: ObligationRecord[]; detail: string };

/** A slack certificate: of I's relation `index` (kept, one step later) or of the statement `index` (use). */
interface Slack {
  of: 'kept' | 'use';
  index: number;
  relation: string;
  terms: string[];
  weight: string | null;
}

const slackKey = (of: Slack['of'], index: number) => `${of}:${index}`;

interface Obligation {
  name: ObligationName;
  /** A claim of this slack certificate (its failure sends the relation back to its plain obligation). */
  certifies?: Slack;
  /** Consecution or use with certificates: the conclusions by index (I_next's relations, or the statements); those whose certificate is proved are dropped. */
  perRelation?: { of: Slack['of']; conclusions: string[]; unchanged?: number[] };
  /** `hypotheses.params` of the one-step claim (a box of theta), or none (every theta). */
  params: Record<string, Draw> | undefined;
  premises: string[];
  /** The claims; compileObligation adds the definedness conditions of a total obligation's. */
  conclusions: string[];
  /** The conclusions are used as premises later: their terms must be defined too. */
  total: boolean;
  /** Refuted means the lemma is false (initiation, use), not that the induction failed. */
  refutes: boolean;
  /** Vacuous means no start satisfies the hypotheses (initiation). */
  aboutStarts: boolean;
  /** Decided in its place where this one is not proved (a product term's whole-term claim, after its factor-wise one). */
  fallback?: Obligation;
}

/**
 * The factors of a product as written ((a)*(b*c) gives a, b, c), or the term alone. A certificate's term that is a
 * product is claimed factor by factor first (each factor >= 0 on I implies the product is): a factor vanishing on
 * part of I (C8's (E11 E22 - E12^2) (alpha beta2 - 1)^2, zero on the minimizer curve) makes the product tight there,
 * where no enclosure of the product over a box around such a point separates it from 0, while each factor alone is
 * decided at once (the square by its form, the other with room).
 */
function productFactors(term: string): string[] {
  const out: string[] = [];
  const walk = (n: MathNode): void => {
    let m = n;
    while (m.type === 'ParenthesisNode') m = (m as unknown as { content: MathNode }).content;
    const op = m as unknown as { type: string; fn?: string; args?: MathNode[] };
    if (op.type === 'OperatorNode' && op.fn === 'multiply' && op.args) op.args.forEach(walk);
    else out.push(text(m));
  };
  try {
    walk(parse(term));
  } catch {
    return [term];
  }
  return out.length > 1 ? out : [term];
}

const NEGATED: Record<Comparison['rel'], Comparison['rel'][]> = { '<': ['>='], '<=': ['>'], '>': ['<='], '>=': ['<'], '==': ['<', '>'] };

/** Expression text of a node that parses back to the same tree (explicit parentheses everywhere). */
function text(n: MathNode): string {
  return n.toString({ parenthesis: 'auto', implicit: 'show' });
}

/** The definedness conditions of the terms that can fail: one over constants only (1/2's "2 != 0") is decided here and dropped when it holds. */
function conditions(nodes: MathNode[]): Definedness[] {
  return nodes.flatMap(definedness).filter((d) => {
    if (freeSymbols(d.expr).size > 0) return true;
    try {
      const v = evalInterval(d.expr, new Map());
      const zero = Rational.fromInt(0);
      return !(d.is === '>= 0' ? !v.lo.lt(zero) : d.is === '> 0' ? v.lo.gt(zero) : v.lo.gt(zero) || v.hi.lt(zero));
    } catch {
      return true;
    }
  });
}

/**
 * A lemma's relations as text for its one-step claims: parsed over the state (with _0 and _next), the
 * hypers, its constants, t and T_event; renamed to the next step or to the state; negated piece by piece.
 * Also used by box-invariant.ts for the set boxes of starts may enter. `where` names the relations in a
 * parse error (default: the lemma).
 */
export class Texts {
  readonly syms: Set<string>;
  private readonly state: string[];
  private readonly where: string;
  constructor(model: DerivedModel, lemma: CompiledLemma, where?: string) {
    this.state = stateSymbols(model).filter((s) => !FLOAT_ONLY(model).includes(s));
    this.syms = new Set([...model.hypers, ...this.state.flatMap((s) => [s, `${s}_0`, `${s}_next`]), ...Object.keys(lemma.spec.constants ?? {}), 't', 'T_event']);
    this.where = where ?? `${lemma.file} [${lemma.id}]`;
  }
  parse(t: string): Comparison {
    return parseComparison(t, this.syms, this.where);
  }
  print(c: Comparison): string {
    return `${text(c.lhs)} ${c.rel} ${text(c.rhs)}`;
  }
  /** Parse also these names (the variables of start values, StartValues). */
  know(names: Iterable<string>): void {
    for (const n of names) this.syms.add(n);
  }
  /** The state symbols (parameters, quantities, L, S, g_*, H_*) of the relations, for "reads the state". */
  isState(s: string): boolean {
    return this.state.includes(s);
  }
  rename(t: string, from: (s: string) => string | undefined): string {
    const c = this.parse(t);
    const defs = new Map<string, MathNode>();
    for (const s of [...freeSymbols(c.lhs), ...freeSymbols(c.rhs)]) {
      const to = from(s);
      if (to !== undefined) defs.set(s, new SymbolNode(to));
    }
    return this.print({ lhs: substitute(c.lhs, defs), rel: c.rel, rhs: substitute(c.rhs, defs) });
  }
  /** The relation one exact GD step later: every state symbol X read as X_next. */
  next(t: string): string {
    return this.rename(t, (s) => (this.state.includes(s) ? `${s}_next` : undefined));
  }
  /** A start relation (over X_0) read at the state: X_0 as X. */
  atState(t: string): string {
    return this.rename(t, (s) => (s.endsWith('_0') && this.state.includes(s.slice(0, -2)) ? s.slice(0, -2) : undefined));
  }
  uses(t: string, test: (s: string) => boolean): boolean {
    const c = this.parse(t);
    return [...freeSymbols(c.lhs), ...freeSymbols(c.rhs)].some(test);
  }
  /** The pieces of "not (g_1 and ... and g_k)": each relation negated, and each definedness condition of a relation failing. */
  negation(relations: readonly string[], exact: (t: string) => Comparison): string[] {
    const out: string[] = [];
    for (const g of relations) {
      const c = this.parse(g);
      for (const rel of NEGATED[c.rel]) out.push(this.print({ ...c, rel }));
      const e = exact(g);
      for (const d of conditions([e.lhs, e.rhs])) {
        const x = text(d.expr);
        if (d.is === '>= 0') out.push(`${x} < 0`);
        else if (d.is === '> 0') out.push(`${x} <= 0`);
        else out.push(`${x} == 0`);
      }
    }
    return [...new Set(out)];
  }
}

/** A relation or statement as written, spaces aside: how the certificates and premises name one. */
const squash = (t: string) => t.replace(/\s+/g, '');

/** A hypothesis draw as an exact interval (its ends read as the provers read ranges). */
function drawInterval(d: Draw): Interval {
  return typeof d === 'number' ? Interval.point(constantToRational(d)) : new Interval(constantToRational(d.min), constantToRational(d.max));
}

/** The hyperparameters' and the starts' ranges, for enclosing an expression over every start. */
function startEnv(lemma: CompiledLemma): Map<string, Interval> {
  const env = new Map<string, Interval>();
  for (const [k, d] of Object.entries(lemma.spec.hypotheses.hyper)) env.set(k, drawInterval(d));
  for (const [k, d] of Object.entries(lemma.spec.hypotheses.init ?? {})) env.set(k, drawInterval(d));
  return env;
}

/**
 * An exact interval as doubles: each end read back as the double's shortest decimal (constantToRational, as the
 * provers read ranges), the end itself where that is exact (0.02 is 1/50), otherwise one ulp outward; null where an
 * end is not finite.
 */
function outwardDoubles(v: Interval): { min: number; max: number } | null {
  const exactEnd = (x: Rational, n: number) => Number.isFinite(n) && constantToRational(n).eq(x);
  const min = exactEnd(v.lo, v.lo.toNumber()) ? v.lo.toNumber() : nextDown(v.lo.toNumber());
  const max = exactEnd(v.hi, v.hi.toNumber()) ? v.hi.toNumber() : nextUp(v.hi.toNumber());
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : null;
}

/** A box around the set the relations describe: a parameter bounded on both sides by constants (exact ends, else widened one ulp outward). */
export function boundingBox(model: DerivedModel, texts: Texts, relations: readonly string[]): Record<string, Draw> | undefined {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const r of relations) {
    const c = texts.parse(r);
    for (const [a, rel, b] of [
      [c.lhs, c.rel, c.rhs],
      [c.rhs, ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' } as const)[c.rel], c.lhs],
    ] as const) {
      if (!(a instanceof SymbolNode) || !model.params.includes(a.name) || freeSymbols(b).size > 0) continue;
      let v: Interval;
      try {
        v = evalInterval(b, new Map());
      } catch {
        continue;
      }
      // An end that is the constant exactly leaves no sliver outside the set where its relation is undecided (the region
      // prover would spend its box budget splitting such slivers).
      const ends = outwardDoubles(v);
      if (ends === null) continue;
      if (rel === '<=' || rel === '<' || rel === '==') hi.set(a.name, Math.min(hi.get(a.name) ?? Infinity, ends.max));
      if (rel === '>=' || rel === '>' || rel === '==') lo.set(a.name, Math.max(lo.get(a.name) ?? -Infinity, ends.min));
    }
  }
  const box: Record<string, Draw> = {};
  for (const p of model.params) if (lo.has(p) && hi.has(p) && lo.get(p)! <= hi.get(p)!) box[p] = { min: lo.get(p)!, max: hi.get(p)! };
  return Object.keys(box).length > 0 ? box : undefined;
}

/**
 * Start values in an induction proof (X_0 in the sets, the statements, the certificates and the constants). X_0 does
 * not change along an orbit, so every one-step claim after initiation reads it as a variable of its own, X_start,
 * ranging over X's enclosure on the starts: a hyperparameter the GD step does not read. Each claim is then proved for
 * every value in that range, not only at X(theta_0): a stronger claim, so the proof stays sound, and a claim about
 * theta and C_0 has one more variable, not three (the start's parameters). Initiation reads X_0 as X (the state is
 * the start). The hypotheses' `where` relations over start values hold along the orbit too: they are premises of the
 * claims that read all their start values. Only the claims that read a start value get its variable (an idle
 * variable would still be split now and then by the region prover).
 */
export class StartValues {
  /** X_0 -> its variable. */
  readonly names = new Map<string, string>();
  /** Its variable -> X_0. */
  private readonly back = new Map<string, string>();
  readonly ranges: Record<string, { min: number; max: number }> = {};
  /** Constant -> the start values its definition reads, through earlier constants too. */
  private readonly constantReads = new Map<string, Set<string>>();
  private readonly models = new Map<string, DerivedModel>();

  constructor(
    private readonly model: DerivedModel,
    private readonly lemma: CompiledLemma,
    private readonly texts: Texts,
  ) {
    const constants = lemma.spec.constants ?? {};
    for (const [k, v] of Object.entries(constants)) {
      const c = texts.parse(`(${v}) >= 0`);
      const reads = new Set<string>();
      for (const s of [...freeSymbols(c.lhs), ...freeSymbols(c.rhs)]) {
        if (this.isStart(s)) reads.add(s);
        for (const r of this.constantReads.get(s) ?? []) reads.add(r);
      }
      this.constantReads.set(k, reads);
    }
  }

  private isStart(s: string): boolean {
    return s.endsWith('_0') && this.texts.isState(s.slice(0, -2));
  }

  /** The start values the relations read, directly, through constants, or as a variable already frozen. */
  reads(relations: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const t of relations) {
      const c = this.texts.parse(t);
      for (const s of [...freeSymbols(c.lhs), ...freeSymbols(c.rhs)]) {
        if (this.isStart(s)) out.add(s);
        const b = this.back.get(s);
        if (b !== undefined) out.add(b);
        for (const r of this.constantReads.get(s) ?? []) out.add(r);
      }
    }
    return out;
  }

  /** Gives each start value the relations read a variable and its range; a string says why one cannot have one. */
  declare(relations: readonly string[]): string | null {
    for (const x of this.reads(relations)) {
      if (this.names.has(x)) continue;
      const state = x.slice(0, -2);
      let v: Interval;
      try {
        const exact = compileLemma(
          {
            id: `${this.lemma.id}--start-value`,
            title: 'start value',
            claim: this.lemma.spec.claim,
            provenance: this.lemma.spec.provenance,
            description: 'the range of a start value',
            hypotheses: { hyper: this.lemma.spec.hypotheses.hyper },
            quantifier: { kind: 'identity' },
            statement: `${state} >= 0`,
            expect: 'holds',
          },
          this.model,
          this.lemma.file,
        ).statements[0]!.lhsExact;
        v = evalInterval(exact, startEnv(this.lemma));
      } catch {
        return `the start value ${x} has no enclosure over the starts (S and implicit quantities have none here)`;
      }
      const range = outwardDoubles(v);
      if (range === null) return `the start value ${x} is not bounded over the starts`;
      let name = `${state}_start`;
      while (this.texts.syms.has(name) || this.model.hypers.includes(name) || this.model.params.includes(name)) name += '_';
      this.names.set(x, name);
      this.back.set(name, x);
      this.ranges[name] = range;
      this.texts.know([name]);
    }
    return null;
  }

  private freeze(t: string, reads: Set<string>): string {
    return this.texts.rename(t, (s) => (reads.has(s) ? this.names.get(s) : undefined));
  }

  /** A claim's spec with the start values it reads frozen, and the model with their variables as hyperparameters. */
  frozen(spec: LemmaSpec, reads: Set<string>, where: readonly string[]): { spec: LemmaSpec; model: DerivedModel } {
    const vars = [...reads].map((x) => this.names.get(x)!).sort();
    const key = vars.join(',');
    let model = this.models.get(key);
    if (!model) this.models.set(key, (model = { ...this.model, hypers: [...this.model.hypers, ...vars], hash: `${this.model.hash}+${key}` }));
    const q = spec.quantifier as { kind: string; when?: string[] };
    const whereStarts = where.filter((w) => {
      const r = this.reads([w]);
      return r.size > 0 && [...r].every((x) => reads.has(x));
    });
    const constants = spec.constants
      ? Object.fromEntries(Object.entries(spec.constants).map(([k, v]) => [k, this.freeze(`(${v}) >= 0`, reads).replace(/ >= 0$/, '')]))
      : undefined;
    const out: LemmaSpec = {
      ...spec,
      hypotheses: {
        ...spec.hypotheses,
        hyper: { ...spec.hypotheses.hyper, ...Object.fromEntries(vars.map((v) => [v, this.ranges[v]!])) },
        ...(spec.hypotheses.where?.length || whereStarts.length ? { where: [...(spec.hypotheses.where ?? []), ...whereStarts.map((w) => this.freeze(w, reads))] } : {}),
      },
      quantifier: q.when ? { ...q, when: q.when.map((w) => this.freeze(w, reads)) } : q,
      ...(constants ? { constants } : {}),
      statement: (Array.isArray(spec.statement) ? spec.statement : [spec.statement]).map((s) => this.freeze(String(s), reads)),
    } as LemmaSpec;
    return { spec: out, model };
  }

  /** A claim's text with each variable read back as its start value. */
  display(t: string): string {
    let out = t;
    for (const [v, x] of this.back) out = out.replace(new RegExp(`\\b${v}\\b`, 'g'), x);
    return out;
  }
}

function list(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** A relation's slack, >= 0 where it holds: rhs - lhs for <=, lhs - rhs for >= (the certificate's orientation). */
function slack(lemma: CompiledLemma, texts: Texts, relation: string): string {
  const c = texts.parse(relation);
  if (c.rel !== '<=' && c.rel !== '>=') throw new LemmaError(lemma.file, lemma.id, 'quantifier.invariant', `a slack certificate needs a relation lhs <= rhs or lhs >= rhs, got "${relation}"`);
  const [hi, lo] = c.rel === '<=' ? [c.rhs, c.lhs] : [c.lhs, c.rhs];
  return `(${text(hi)}) - (${text(lo)})`;
}

/** The one-step claim as a lemma the identity ladder decides (an identity over a box of theta, or every theta). */
function obligationSpec(lemma: CompiledLemma, ob: Obligation, conclusions: string[], hyperWhere: string[]): LemmaSpec {
  const spec = lemma.spec;
  return {
    id: `${lemma.id}--${ob.name}`,
    title: `${ob.name} of ${lemma.id}`,
    claim: spec.claim,
    provenance: spec.provenance,
    description: `obligation ${ob.name} of ${lemma.id}`,
    hypotheses: { hyper: spec.hypotheses.hyper, ...(ob.params ? { params: ob.params } : {}), ...(hyperWhere.length ? { where: hyperWhere } : {}) },
    quantifier: ob.premises.length ? { kind: 'identity', when: ob.premises } : { kind: 'identity' },
    ...(spec.constants ? { constants: spec.constants } : {}),
    statement: conclusions,
    expect: 'holds',
  };
}

/** The definedness conditions of compiled comparisons, as relations (a denominator d != 0 as (d)^2 > 0). */
function definednessClaims(statements: CompiledLemma['statements']): string[] {
  const extra: string[] = [];
  for (const s of statements)
    for (const d of conditions([s.lhsExact, s.rhsExact])) {
      const x = text(d.expr);
      extra.push(d.is === '>= 0' ? `${x} >= 0` : d.is === '> 0' ? `${x} > 0` : `(${x})^2 > 0`);
    }
  return [...new Set(extra)];
}

/**
 * Obligations decided in one run (a verifyFiles call, a worker's job, a shard), by their claim as compiled: the spec
 * without the names of the lemma it came from, and the model it is read against. Lemmas that share an invariant
 * (c8's three stable-phase rows, c10's and c11's for-every-t rows) decide its obligations once. A decision depends on
 * the claim alone (deterministic: box and rlimit counts, no clock), so a hit gives what deciding again would; a new
 * run starts empty, so repeated runs (the determinism tests) still decide everything.
 */
export class ObligationCache {
  private readonly decided = new Map<string, { id: string; d: Promise<IdentityDecision>; names?: boolean }>();
  /** Decisions given again (for tests and profiles). */
  hits = 0;

  async decide(claim: Claim): Promise<IdentityDecision> {
    const { id, title: _title, description: _description, ...spec } = claim.compiled.spec;
    const key = `${claim.model.hash}\n${JSON.stringify(spec)}`;
    const hit = this.decided.get(key);
    if (hit) {
      // A decision whose text names the claim it was made for (Z3's script names it) is another lemma's: decided
      // again. Read only when another claim asks (a region certificate can be large).
      if (hit.id !== id) hit.names ??= JSON.stringify(await hit.d).includes(hit.id);
      if (hit.id === id || !hit.names) {
        this.hits++;
        return hit.d;
      }
      return decideIdentity(claim.model, claim.compiled);
    }
    const d = decideIdentity(claim.model, claim.compiled);
    this.decided.set(key, { id, d });
    return d;
  }
}

/** What every one-step claim of one proof is compiled against. */
interface Ctx {
  model: DerivedModel;
  lemma: CompiledLemma;
  texts: Texts;
  /** The hypotheses' where relations over hyperparameters only. */
  hyperWhere: string[];
  starts: StartValues;
  cache?: ObligationCache;
}

function context(model: DerivedModel, lemma: CompiledLemma, texts: Texts, cache?: ObligationCache): Ctx {
  return { model, lemma, texts, hyperWhere: (lemma.spec.hypotheses.where ?? []).filter((w) => !texts.uses(w, (s) => s.endsWith('_0'))), starts: new StartValues(model, lemma, texts), cache };
}

/** A one-step claim compiled, and the model it is decided against (with its start values' variables as hyperparameters). */
interface Claim {
  compiled: CompiledLemma;
  model: DerivedModel;
}

/** The claim compiled: with the start values it reads frozen (StartValues) where it is not about the starts. */
function compileClaim(ctx: Ctx, ob: Obligation, conclusions: string[]): Claim {
  const spec = obligationSpec(ctx.lemma, ob, conclusions, ctx.hyperWhere);
  const reads = ob.aboutStarts ? new Set<string>() : ctx.starts.reads([...ob.premises, ...conclusions]);
  if (reads.size === 0) return { compiled: compileLemma(spec, ctx.model, ctx.lemma.file), model: ctx.model };
  const f = ctx.starts.frozen(spec, reads, ctx.lemma.spec.hypotheses.where ?? []);
  return { compiled: compileLemma(f.spec, f.model, ctx.lemma.file), model: f.model };
}

/** The obligation compiled, with the definedness of its conclusions added as conclusions where they are used as premises later. */
function compileObligation(ctx: Ctx, ob: Obligation): Claim {
  const first = compileClaim(ctx, ob, ob.conclusions);
  if (!ob.total) return first;
  const extra = definednessClaims(first.compiled.statements).filter((x) => !ob.conclusions.includes(x));
  ob.conclusions = [...ob.conclusions, ...extra];
  return extra.length ? compileClaim(ctx, ob, ob.conclusions) : first;
}

/** The entries of a set field as relations: a slack certificate ({relation, kept}) gives its relation. */
export function setRelations(x: unknown): string[] {
  const entries = x === undefined || x === null ? [] : Array.isArray(x) ? x : [x];
  return entries.map((e) => (typeof e === 'object' && e !== null && 'relation' in e ? String((e as { relation: unknown }).relation) : String(e)));
}

/**
 * The slack certificates of kind invariant: those of I's relations (quantifier.invariant entries {relation, kept,
 * weight}) and those of the statements (quantifier.use, {relation, terms, weight}, matched to a statement's index).
 */
function slackCertificates(lemma: CompiledLemma): Slack[] {
  const q = lemma.spec.quantifier as Record<string, unknown>;
  const entries = (x: unknown): unknown[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
  const weight = (e: Record<string, unknown>) => (typeof e.weight === 'string' ? e.weight : null);
  const out: Slack[] = [];
  entries(q.invariant).forEach((e, i) => {
    if (typeof e === 'object' && e !== null && Array.isArray((e as { kept?: unknown }).kept)) {
      const r = e as Record<string, unknown>;
      out.push({ of: 'kept', index: i, relation: String(r.relation), terms: (r.kept as unknown[]).map(String), weight: weight(r) });
    }
  });
  const statements = list(lemma.spec.statement).map(squash);
  for (const e of entries(q.use)) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    const index = statements.indexOf(squash(String(r.relation)));
    if (index >= 0 && Array.isArray(r.terms)) out.push({ of: 'use', index, relation: String(r.relation), terms: r.terms.map(String), weight: weight(r) });
  }
  return out;
}

/**
 * A certificate's one-step claims: the identity weight * s == sum of terms (s one step later for a relation of I,
 * at the state for a statement), for every theta; on I (and the premises), weight > 0 and each term >= 0.
 */
function certificateObligations(lemma: CompiledLemma, texts: Texts, c: Slack, box: Record<string, Draw> | undefined, premises: string[]): Obligation[] {
  const s = slack(lemma, texts, c.relation);
  const lhs = c.of === 'kept' ? texts.next(`${s} >= 0`).replace(/ >= 0$/, '') : s;
  const weighted = c.weight === null ? lhs : `(${c.weight}) * (${lhs})`;
  const [identity, weight, term] = c.of === 'kept' ? (['consecution-identity', 'consecution-weight', 'consecution-term'] as const) : (['use-identity', 'use-weight', 'use-term'] as const);
  const onI = (name: ObligationName, conclusions: string[]): Obligation => ({ name, certifies: c, params: box, premises, conclusions, total: true, refutes: false, aboutStarts: false });
  const termObligation = (t: string): Obligation => {
    const whole = onI(term, [`${t} >= 0`]);
    const factors = productFactors(t);
    return factors.length > 1 ? { ...onI(term, factors.map((f) => `${f} >= 0`)), fallback: whole } : whole;
  };
  return [
    { name: identity, certifies: c, params: undefined, premises: [], conclusions: [`${weighted} == ${c.terms.map((t) => `(${t})`).join(' + ')}`], total: false, refutes: false, aboutStarts: false },
    ...(c.weight === null ? [] : [onI(weight, [`${c.weight} > 0`])]),
    ...c.terms.map(termObligation),
  ];
}

function claimText(ob: Obligation, display: (t: string) => string): string {
  const p = ob.premises.length ? ob.premises.map(display).join(' and ') : 'every point of the hypotheses';
  return `${p}${ob.params ? ` (box ${Object.entries(ob.params).map(([k, d]) => (typeof d === 'number' ? `${k} = ${d}` : `${k} in [${d.min}, ${d.max}]`)).join(', ')})` : ''}  =>  ${ob.conclusions.map(display).join(' and ')}`;
}

/**
 * The obligations of the lemma's induction proof, or why it cannot be set up. For boxes of starts (`reach`, kind
 * invariant) there is no initiation, and the use obligation has the `when` premises too (box-reach.ts asserts the
 * statement only where they may hold).
 */
function obligations(ctx: Ctx, reach = false): Obligation[] | string {
  const obs = setUp(ctx, reach);
  if (typeof obs === 'string') return obs;
  for (const ob of obs) {
    const texts = [ob, ...(ob.fallback ? [ob.fallback] : [])].flatMap((o) => [...o.premises, ...o.conclusions]);
    if (ob.aboutStarts) {
      const r = [...ctx.starts.reads(texts)];
      if (r.length) return `${ob.name} reads ${r.join(', ')} through a constant: at the start such a constant is not an expression of the state the prover can state`;
      continue;
    }
    const why = ctx.starts.declare(texts);
    if (why !== null) return why;
  }
  return obs;
}

function setUp(ctx: Ctx, reach: boolean): Obligation[] | string {
  const { model, lemma, texts } = ctx;
  const q = lemma.spec.quantifier as Record<string, string | string[] | undefined>;
  const quantifier = lemma.spec.quantifier as Record<string, unknown>;
  const where = lemma.spec.hypotheses.where ?? [];
  const startWhere = where.filter((w) => texts.uses(w, (s) => s.endsWith('_0'))).map((w) => texts.atState(w));
  const init = lemma.spec.hypotheses.init;
  const statements = list(lemma.spec.statement);
  // Start values (X_0) are variables of the one-step claims (StartValues), except for boxes of starts, which have no one start.
  const timeOf = (s: string) => s === 't' || s === 'T_event' || (reach && s.endsWith('_0'));
  const what = reach ? 'start values or t' : 't or T_event';
  const readsStart = (t: string) => texts.uses(t, (s) => timeOf(s) || s.endsWith('_next'));
  const sets = (name: string) => setRelations(quantifier[name]);
  for (const [field, rels] of [['invariant', sets('invariant')], ['from', sets('from')], ['to', sets('to')]] as const)
    for (const r of rels) if (readsStart(r)) return `quantifier.${field} "${r}" reads ${what} or _next: an induction proof needs a set of states (relations over the state, start values, hypers and constants)`;
  for (const s of statements) if (texts.uses(s, timeOf)) return `the statement "${s}" reads ${what}: an induction proof needs a statement about the state (and start values)`;
  const slacks = lemma.quantifier.kind === 'invariant' ? slackCertificates(lemma) : [];
  for (const c of slacks)
    for (const t of [...c.terms, ...(c.weight === null ? [] : [c.weight])])
      if (c.of === 'kept' ? readsStart(`${t} >= 0`) : texts.uses(`${t} >= 0`, timeOf))
        return `the slack certificate's term "${t}" reads ${c.of === 'kept' ? `${what} or _next: the terms of a relation of I are expressions at the current state` : `${what}: the terms of a statement are expressions of the state and its successor`}`;
  const starts = (conclusions: string[], name: ObligationName): Obligation => ({ name, params: init, premises: startWhere, conclusions: conclusions.map((c) => texts.atState(c)), total: true, refutes: true, aboutStarts: true });
  if (lemma.quantifier.kind === 'invariant') {
    const I = sets('invariant');
    const box = boundingBox(model, texts, I);
    // The statement is claimed where the `when` premises hold (kind invariant, and box-reach.ts asserts it only there).
    const usePremises = [...I, ...lemma.when.map((c) => c.text).filter((w) => !I.some((r) => squash(r) === squash(w)))];
    const next = I.map((r) => texts.next(r));
    // A relation over start values, hypers and constants only is the same one step later.
    const unchanged = I.flatMap((r, j) => (texts.uses(r, (x) => texts.isState(x)) ? [] : [j]));
    const of = (k: Slack['of']) => slacks.filter((c) => c.of === k);
    return [
      ...(reach ? [] : [starts(I, 'initiation')]),
      ...of('kept').flatMap((c) => certificateObligations(lemma, texts, c, box, I)),
      { name: 'consecution', params: box, premises: I, conclusions: next, perRelation: of('kept').length || unchanged.length ? { of: 'kept', conclusions: next, unchanged } : undefined, total: true, refutes: false, aboutStarts: false },
      ...of('use').flatMap((c) => certificateObligations(lemma, texts, c, box, usePremises)),
      { name: 'use', params: box, premises: usePremises, conclusions: statements, perRelation: of('use').length ? { of: 'use', conclusions: statements } : undefined, total: false, refutes: true, aboutStarts: false },
    ];
  }
  const F = sets('from');
  const G = sets('to');
  // Where an orbit first meets G it is in F too (a start is in F, and F is kept outside G): J defaults to F and G.
  const J = sets('invariant').length ? sets('invariant') : [...F, ...G];
  const V = String(q.ranking);
  const fBox = boundingBox(model, texts, F);
  const exactOf = (t: string) => {
    const why = ctx.starts.declare([t]);
    if (why !== null) throw new LemmaError(lemma.file, lemma.id, 'quantifier.to', why);
    const c = compileClaim(ctx, { name: 'use', params: undefined, premises: [], conclusions: [t], total: false, refutes: false, aboutStarts: false }, [t]).compiled.statements[0]!;
    return { lhs: c.lhsExact, rel: c.rel, rhs: c.rhsExact } as Comparison;
  };
  const pieces = texts.negation(G, exactOf);
  const vNext = texts.next(`${V} >= 0`).replace(/ >= 0$/, '');
  const rank = q.decrease !== undefined ? [`${vNext} <= (${V}) - (${q.decrease})`, `${V} >= 0`] : [`${vNext} <= (${q.factor}) * (${V})`, `${V} >= ${q.floor}`];
  const out: Obligation[] = [starts(F, 'starts-in-from')];
  for (const piece of pieces) {
    out.push({ name: 'from-kept', params: fBox, premises: [...F, piece], conclusions: F.map((r) => texts.next(r)), total: true, refutes: false, aboutStarts: false });
    out.push({ name: 'ranking', params: fBox, premises: [...F, piece], conclusions: rank, total: true, refutes: false, aboutStarts: false });
  }
  const jBox = boundingBox(model, texts, J);
  if (sets('invariant').length) out.push({ name: 'target-in-invariant', params: boundingBox(model, texts, [...F, ...G]), premises: [...F, ...G], conclusions: J, total: true, refutes: false, aboutStarts: false });
  out.push({ name: 'invariant-kept', params: jBox, premises: J, conclusions: J.map((r) => texts.next(r)), total: true, refutes: false, aboutStarts: false });
  out.push({ name: 'invariant-use', params: jBox, premises: J, conclusions: statements, total: false, refutes: true, aboutStarts: false });
  out.push({ name: 'constants', params: undefined, premises: [], conclusions: q.decrease !== undefined ? [`${q.decrease} > 0`] : [`${q.factor} < 1`, `${q.floor} > 0`], total: true, refutes: false, aboutStarts: false });
  return out;
}

function record(ctx: Ctx, ob: Obligation, d: IdentityDecision | { status: 'not-attempted'; detail: string }): ObligationRecord {
  const base = { name: ob.name, claim: claimText(ob, (t) => ctx.starts.display(t)), detail: d.detail, certificate: null, regionCertificate: null, witness: null, established: null };
  if (d.status === 'proved') return { ...base, status: 'proved', established: d.established, certificate: d.certificate, regionCertificate: d.regionCertificate };
  if (d.status === 'vacuous') return { ...base, status: 'vacuous', certificate: d.certificate, regionCertificate: d.regionCertificate };
  if (d.status === 'refuted') return { ...base, status: 'refuted', established: d.established, witness: d.witness };
  return { ...base, status: d.status };
}

/** The obligations decided in order: with `stop`, the first that fails ends the run (the rest not attempted). */
interface Run {
  records: ObligationRecord[];
  /** The obligation that ended the run, and its decision. */
  stopped: { ob: Obligation; d: IdentityDecision } | null;
  /** Why a certificate is not used (its relation then goes back into its plain obligation), by slackKey. */
  failed: Map<string, string>;
  /** Certificates used, by kind. */
  used: Record<Slack['of'], number>;
  /** Plain obligations left with no conclusion (every relation by its certificate), by name. */
  skipped: Set<ObligationName>;
}

/** The obligation's decision; one the prover cannot state (compileObligation's LemmaError) is undecided. */
async function decideObligation(ctx: Ctx, ob: Obligation): Promise<IdentityDecision> {
  try {
    const claim = compileObligation(ctx, ob);
    const d = await (ctx.cache ? ctx.cache.decide(claim) : decideIdentity(claim.model, claim.compiled));
    // The row names a start value as the lemma writes it (X_0), not by its variable (its certificates do).
    const show = (t: string) => ctx.starts.display(t);
    if (d.status !== 'refuted') return { ...d, detail: show(d.detail) };
    return { ...d, statement: show(d.statement), detail: show(d.detail), witness: Object.fromEntries(Object.entries(d.witness).map(([k, v]) => [show(k), v])) };
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    return { status: 'undecided', detail: `not an identity the prover can state: ${e.message}` };
  }
}

async function runObligations(ctx: Ctx, obs: Obligation[], stop: boolean): Promise<Run> {
  const run: Run = { records: [], stopped: null, failed: new Map(), used: { kept: 0, use: 0 }, skipped: new Set() };
  const certified = new Set(obs.flatMap((o) => (o.certifies ? [slackKey(o.certifies.of, o.certifies.index)] : [])));
  for (let k = 0; k < obs.length; k++) {
    const ob = obs[k]!;
    const key = ob.certifies ? slackKey(ob.certifies.of, ob.certifies.index) : null;
    if (key !== null && !ob.name.endsWith('-identity') && run.failed.has(key)) {
      run.records.push(record(ctx, ob, { status: 'not-attempted', detail: 'not attempted: the certificate already failed' }));
      continue;
    }
    let d: IdentityDecision;
    try {
      if (ob.perRelation) {
        const { of, conclusions } = ob.perRelation;
        const unchanged = new Set(ob.perRelation.unchanged ?? []);
        const byCertificate = (j: number) => certified.has(slackKey(of, j)) && !run.failed.has(slackKey(of, j));
        const dropped = conclusions.filter((_, j) => byCertificate(j));
        run.used[of] = dropped.length;
        // Relations of I kept by their certificates are premises later too: the definedness of their terms one step later stays claimed.
        const defined = ob.total && dropped.length ? definednessClaims(compileClaim(ctx, ob, dropped).compiled.statements) : [];
        ob.conclusions = [...conclusions.filter((_, j) => !byCertificate(j) && !unchanged.has(j)), ...defined];
        if (ob.conclusions.length === 0) {
          run.skipped.add(ob.name);
          continue;
        }
      }
      // A conclusion that is one of the premises word for word holds (and is defined) wherever they do.
      const premises = new Set(ob.premises.map((p) => ctx.texts.print(ctx.texts.parse(p))));
      const open = ob.conclusions.filter((c) => !premises.has(ctx.texts.print(ctx.texts.parse(c))));
      if (open.length === 0) {
        run.records.push(record(ctx, ob, { status: 'proved', established: 'proved-expansion', detail: 'each conclusion is one of the premises', certificate: 'each conclusion is one of the premises, word for word', regionCertificate: null }));
        continue;
      }
      ob.conclusions = open;
      d = await decideObligation(ctx, ob);
    } catch (e) {
      if (!(e instanceof LemmaError)) throw e;
      d = { status: 'undecided', detail: `not an identity the prover can state: ${e.message}` };
    }
    if (ob.fallback && d.status !== 'proved') {
      // Not a claim of the lemma: its failure, even at an exact point, only sends the term to its whole-term claim.
      run.records.push(record(ctx, ob, { status: 'undecided', detail: `factor by factor ${d.status === 'refuted' ? `fails at ${JSON.stringify(d.witness)}` : `not proved (${d.status})`}, so the whole term is claimed next: ${d.detail}` }));
      // The factor-wise claim is sufficient, not necessary (two negative factors): the whole term decides instead.
      d = await decideObligation(ctx, ob.fallback);
      run.records.push(record(ctx, ob.fallback, d));
    } else run.records.push(record(ctx, ob, d));
    const ok = d.status === 'proved' || (d.status === 'vacuous' && !ob.aboutStarts);
    if (key !== null) {
      if (!ok && !run.failed.has(key)) run.failed.set(key, d.status === 'refuted' ? `${ob.name} refuted: "${d.statement}" fails at ${JSON.stringify(d.witness)}` : `${ob.name} ${d.status}: ${d.detail}`);
      continue;
    }
    if (!ok && stop) {
      run.stopped = { ob, d };
      run.records.push(...obs.slice(k + 1).map((o) => record(ctx, o, { status: 'not-attempted', detail: 'not attempted: an earlier obligation failed' })));
      return run;
    }
  }
  return run;
}

/** Why each certificate that failed is not used. */
function certificateNote(lemma: CompiledLemma, run: Run): string {
  const relations = setRelations((lemma.spec.quantifier as Record<string, unknown>).invariant);
  const statements = list(lemma.spec.statement);
  return [...run.failed]
    .map(([key, why]) => {
      const [of, j] = key.split(':') as [Slack['of'], string];
      return of === 'kept'
        ? `the slack certificate of "${relations[Number(j)]}" is not used (${why}), so that relation is in the plain consecution`
        : `the slack certificate of the statement "${statements[Number(j)]}" is not used (${why}), so it is in the plain use obligation`;
    })
    .join('; ');
}

/** "consecution (2 relations by their slack certificates), use" and the like. */
function byCertificates(run: Run): string {
  const part = (name: 'consecution' | 'use', n: number, what: string) =>
    n === 0 ? name : `${name} (${run.skipped.has(name) ? (n === 1 ? 'its one' : `all ${n}`) : n} ${what}${n === 1 ? '' : 's'} by ${n === 1 ? 'its' : 'their'} slack certificate${n === 1 ? '' : 's'}: identity and signs on I)`;
  return `${part('consecution', run.used.kept, 'relation')}, ${part('use', run.used.use, 'statement')}`;
}

/**
 * The lemma's claim for every start and every t, by induction. Obligations are decided in order and the
 * first that fails ends the proof (the rest are recorded as not attempted).
 */
export async function proveByInduction(model: DerivedModel, lemma: CompiledLemma, cache?: ObligationCache): Promise<InductionResult> {
  const ctx = context(model, lemma, new Texts(model, lemma), cache);
  let obs: Obligation[] | string;
  try {
    obs = obligations(ctx);
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    obs = `its one-step claims are not identities the prover can state: ${e.message}`;
  }
  if (typeof obs === 'string') return { status: 'not-proved', obligations: [], detail: `no induction proof: ${obs}` };
  const run = await runObligations(ctx, obs, true);
  const records = run.records;
  const note = certificateNote(lemma, run);
  if (run.stopped) {
    const { ob, d } = run.stopped;
    if (d.status === 'vacuous') return { status: 'vacuous', obligations: records, detail: `no start satisfies the hypotheses (${ob.name}: ${d.detail})` };
    // With a start value as a variable, a point where the claim fails may pair a state with a value no start gives it.
    const refutes = ob.refutes && ctx.starts.reads([...ob.premises, ...ob.conclusions]).size === 0;
    if (d.status === 'refuted' && refutes) return { status: 'refuted', obligations: records, statement: d.statement, witness: d.witness, detail: `${ob.name} fails at an exact point: ${d.detail}` };
    const why =
      d.status !== 'refuted'
        ? `${ob.name} undecided: ${d.detail}`
        : ob.refutes
          ? `${ob.name} fails at ${JSON.stringify(d.witness)}, where "${d.statement}" does not hold; its start values are variables there, so the point need not lie on an orbit`
          : `counterexample to induction (${ob.name}): ${JSON.stringify(d.witness)} satisfies the premises and the conclusion "${d.statement}" fails one step later`;
    return { status: 'not-proved', obligations: records, detail: note ? `${why}; ${note}` : why };
  }
  const bound = lemma.quantifier.kind === 'leads-to' ? stepBound(ctx) : null;
  const detail =
    lemma.quantifier.kind === 'invariant'
      ? `by the inductive invariant: ${records.filter((r) => r.status === 'proved' || r.status === 'vacuous').length} obligations proved (initiation, ${byCertificates(run)})${note ? ` (${note})` : ''}; the statement holds for every start in the hypotheses and every t >= 0`
      : `by the ranking function: ${records.length} obligations proved; every orbit from the hypotheses reaches the target set${bound !== null ? ` within ${bound} steps` : ' (no uniform step bound: the ranking function is not bounded over the starts)'} and the statement holds from then on, for every t`;
  return { status: 'proved', obligations: records, detail, stepBound: bound };
}

/**
 * The set a box of starts may enter (kind invariant with reach, check/box-invariant.ts): consecution and use,
 * with their slack certificates, and no initiation; every obligation is decided whatever the others give (a set
 * that implies the statement decides a step even where it is not proved kept).
 */
export async function proveSetForBoxes(model: DerivedModel, lemma: CompiledLemma): Promise<{ records: ObligationRecord[]; kept: boolean; use: boolean; detail: string; failure: Partial<Record<'consecution' | 'use', string>> } | string> {
  const ctx = context(model, lemma, new Texts(model, lemma, `${lemma.file} [${lemma.id}] quantifier.invariant`));
  let obs: Obligation[] | string;
  try {
    obs = obligations(ctx, true);
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    obs = `the invariant's one-step claims are not identities the prover can state: ${e.message}`;
  }
  if (typeof obs === 'string') return obs;
  const run = await runObligations(ctx, obs, false);
  const failure: Partial<Record<'consecution' | 'use', string>> = {};
  for (const name of ['consecution', 'use'] as const) {
    const r = run.records.find((x) => x.name === name);
    if (!r || r.status === 'proved' || r.status === 'vacuous') continue;
    failure[name] = r.status === 'refuted' ? `${name} fails at ${JSON.stringify(r.witness)}` : `${name} undecided: ${r.detail}`;
  }
  const note = certificateNote(lemma, run);
  return { records: run.records, kept: !failure.consecution, use: !failure.use, detail: `${byCertificates(run)}${note ? ` (${note})` : ''}`, failure };
}

/**
 * An upper bound on the steps to reach G, uniform over the starts: with V_0 <= v, d >= dl: every orbit is
 * in G by step floor(v / dl) + 1; with c <= ch < 1, m >= ml: by the least N with v ch^N < ml (c^N bounded
 * above by repeated squaring, each product rounded up one ulp). Null where V_0 is not bounded over the box.
 */
function stepBound(ctx: Ctx): number | null {
  const { lemma } = ctx;
  const q = lemma.spec.quantifier as Record<string, string | undefined>;
  // Read at the starts: V_0 with its start values frozen over their ranges (an upper bound all the same).
  const exact = (t: string) => {
    if (ctx.starts.declare([`${t} >= 0`]) !== null) throw new Error('no range');
    return compileClaim(ctx, { name: 'use', params: undefined, premises: [], conclusions: [`${t} >= 0`], total: false, refutes: false, aboutStarts: false }, [`${t} >= 0`]).compiled.statements[0]!.lhsExact;
  };
  const env = startEnv(lemma);
  for (const [k, d] of Object.entries(ctx.starts.ranges)) env.set(k, drawInterval(d));
  let v: Interval;
  let a: Interval;
  try {
    v = evalInterval(exact(String(q.ranking)), env);
    a = evalInterval(exact(String(q.decrease ?? q.factor)), env);
  } catch {
    return null;
  }
  const vHi = v.hi.toNumber();
  if (!Number.isFinite(vHi)) return null;
  if (q.decrease !== undefined) {
    if (!(a.lo.toNumber() > 0)) return null;
    const n = Math.floor(nextUp(nextUp(vHi) / nextDown(a.lo.toNumber()))) + 1;
    return Number.isSafeInteger(n) ? n : null;
  }
  let m: Interval;
  try {
    m = evalInterval(exact(String(q.floor)), env);
  } catch {
    return null;
  }
  const ch = Math.max(0, nextUp(a.hi.toNumber()));
  const ml = nextDown(m.lo.toNumber());
  if (!(ch < 1) || !(ml > 0)) return null;
  const vu = Math.max(0, nextUp(vHi));
  const powUp = (n: number): number => {
    let r = 1;
    let b = ch;
    for (let e = n; e > 0; e = Math.floor(e / 2)) {
      if (e % 2 === 1) r = nextUp(r * b);
      b = nextUp(b * b);
    }
    return r;
  };
  const reached = (n: number) => nextUp(vu * powUp(n)) < ml;
  let hiN = 1;
  while (!reached(hiN)) {
    hiN *= 2;
    if (hiN > 2 ** 40) return null;
  }
  let loN = Math.floor(hiN / 2);
  while (hiN - loN > 1) {
    const mid = Math.floor((loN + hiN) / 2);
    if (reached(mid)) hiN = mid;
    else loN = mid;
  }
  return hiN;
}

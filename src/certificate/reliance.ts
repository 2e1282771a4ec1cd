/**
 * A reach certificate's invariant set held against the region certificates of the obligations its leaves rely on.
 *
 * Main result: `setAgainstObligations` lists every way in which "an orbit's enclosure lies inside the set the reach
 * certificate names" fails to give the premises under which the relied obligations (consecution, use, and their
 * slack-certificate claims `consecution-*`, `use-*`) were proved by region certificates. A leaf that entered the set
 * is covered for every later t only if every such certificate's claim applies there: each premise that reads a
 * parameter is a relation of the set, compared by what it decides (relation and both sides as written, spaces aside;
 * its text is a label), each parameter's region is bounded by relations of the set, and each hyperparameter's region
 * holds the reach box's range. Without this check a certificate could keep a relation's text and loosen its sides.
 * An obligation proved otherwise (Z3, expansion) has no certificate to compare and is named as not re-checked by the
 * caller.
 */
import { CertExprError, parseExpr, symbolsOf, type Expr } from './expr.js';
import { evaluate, type I } from './evaluate.js';
import { Q } from './rational.js';
import { comparisonForm } from './reach.js';

export interface RelianceFailure {
  path: string;
  message: string;
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

const NO_SYMBOLS = new Map<string, I>();

/** The enclosure of a closed expression (no symbols) by the checker's evaluator, or undefined. */
function constant(e: Expr): I | undefined {
  if (symbolsOf(e).size > 0) return undefined;
  const v = evaluate(e, NO_SYMBOLS);
  return v.undef === undefined && v.iv !== null && v.maybe === undefined ? v.iv : undefined;
}

function parsed(x: unknown): Expr | undefined {
  try {
    return parseExpr(x);
  } catch (err) {
    if (err instanceof CertExprError) return undefined;
    throw err;
  }
}

/**
 * The bound a premise `v >= c`, `v > c`, `v <= c`, `v < c` (or mirrored) places on the parameter v, if it is one:
 * a lower bound by the lower end of c's enclosure, an upper bound by its upper end.
 */
function bound(p: Json, v: string): { side: 'lo' | 'hi'; q: Q } | undefined {
  const l = parsed(p.lhs);
  const r = parsed(p.rhs);
  if (!l || !r) return undefined;
  const rel = String(p.rel);
  const isV = (e: Expr) => e.k === 'var' && e.name === v;
  const above = rel === '>=' || rel === '>';
  const below = rel === '<=' || rel === '<';
  const c = isV(l) ? constant(r) : isV(r) ? constant(l) : undefined;
  if (!c) return undefined;
  // v rel c, or c rel v read as v (mirrored rel) c.
  const lower = isV(l) ? above : below;
  const upper = isV(l) ? below : above;
  if (lower) return { side: 'lo', q: c.lo };
  if (upper) return { side: 'hi', q: c.hi };
  return undefined;
}

/**
 * `reach` is the reach certificate (untrusted JSON, already parsed by checkReachCertificate), `obligations` the row's
 * obligations, `relies` the names the re-established leaves rely on.
 */
export function setAgainstObligations(reach: unknown, obligations: readonly unknown[], relies: readonly string[]): RelianceFailure[] {
  const failures: RelianceFailure[] = [];
  if (!isObject(reach) || relies.length === 0) return failures;
  const set = isObject(reach.invariant) && Array.isArray(reach.invariant.relations) ? reach.invariant.relations.filter(isObject) : [];
  const forms = new Set(set.map(comparisonForm));
  const model = isObject(reach.model) ? reach.model : {};
  const params = new Set(Array.isArray(model.params) ? model.params.map(String) : []);
  const hypers = new Set(Array.isArray(model.hypers) ? model.hypers.map(String) : []);
  const box = isObject(reach.box) ? reach.box : {};
  for (const name of relies) {
    for (const ob of obligations) {
      if (!isObject(ob) || typeof ob.name !== 'string' || (ob.name !== name && !ob.name.startsWith(`${name}-`))) continue;
      const rc = ob.regionCertificate;
      if (!isObject(rc)) continue;
      const at = `obligation ${ob.name}`;
      const premises = Array.isArray(rc.premises) ? rc.premises.filter(isObject) : [];
      const inSet: Json[] = [];
      for (const p of premises) {
        const reads = new Set<string>();
        for (const side of [p.lhs, p.rhs]) {
          const e = parsed(side);
          if (e) symbolsOf(e, reads);
          else failures.push({ path: at, message: `its region certificate's premise "${String(p.text)}" does not parse` });
        }
        if (![...reads].some((s) => !hypers.has(s))) continue;
        if (forms.has(comparisonForm(p))) inSet.push(p);
        else failures.push({ path: at, message: `its region certificate assumes "${String(p.text)}" (${comparisonForm(p)}), which is not a relation of the set the reach certificate's leaves enter` });
      }
      const vars = Array.isArray(rc.vars) ? rc.vars.map(String) : [];
      const region = Array.isArray(rc.region) ? rc.region : [];
      vars.forEach((v, i) => {
        const r = region[i];
        const lo = Array.isArray(r) ? Q.parseRatio(r[0]) : undefined;
        const hi = Array.isArray(r) ? Q.parseRatio(r[1]) : undefined;
        if (!lo || !hi) return failures.push({ path: at, message: `its region certificate's region for ${v} is not [lo, hi]` });
        if (hypers.has(v)) {
          const b = box[v];
          const blo = Array.isArray(b) ? Q.parseRatio(b[0]) : undefined;
          const bhi = Array.isArray(b) ? Q.parseRatio(b[1]) : undefined;
          if (!blo || !bhi || blo.lt(lo) || hi.lt(bhi)) failures.push({ path: at, message: `its region certificate covers ${v} in [${lo}, ${hi}], the reach box ranges over ${JSON.stringify(b)}` });
          return;
        }
        if (!params.has(v)) return failures.push({ path: at, message: `its region certificate reads ${v}, neither a parameter nor a hyperparameter of the reach certificate` });
        const bounds = inSet.map((p) => bound(p, v)).filter((b) => b !== undefined);
        if (!bounds.some((b) => b.side === 'lo' && !b.q.lt(lo)) || !bounds.some((b) => b.side === 'hi' && !hi.lt(b.q)))
          failures.push({ path: at, message: `its region certificate covers ${v} in [${lo}, ${hi}] only, and no relations of the set bound ${v} within that` });
      });
    }
  }
  return failures;
}

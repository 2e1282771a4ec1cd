import { readFileSync } from 'node:fs';
import { checkCertificate } from '../certificate/check.js';
import { checkReachCertificate, type ReachCheckResult } from '../certificate/reach.js';
import { Q } from '../certificate/rational.js';
import { setAgainstObligations } from '../certificate/reliance.js';
import { parse, UsageError } from './args.js';

/**
 * `eos-check check-certificate report.json [--id ID]`: re-checks every certificate of every row that has one:
 * its region-proof certificate and its induction obligations' (src/certificate/check.ts), then its reachability
 * certificate (`reachCertificate`, src/certificate/reach.ts: the box tree tiles the hypothesis box, and every
 * leaf's claim is re-established by the checker's own orbit enclosures), labelled "ID / reach". A reach
 * certificate is also held against its row: the fractions, statements and horizon the row states, the lemma it
 * states (quantifier, hypothesis box, the texts of the premises and the set), the report's loss, and the
 * obligations (consecution, use) its leaves rely on, which must be proved in the row (their region certificates
 * are re-checked in the same run, and assume nothing the set does not hold: src/certificate/reliance.ts; one proved
 * otherwise is named as not re-checked here).
 * Loads neither Z3 nor the prover.
 * Exit 0: every checked certificate holds (at least one checked); 1: a certificate fails; 2: bad input.
 */
export async function checkCertificateCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { id: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError(`expected one report file (a JSON report written by verify/report --out), got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const file = positionals[0]!;
  const fail = (message: string): number => {
    err(`eos-check check-certificate: ${message}`);
    return 2;
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file}: is a directory` : `${file}: cannot read: ${(e as Error).message}`);
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (e) {
    return fail(`${file}: not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const outcomes = (report as { outcomes?: unknown } | null)?.outcomes;
  if (typeof report !== 'object' || report === null || !Array.isArray(outcomes)) return fail(`${file}: not an eos-check report (no "outcomes" array)`);
  const reportLoss = (report as { model?: { loss?: unknown } }).model?.loss;
  const rows = outcomes.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  type Item = { label: string; kind: 'region' | 'reach'; certificate: unknown; row: Record<string, unknown> };
  // A row's certificates: its region certificate, those of its induction obligations (quantifiers invariant,
  // leads-to, and the set of a reach lemma), then its reach certificate, which may rely on those obligations.
  const certificates = (row: Record<string, unknown>): Item[] => {
    const items: Item[] = [];
    if (row.regionCertificate !== undefined && row.regionCertificate !== null) items.push({ label: String(row.id), kind: 'region', certificate: row.regionCertificate, row });
    const obligations = Array.isArray(row.obligations) ? row.obligations : [];
    obligations.forEach((ob: Record<string, unknown> | null, k: number) => {
      if (ob && ob.regionCertificate !== undefined && ob.regionCertificate !== null) items.push({ label: `${String(row.id)} / obligation ${k + 1} (${String(ob.name)})`, kind: 'region', certificate: ob.regionCertificate, row });
    });
    if (row.reachCertificate !== undefined && row.reachCertificate !== null) items.push({ label: `${String(row.id)} / reach`, kind: 'reach', certificate: row.reachCertificate, row });
    return items;
  };
  let chosen: Item[];
  if (values.id !== undefined) {
    const row = rows.find((o) => o.id === values.id);
    if (!row) {
      const ids = rows.map((o) => String(o.id));
      return fail(`${file}: no row with id "${values.id}" (ids: ${ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ') || 'none'})`);
    }
    chosen = certificates(row);
    if (chosen.length === 0)
      return fail(`${file}: row "${values.id}" (${String(row.kind)}) has no regionCertificate${Array.isArray(row.obligations) ? ', nor an induction obligation with one' : ''}${row.reach !== undefined ? ', nor a reachCertificate (its boxes proved no share of the volume)' : ''}`);
  } else {
    chosen = rows.flatMap(certificates);
    if (chosen.length === 0)
      return fail(`${file}: no row has a regionCertificate or a reachCertificate (${rows.length} rows; region certificates are written for lemmas, and induction obligations, PROVED over a box region; reach certificates for lemmas whose boxes of starts proved a share of the volume)`);
  }
  let failed = 0;
  for (const { label, kind, certificate, row } of chosen) {
    const t0 = performance.now();
    if (kind === 'region') {
      const r = checkCertificate(certificate);
      const ms = Math.round(performance.now() - t0);
      if (r.ok) out(`${label}: ok, ${r.leaves} leaves checked (${ms} ms)`);
      else {
        failed++;
        const first = r.failures[0]!;
        out(`${label}: FAILED, ${r.failures.length} failure${r.failures.length === 1 ? '' : 's'} in ${r.leaves} leaves; first at ${first.path}: ${first.message} (${ms} ms)`);
      }
      continue;
    }
    const r = checkReachCertificate(certificate);
    const against = againstRow(row, certificate, r, reportLoss);
    const failures = [...r.failures, ...against.failures];
    const ms = Math.round(performance.now() - t0);
    const notes = [...against.notes, ...r.notes].map((n) => `; ${n}`).join('');
    if (failures.length === 0) {
      const c = certificate as { fractions: { proved: string; upToT: string }; horizon: number; everyT: boolean };
      const share = c.everyT ? `proved fraction ${c.fractions.proved} for every t, ${c.fractions.upToT} through T = ${c.horizon}` : `proved fraction ${c.fractions.proved} through T = ${c.horizon}`;
      out(`${label}: ok, ${r.leaves} leaves re-established (${share}; ${r.pieces} boxes enclosed, ${r.boxSteps} box-steps)${notes} (${ms} ms)`);
    } else {
      failed++;
      const first = failures[0]!;
      out(`${label}: FAILED, ${failures.length} failure${failures.length === 1 ? '' : 's'} in ${r.leaves} leaves; first at ${first.path}: ${first.message}${notes} (${ms} ms)`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/**
 * A reach certificate held against its row: what the row states (fractions, statements, horizon; PROVED means the
 * whole volume), the report's loss, and the obligations the leaves rely on.
 */
function againstRow(row: Record<string, unknown>, certificate: unknown, r: ReachCheckResult, reportLoss: unknown): { failures: { path: string; message: string }[]; notes: string[] } {
  const failures: { path: string; message: string }[] = [];
  const notes: string[] = [];
  if (r.failures.some((f) => f.path === 'certificate' && r.leaves === 0)) return { failures, notes };
  const c = certificate as { fractions: Record<string, unknown>; statements: { text?: unknown }[]; horizon: unknown; model: { loss?: unknown } };
  const reach = row.reach as { fractions?: Record<string, unknown>; horizon?: unknown } | undefined;
  for (const k of ['proved', 'upToT', 'outside'])
    if (reach?.fractions?.[k] !== c.fractions[k]) failures.push({ path: 'row', message: `the row's reach.fractions.${k} is ${JSON.stringify(reach?.fractions?.[k])}, the certificate's ${JSON.stringify(c.fractions[k])}` });
  if (reach?.horizon !== c.horizon) failures.push({ path: 'row', message: `the row's horizon is ${JSON.stringify(reach?.horizon)}, the certificate's ${JSON.stringify(c.horizon)}` });
  if (row.kind === 'PROVED' && c.fractions.proved !== '1') failures.push({ path: 'row', message: `the row is PROVED, but the certificate proves ${JSON.stringify(c.fractions.proved)} of the volume` });
  const texts = c.statements.map((s) => s.text);
  if (Array.isArray(row.statement) && JSON.stringify(row.statement) !== JSON.stringify(texts)) failures.push({ path: 'row', message: `the row's statements ${JSON.stringify(row.statement)} are not the certificate's ${JSON.stringify(texts)}` });
  if (typeof reportLoss === 'string' && reportLoss !== c.model.loss) failures.push({ path: 'row', message: `the report's model has the loss "${reportLoss}", the certificate "${String(c.model.loss)}"` });
  const lemma = row.lemma as { definition?: unknown } | undefined;
  if (lemma && typeof lemma.definition === 'object' && lemma.definition !== null) failures.push(...againstDefinition(lemma.definition as Record<string, unknown>, certificate as Record<string, unknown>, row.quantifier));
  const obligations = (Array.isArray(row.obligations) ? row.obligations : []) as Record<string, unknown>[];
  const relied: string[] = [];
  const done = (o: Record<string, unknown>) => o.status === 'proved' || o.status === 'vacuous';
  for (const name of r.relies) {
    const ob = obligations.find((o) => o && o.name === name);
    // No plain obligation: every relation (or statement) went by its slack certificate, whose claims are then all proved.
    const byCertificates = obligations.filter((o) => o && typeof o.name === 'string' && o.name.startsWith(`${name}-`));
    if (!ob && byCertificates.length > 0 && byCertificates.every(done)) {
      relied.push(`${name} (by slack certificates: ${byCertificates.length} claims, ${byCertificates.filter((o) => o.regionCertificate).length} region certificates re-checked above)`);
      continue;
    }
    if (!ob || !done(ob)) {
      failures.push({ path: 'row', message: `leaves rely on the set's ${name} obligation, which the row ${ob ? `has ${String(ob.status)}` : 'does not have'}` });
      continue;
    }
    relied.push(`${name} (${ob.regionCertificate ? 'its region certificate re-checked above' : `${String(ob.established ?? ob.status)}: not re-checked here`})`);
  }
  failures.push(...setAgainstObligations(certificate, obligations, r.relies).map((f) => ({ path: 'row', message: `the set's ${f.path}: ${f.message}` })));
  if (relied.length) notes.push(`relies on the set's obligations ${relied.join(', ')}`);
  return { failures, notes };
}

/** The exact value of a double. */
function doubleValue(x: number): Q {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = e === 0 ? frac : frac | (1n << 52n);
  const shift = (e === 0 ? 1 : e) - 1075;
  const q = shift >= 0 ? Q.of(m << BigInt(shift)) : Q.of(m, 1n << BigInt(-shift));
  return negative ? q.neg() : q;
}

const textList = (x: unknown): string[] =>
  (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]).map((e) => (typeof e === 'object' && e !== null && 'relation' in e ? String((e as { relation: unknown }).relation) : String(e)));

/**
 * The certificate's claim against the lemma the row states (its lemma.definition): the quantifier, the horizon,
 * the hypothesis box (a range's decimal ends; a fixed value as the double GD runs with) and the texts of the
 * premises, the `where` and `along` hypotheses and the set. The expressions a text compiles to (derived quantities
 * inlined) are the prover's: the checker evaluates the certificate's expressions and names the texts only.
 */
function againstDefinition(def: Record<string, unknown>, c: Record<string, unknown>, quantifier: unknown): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const bad = (message: string) => out.push({ path: 'row', message });
  const q = (def.quantifier ?? {}) as Record<string, unknown>;
  const kind = q.kind === 'invariant' ? 'invariant' : q.kind === 'after-event' || q.kind === 'eventually' ? 'after-event' : 'every-step';
  if (c.quantifier !== q.kind || (quantifier !== undefined && quantifier !== q.kind)) bad(`the lemma's quantifier is ${JSON.stringify(q.kind)}, the certificate's ${JSON.stringify(c.quantifier)}`);
  if (c.kind !== kind || c.everyT !== (q.kind === 'invariant')) bad(`a ${String(q.kind)} lemma is asserted as ${kind}${q.kind === 'invariant' ? ' for every t' : ''}, the certificate as ${JSON.stringify(c.kind)} (everyT ${JSON.stringify(c.everyT)})`);
  if (typeof def.steps === 'number' && def.steps !== c.horizon) bad(`the lemma's steps are ${def.steps}, the certificate's horizon ${JSON.stringify(c.horizon)}`);
  const texts = (x: unknown) => (Array.isArray(x) ? x.map((e) => String((e as { text?: unknown })?.text)) : []);
  const same = (what: string, want: string[], got: string[]) => {
    if (JSON.stringify(want) !== JSON.stringify(got)) bad(`the lemma's ${what} are ${JSON.stringify(want)}, the certificate's ${JSON.stringify(got)}`);
  };
  const hyp = (def.hypotheses ?? {}) as Record<string, unknown>;
  same('where relations', textList(hyp.where), texts(c.where));
  same('along hypotheses', textList(hyp.along), texts(c.along));
  same('when premises', textList(q.when), texts(c.when));
  if (kind === 'after-event') same('event', textList(q.event), c.event ? texts([c.event]) : []);
  const set = (c.invariant as { relations?: unknown } | null)?.relations;
  if (set !== undefined) same('set relations', textList(q.invariant), texts(set));
  const box = (c.box ?? {}) as Record<string, unknown>;
  for (const group of ['init', 'hyper']) {
    const draws = (hyp[group] ?? {}) as Record<string, unknown>;
    for (const [name, d] of Object.entries(draws)) {
      const r = box[name];
      const lo = Array.isArray(r) ? Q.parseRatio(r[0]) : undefined;
      const hi = Array.isArray(r) ? Q.parseRatio(r[1]) : undefined;
      let want: [Q, Q] | undefined;
      if (typeof d === 'number') want = [doubleValue(d), doubleValue(d)];
      else if (typeof d === 'object' && d !== null && typeof (d as { min?: unknown }).min === 'number' && typeof (d as { max?: unknown }).max === 'number') {
        const m = d as { min: number; max: number };
        const a = Q.parseDecimal(String(m.min));
        const b = Q.parseDecimal(String(m.max));
        if (a && b) want = [a, b];
      }
      if (want && !(lo && hi && lo.eq(want[0]) && hi.eq(want[1]))) bad(`the lemma's ${name} ranges over [${want[0]}, ${want[1]}], the certificate's box over ${JSON.stringify(r)}`);
    }
  }
  return out;
}

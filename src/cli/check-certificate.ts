import { readFileSync } from 'node:fs';
import { checkCertificate } from '../certificate/check.js';
import { parse, UsageError } from './args.js';

/**
 * `eos-check check-certificate report.json [--id ID]`: re-checks every region-proof certificate of every
 * row that has one (its own, and its induction obligations') (src/certificate/check.ts). Loads neither Z3 nor the prover.
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
  const rows = outcomes.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  // A row's region certificates: its own, and those of its induction obligations (quantifiers invariant, leads-to).
  const certificates = (row: Record<string, unknown>): { label: string; certificate: unknown }[] => {
    const out: { label: string; certificate: unknown }[] = [];
    if (row.regionCertificate !== undefined && row.regionCertificate !== null) out.push({ label: String(row.id), certificate: row.regionCertificate });
    const obligations = Array.isArray(row.obligations) ? row.obligations : [];
    obligations.forEach((ob: Record<string, unknown> | null, k: number) => {
      if (ob && ob.regionCertificate !== undefined && ob.regionCertificate !== null) out.push({ label: `${String(row.id)} / obligation ${k + 1} (${String(ob.name)})`, certificate: ob.regionCertificate });
    });
    return out;
  };
  let chosen: { label: string; certificate: unknown }[];
  if (values.id !== undefined) {
    const row = rows.find((o) => o.id === values.id);
    if (!row) {
      const ids = rows.map((o) => String(o.id));
      return fail(`${file}: no row with id "${values.id}" (ids: ${ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ') || 'none'})`);
    }
    chosen = certificates(row);
    if (chosen.length === 0) return fail(`${file}: row "${values.id}" (${String(row.kind)}) has no regionCertificate${Array.isArray(row.obligations) ? ', nor an induction obligation with one' : ''}`);
  } else {
    chosen = rows.flatMap(certificates);
    if (chosen.length === 0) return fail(`${file}: no row has a regionCertificate (${rows.length} rows; region certificates are written for lemmas, and induction obligations, PROVED over a box region)`);
  }
  let failed = 0;
  for (const { label, certificate } of chosen) {
    const t0 = performance.now();
    const r = checkCertificate(certificate);
    const ms = Math.round(performance.now() - t0);
    if (r.ok) out(`${label}: ok, ${r.leaves} leaves checked (${ms} ms)`);
    else {
      failed++;
      const first = r.failures[0]!;
      out(`${label}: FAILED, ${r.failures.length} failure${r.failures.length === 1 ? '' : 's'} in ${r.leaves} leaves; first at ${first.path}: ${first.message} (${ms} ms)`);
    }
  }
  return failed > 0 ? 1 : 0;
}

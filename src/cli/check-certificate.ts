import { readFileSync } from 'node:fs';
import { checkCertificate } from '../certificate/check.js';
import { parse, UsageError } from './args.js';

/**
 * `eos-check check-certificate report.json [--id ID]`: re-checks the region-proof certificate of every
 * row that has one (src/certificate/check.ts). Loads neither Z3 nor the prover.
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
  let chosen: Record<string, unknown>[];
  if (values.id !== undefined) {
    const row = rows.find((o) => o.id === values.id);
    if (!row) {
      const ids = rows.map((o) => String(o.id));
      return fail(`${file}: no row with id "${values.id}" (ids: ${ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ') || 'none'})`);
    }
    if (row.regionCertificate === undefined || row.regionCertificate === null) return fail(`${file}: row "${values.id}" (${String(row.kind)}) has no regionCertificate`);
    chosen = [row];
  } else {
    chosen = rows.filter((o) => o.regionCertificate !== undefined && o.regionCertificate !== null);
    if (chosen.length === 0) return fail(`${file}: no row has a regionCertificate (${rows.length} rows; region certificates are written for lemmas PROVED over a box region)`);
  }
  let failed = 0;
  for (const row of chosen) {
    const t0 = performance.now();
    const r = checkCertificate(row.regionCertificate);
    const ms = Math.round(performance.now() - t0);
    const id = String(row.id);
    if (r.ok) out(`${id}: ok, ${r.leaves} leaves checked (${ms} ms)`);
    else {
      failed++;
      const first = r.failures[0]!;
      out(`${id}: FAILED, ${r.failures.length} failure${r.failures.length === 1 ? '' : 's'} in ${r.leaves} leaves; first at ${first.path}: ${first.message} (${ms} ms)`);
    }
  }
  return failed > 0 ? 1 : 0;
}

import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { Outcome } from '../src/check/outcome.js';
import { formatTable } from '../src/report/table.js';
import { reportJson } from '../src/report/report.js';
import { loadPack } from '../src/model/pack.js';
import { deriveModel } from '../src/symbolic/derive.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import { makeReport, writeAtomic } from '../src/cli/verify.js';

/** Prints the per-lemma verification table after vitest's own output and writes reports/verification.json. */
export default class VerificationReporter implements Reporter {
  private outcomes = new Map<string, { outcome: Outcome; order: [number, number] }[]>();

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    if (!meta.outcome) return;
    const pack = meta.pack ?? 'minimalist';
    if (!this.outcomes.has(pack)) this.outcomes.set(pack, []);
    this.outcomes.get(pack)!.push({ outcome: meta.outcome, order: meta.order ?? [0, 0] });
  }

  /** One table and one JSON report per model pack: reports/verification.json for the default pack, verification-<pack>.json for the others. */
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    for (const name of [...this.outcomes.keys()].sort((a, b) => (a === 'minimalist' ? -1 : b === 'minimalist' ? 1 : a.localeCompare(b)))) this.write(name, this.outcomes.get(name)!);
    this.durations(modules);
  }

  /**
   * Each test file's time, collection included: vitest's own per-file figure (and its JSON report's) leaves out the
   * suite callbacks that run at collection, where several files do their verification (induction.test.ts spent 430 s
   * there against 27 s in its tests). Written to reports/test-durations.json, the slowest printed.
   */
  private durations(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        const seconds = (d.prepareDuration + d.setupDuration + d.collectDuration + d.duration) / 1000;
        return { file: relative(process.cwd(), m.moduleId), seconds: Number(seconds.toFixed(1)), collect: Number((d.collectDuration / 1000).toFixed(1)), tests: Number((d.duration / 1000).toFixed(1)) };
      })
      .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file));
    writeAtomic('reports/test-durations.json', `${JSON.stringify({ note: 'seconds per test file: prepare + setup + collection (suite callbacks) + tests; wall time on a shared machine, for finding slow files only', files: rows }, null, 2)}\n`);
    const top = rows.slice(0, 8).map((r) => `  ${r.seconds.toFixed(1).padStart(7)} s  ${r.file} (collection ${r.collect} s, tests ${r.tests} s)`);
    process.stdout.write(`\nslowest test files (all ${rows.length} in reports/test-durations.json):\n${top.join('\n')}\n`);
  }

  private write(name: string, list: { outcome: Outcome; order: [number, number] }[]): void {
    const pack = loadPack(name);
    // Catalogue order (file, then the lemma's place in it), as `eos-check report` lists them.
    const outcomes = [...list].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).map((x) => x.outcome);
    // The construction `eos-check report` uses, so the two reports have the same fields.
    const report = makeReport(outcomes, pack, deriveModel(pack.spec), Number(process.env.EOS_SEED ?? DEFAULT_SEED), 1, 'extended', false);
    const file = name === 'minimalist' ? 'reports/verification.json' : `reports/verification-${name}.json`;
    writeAtomic(file, reportJson(report));
    // The definitions are in the JSON report; after vitest's output only the table and its notes.
    process.stdout.write(`\n${name === 'minimalist' ? '' : `model pack ${name}\n`}` + formatTable(report, { definitions: false }) + `\n(each lemma as checked, with its file's sha256: ${file})\n`);
  }
}

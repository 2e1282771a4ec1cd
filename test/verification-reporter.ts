import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { Outcome } from '../src/check/outcome.js';
import { formatTable } from '../src/report/table.js';
import { reportJson, totals, type Report } from '../src/report/report.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { modelHash } from '../src/symbolic/derive.js';
import { DEFAULT_SEED } from '../src/check/catalogue.js';
import { VERSION } from '../src/cli/version.js';
import { writeAtomic } from '../src/cli/verify.js';

/** Prints the per-lemma verification table after vitest's own output and writes reports/verification.json. */
export default class VerificationReporter implements Reporter {
  private outcomes: Outcome[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const o = testCase.meta().outcome;
    if (o) this.outcomes.push(o);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.outcomes.length === 0) return;
    const outcomes = [...this.outcomes].sort((a, b) => a.file.localeCompare(b.file) || a.id.localeCompare(b.id));
    const report: Report = {
      tool: { name: 'eos-check', version: VERSION },
      model: { name: minimalistModel.name, hash: modelHash(minimalistModel), loss: minimalistModel.loss, source: minimalistModel.source },
      seed: Number(process.env.EOS_SEED ?? DEFAULT_SEED),
      budget: 1,
      arithmetic: 'trajectories in extended-exponent float64 (unbounded exponent); claims decided by outward-rounded interval enclosures, and exactly wherever they do not separate (rational arithmetic, certified eigenvalue enclosures, Sylvester\'s criterion for S)',
      outcomes,
      totals: totals(outcomes),
    };
    writeAtomic('reports/verification.json', reportJson(report));
    process.stdout.write('\n' + formatTable(report) + '\n');
  }
}

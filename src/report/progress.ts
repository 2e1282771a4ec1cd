import { clock, type ProgressStream } from '../sweep/progress.js';
import type { VerifyProgress } from '../check/catalogue.js';

const MIN_INTERVAL_MS = 200;

/**
 * The overall progress of `verify` and `report` on stderr: lemmas done of N, iterates checked,
 * elapsed time and an ETA from the fraction of units of work done (check/shard.ts: a lemma's blocks
 * of draws). One line rewritten in place, only on a terminal and without CI (logs keep every frame).
 * The clock is only displayed: nothing the check decides reads it.
 */
export class VerifyProgressLine {
  readonly enabled: boolean;
  private readonly start: number;
  private last = -Infinity;
  private shown = false;
  private state: VerifyProgress | null = null;

  constructor(
    private readonly stream: ProgressStream,
    env: Record<string, string | undefined> = process.env,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.enabled = stream.isTTY === true && !env.CI;
    this.start = now();
  }

  /** The line for this progress after `elapsedMs`. */
  static line(p: VerifyProgress, elapsedMs: number, columns = 100): string {
    const frac = p.units > 0 ? p.unitsDone / p.units : 1;
    const eta = frac > 0 && frac < 1 ? ((elapsedMs / 1000) * (1 - frac)) / frac : frac >= 1 ? 0 : Infinity;
    const text = `  ${p.lemmasDone}/${p.lemmas} lemmas, ${p.unitsDone}/${p.units} blocks, ${p.iterates} iterates, ${clock(elapsedMs / 1000)} elapsed, ETA ${clock(eta)}`;
    return text.length < columns ? text : `${text.slice(0, Math.max(0, columns - 2))}…`;
  }

  update(p: VerifyProgress): void {
    this.state = p;
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.last < MIN_INTERVAL_MS && p.unitsDone < p.units) return;
    this.draw(t);
  }

  private draw(t: number): void {
    if (!this.state) return;
    this.last = t;
    this.shown = true;
    this.stream.write(`\r${VerifyProgressLine.line(this.state, t - this.start, this.stream.columns || 100)}\x1b[K`);
  }

  /** Prints a line above the progress line (erase, print, redraw), so both stay readable. */
  above(print: () => void): void {
    this.end();
    print();
    if (this.enabled && this.state) this.draw(this.now());
  }

  /** Erases the line, so what follows starts on a clean line. */
  end(): void {
    if (this.enabled && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

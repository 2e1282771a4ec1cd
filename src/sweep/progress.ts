/**
 * A one-line progress bar rewritten in place with `\r`, only when the stream is a terminal and CI is
 * not set: piped or logged output must stay clean, and CI logs keep every `\r` frame as a line.
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const MIN_INTERVAL_MS = 100;
/** The rate is measured over about this span, so the workers' start-up does not skew the ETA for long. */
const RATE_WINDOW_MS = 10_000;

export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export class ProgressBar {
  readonly enabled: boolean;
  private readonly start: number;
  private last = -Infinity;
  private shown = false;
  /** (time, done) samples of the last RATE_WINDOW_MS, oldest first; the first one is the first finished cell. */
  private samples: [number, number][] = [];

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly label: string,
    env: Record<string, string | undefined> = process.env,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.enabled = stream.isTTY === true && !env.CI;
    this.start = now();
  }

  /** The line for `done` cells at `rate` cells per second (NaN: not known yet). */
  line(done: number, rate: number): string {
    const eta = rate > 0 ? (this.total - done) / rate : done === this.total ? 0 : Infinity;
    const pct = this.total > 0 ? (100 * done) / this.total : 100;
    const tail = ` ${done}/${this.total} cells ${pct.toFixed(1).padStart(5)}%  ${Number.isFinite(rate) ? rate.toFixed(1) : '-'} cells/s  ETA ${clock(eta)}`;
    // Sized for the longest tail this total can have, so the bar does not jiggle as the numbers change.
    const longest = ` ${this.total}/${this.total} cells 100.0%  99999.9 cells/s  ETA 99:59:59`.length;
    const width = Math.max(10, Math.min(40, (this.stream.columns || 80) - this.label.length - longest - 4));
    const fill = Math.round((width * done) / Math.max(1, this.total));
    return `${this.label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}]${tail}`;
  }

  /**
   * Cells per second over the last RATE_WINDOW_MS, counted from a finished cell (not from the start,
   * which includes the workers' start-up); until two samples exist, since the start.
   */
  private rate(t: number, done: number): number {
    const last = this.samples[this.samples.length - 1];
    if (done > 0 && (!last || t - last[0] >= MIN_INTERVAL_MS)) this.samples.push([t, done]);
    while (this.samples.length > 2 && t - this.samples[1]![0] > RATE_WINDOW_MS) this.samples.shift();
    if (this.samples.length < 2) return done > 0 && t > this.start ? (1000 * done) / (t - this.start) : NaN;
    const [t0, d0] = this.samples[0]!;
    return (1000 * (done - d0)) / (t - t0);
  }

  update(done: number): void {
    if (!this.enabled) return;
    const t = this.now();
    const rate = this.rate(t, done);
    if (done > 0 && done < this.total && t - this.last < MIN_INTERVAL_MS) return;
    this.last = t;
    this.shown = true;
    this.stream.write(`\r${this.line(done, rate)}\x1b[K`);
  }

  /** Erase the bar, so what follows starts on a clean line. */
  end(): void {
    if (this.enabled && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * Ctrl-C for long commands: the first SIGINT asks the running check to stop between two
 * trajectories (so nothing is half-written and the user is told what happened); a second one
 * exits at once. Reports are written atomically (writeAtomic), so neither leaves a partial file.
 */
export function interruptOnSigint(onFirst: () => void = () => process.stderr.write('\ninterrupting: stopping after the current trajectory (Ctrl-C again to quit at once)\n')): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const handler = () => {
    if (ctl.signal.aborted) process.exit(130);
    onFirst();
    ctl.abort();
  };
  process.on('SIGINT', handler);
  return { signal: ctl.signal, dispose: () => process.off('SIGINT', handler) };
}

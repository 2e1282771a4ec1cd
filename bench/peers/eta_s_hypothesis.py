#!/usr/bin/env python3
"""Independent peer for bench/peer-compare.ts: tests one claim of eos-check with SymPy + NumPy + Hypothesis.

Claim: eta * S_t <= 2.5 for every GD iterate t = 0..4000 of the minimalist model, where S_t is the largest
eigenvalue of the Hessian of the loss at theta_t, over
    eta in [1.3, 1.9] (uniform), lambda1 = 1, lambda2 in [1e-3, 1e-2] (log-uniform),
    theta_0 = (alpha, beta1, beta2) = (1, b1, 0), b1 in [1e-4, 1e-1] (log-uniform).

Usage: python3 bench/peers/eta_s_hypothesis.py MAX_EXAMPLES [--no-shrink] [--bound B] [--eta LO HI]
       python3 bench/peers/eta_s_hypothesis.py --point ETA LAMBDA2 BETA1_0
--bound and --eta change the claim's constant and eta's range (bench/peer-batch.ts: issue 25's true claim,
eta S_t <= 3.2 for eta in [1.3, 1.5]).
The second form checks one trajectory (to cross-check a counterexample that eos-check reported).

Prints one JSON line. Nothing here imports or calls eos-check: the derivatives come from SymPy, the
arithmetic is plain float64 and the search is Hypothesis's, so agreement with eos-check is evidence from
an independent implementation. The price of plain float64 is fidelity: beta1 evolves multiplicatively
and can underflow over a long run (docs/paper.md section 3), after which the computed orbit is no longer
GD on this model. The counterexample therefore reports the smallest |beta1| seen on its trajectory, so a
reader can tell a genuine failure from an underflow artefact.
"""
import json
import sys
import time

import numpy as np
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

# Transcribed verbatim from src/model/minimalist.ts (`loss`), so both tools check the same function;
# it is echoed in the output, and bench/peer-compare.ts refuses to compare if the two differ.
LOSS = '1/2 * lambda1 * (alpha * beta1)^2 + 1/2 * lambda2 * (alpha * beta2 - 1)^2'

STEPS = 4000
BOUND = 2.5
ETA_RANGE = (1.3, 1.9)
LOG10_LAMBDA2_RANGE = (-3.0, -2.0)
LOG10_BETA1_RANGE = (-4.0, -1.0)
LAMBDA1 = 1.0

# GD is sequential, but the eigenvalue check is not: iterates are produced in chunks and their Hessians
# decomposed in one batched eigvalsh call, which is where NumPy is fast. The cost is at most one chunk of
# wasted work past a violation; that work is not counted as checks.
CHUNK = 128


def derive():
    """Gradient step and Hessian entries, derived by SymPy from the loss string, lambdified to NumPy."""
    alpha, beta1, beta2, eta, l1, l2 = sp.symbols('alpha beta1 beta2 eta lambda1 lambda2', real=True)
    names = {'alpha': alpha, 'beta1': beta1, 'beta2': beta2, 'lambda1': l1, 'lambda2': l2}
    # The '^' of the project's expression language is SymPy's '**'; '1/2' parses as an exact Rational.
    loss = sp.sympify(LOSS.replace('^', '**'), locals=names)
    params = (alpha, beta1, beta2)
    grad = [sp.diff(loss, p) for p in params]
    hess = sp.hessian(loss, params)
    args = (alpha, beta1, beta2, eta, l1, l2)
    # One fused call per GD step: the Python-level call is the per-step cost, not the arithmetic.
    step = sp.lambdify(args, [p - eta * g for p, g in zip(params, grad)], 'math')
    # Entry by entry, so that constant entries (the zeros) broadcast when assigned into a batch.
    entries = [[sp.lambdify(args, hess[i, j], 'numpy') for j in range(3)] for i in range(3)]
    return step, entries


def check_trajectory(step, entries, eta, lam1, lam2, theta0):
    """Checks eta*S_t <= BOUND for t = 0..STEPS, stopping at the first violation, as eos-check does.

    Returns (checks, violation): checks counts evaluations of the claim (one per iterate up to and including
    the first violation); violation is None or a dict. A non-finite iterate or sharpness is a violation:
    a diverged trajectory cannot satisfy a bound on S.
    """
    a, b1, b2 = theta0
    checks = 0
    t = 0
    min_abs_beta1 = abs(b1)
    buf = np.empty((3, CHUNK))
    H = np.empty((CHUNK, 3, 3))
    while t <= STEPS:
        n = min(CHUNK, STEPS + 1 - t)
        for k in range(n):
            buf[0, k] = a
            buf[1, k] = b1
            buf[2, k] = b2
            if t + k < STEPS:
                # Overflow to inf/nan is how divergence shows up; it is caught below, not warned about.
                try:
                    a, b1, b2 = step(a, b1, b2, eta, lam1, lam2)
                except OverflowError:
                    a = b1 = b2 = float('nan')
        A, B1, B2 = buf[0, :n], buf[1, :n], buf[2, :n]
        with np.errstate(all='ignore'):
            for i in range(3):
                for j in range(3):
                    H[:n, i, j] = entries[i][j](A, B1, B2, eta, lam1, lam2)
        finite = np.isfinite(H[:n]).all(axis=(1, 2))
        # eigvalsh would reject a non-finite matrix; those rows are violations anyway.
        Hn = np.where(finite[:, None, None], H[:n], 0.0)
        S = np.linalg.eigvalsh(Hn)[:, -1]
        ok = finite & np.isfinite(S) & (eta * S <= BOUND)
        bad = np.flatnonzero(~ok)
        m = int(bad[0]) + 1 if bad.size else n
        checks += m
        seen = np.abs(B1[:m])
        seen = seen[np.isfinite(seen)]
        if seen.size:
            min_abs_beta1 = min(min_abs_beta1, float(seen.min()))
        if bad.size:
            k = m - 1
            return checks, {
                'step': t + k,
                'etaS': float(eta * S[k]) if finite[k] else None,
                'diverged': not bool(finite[k]),
                'theta': [float(A[k]), float(B1[k]), float(B2[k])],
                'minAbsBeta1': min_abs_beta1,
            }
        t += n
    return checks, None


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: eta_s_hypothesis.py MAX_EXAMPLES [--no-shrink] | --point ETA LAMBDA2 BETA1_0')
    if sys.argv[1] == '--point':
        eta, lam2, b1 = (float(x) for x in sys.argv[2:5])
        step, entries = derive()
        checks, v = check_trajectory(step, entries, eta, LAMBDA1, lam2, (1.0, b1, 0.0))
        print(json.dumps({'point': {'eta': eta, 'lambda1': LAMBDA1, 'lambda2': lam2, 'beta10': b1},
                          'iterateChecks': checks, 'violation': v, 'arithmetic': 'float64'}))
        return
    max_examples = int(sys.argv[1])
    rest = sys.argv[2:]
    shrink = '--no-shrink' not in rest
    global BOUND, ETA_RANGE
    if '--bound' in rest:
        BOUND = float(rest[rest.index('--bound') + 1])
    if '--eta' in rest:
        k = rest.index('--eta')
        ETA_RANGE = (float(rest[k + 1]), float(rest[k + 2]))
    step, entries = derive()

    stats = {'examples': 0, 'checks': 0, 'checksToFirst': None, 'examplesToFirst': None,
             't0': 0.0, 'first': None, 'firstExample': None, 'last': None}

    # Same draw as the lemma: the log-uniform ranges are drawn as uniform exponents. No explain phase: it
    # re-runs examples only to annotate the report, which would inflate the counts without searching.
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(max_examples=max_examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=phases, report_multiple_bugs=False)
    @given(eta=st.floats(*ETA_RANGE),
           log10_lambda2=st.floats(*LOG10_LAMBDA2_RANGE),
           log10_beta1=st.floats(*LOG10_BETA1_RANGE))
    def claim(eta, log10_lambda2, log10_beta1):
        lam2 = 10.0 ** log10_lambda2
        b1 = 10.0 ** log10_beta1
        checks, v = check_trajectory(step, entries, eta, LAMBDA1, lam2, (1.0, b1, 0.0))
        stats['examples'] += 1
        stats['checks'] += checks
        if v is not None:
            # Recorded here, not after the run, because Hypothesis only re-raises once shrinking is done:
            # this is the moment a user of the search would first know the claim is false.
            example = {'eta': eta, 'lambda1': LAMBDA1, 'lambda2': lam2, 'alpha0': 1.0, 'beta10': b1, 'beta20': 0.0, **v}
            if stats['first'] is None:
                stats['first'] = time.perf_counter() - stats['t0']
                stats['checksToFirst'] = stats['checks']
                stats['examplesToFirst'] = stats['examples']
                stats['firstExample'] = example
            # Hypothesis replays the minimal failing example last, so the last failure is the shrunk one.
            stats['last'] = example
            raise AssertionError(f"eta*S = {v['etaS']} > {BOUND} at step {v['step']}")

    stats['t0'] = time.perf_counter()
    failed = False
    try:
        claim()
    except AssertionError:
        failed = True
    seconds = time.perf_counter() - stats['t0']

    first = stats['first']
    print(json.dumps({
        'examples': stats['examples'],
        'iterateChecks': stats['checks'],
        'seconds': seconds,
        'checksPerSecond': stats['checks'] / seconds if seconds > 0 else None,
        'firstCounterexampleSeconds': first,
        # Throughput over the search alone: shrinking replays short failing trajectories, whose per-example
        # overhead would otherwise drag the rate down.
        'examplesToFirstCounterexample': stats['examplesToFirst'],
        'checksToFirstCounterexample': stats['checksToFirst'],
        'checksPerSecondToFirstCounterexample': stats['checksToFirst'] / first if first else None,
        'counterexample': stats['last'] if failed else None,
        'firstCounterexample': stats['firstExample'] if failed else None,
        'shrink': shrink,
        'maxExamples': max_examples,
        'steps': STEPS,
        'bound': BOUND,
        'etaRange': list(ETA_RANGE),
        'chunk': CHUNK,
        'arithmetic': 'float64',
        'loss': LOSS,
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'sympy': sp.__version__,
                     'hypothesis': __import__('hypothesis').__version__},
    }))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Independent peer for bench/peer-batch.ts: the vectorized NumPy batch a researcher would write to test a
sharpness claim on many GD trajectories at once.

Claim (issue 25): eta * S_t <= BOUND for every GD iterate t = 0..STEPS of the minimalist model, S_t the
largest eigenvalue of the Hessian at theta_t, over
    eta in [ETA_MIN, ETA_MAX] (uniform), lambda1 = 1, lambda2 in [1e-3, 1e-2] (log-uniform),
    theta_0 = (1, b1, 0), b1 in [1e-4, 1e-1] (log-uniform).

Usage: python3 bench/peers/eta_s_numpy_batch.py LANES [--steps 4000] [--bound 3.2] [--eta 1.3 1.5]
                                                [--eig closed|eigvalsh] [--seed 1] [--reps 3]

All LANES trajectories advance in lockstep: one vectorized GD step per t, the Hessian entries as arrays, and
the top eigenvalue either in closed form (the trigonometric formula for a symmetric 3x3 matrix, a handful
of array operations) or by a batched np.linalg.eigvalsh. Gradient and Hessian come from SymPy (lambdified
to NumPy), never from eos-check. Plain float64: not rigorous (no error bound on the eigenvalue or the
comparison) and not faithful for long runs (beta1 shrinks geometrically and underflows; the smallest
|beta1| seen is reported). Prints one JSON line; the timed part is the loop only (after one untimed
warm-up of 50 steps), the median of --reps runs.
"""
import argparse
import json
import sys
import time

import numpy as np
import sympy as sp

LOSS = '1/2 * lambda1 * (alpha * beta1)^2 + 1/2 * lambda2 * (alpha * beta2 - 1)^2'


def derive():
    alpha, beta1, beta2, eta, l1, l2 = sp.symbols('alpha beta1 beta2 eta lambda1 lambda2', real=True)
    names = {'alpha': alpha, 'beta1': beta1, 'beta2': beta2, 'lambda1': l1, 'lambda2': l2}
    loss = sp.sympify(LOSS.replace('^', '**'), locals=names)
    params = (alpha, beta1, beta2)
    args = (alpha, beta1, beta2, eta, l1, l2)
    step = sp.lambdify(args, [p - eta * sp.diff(loss, p) for p in params], 'numpy')
    hess = sp.hessian(loss, params)
    # The six distinct entries of the symmetric Hessian: a, d, g on the diagonal, b, c, f off it.
    hs = sp.lambdify(args, [hess[0, 0], hess[1, 1], hess[2, 2], hess[0, 1], hess[0, 2], hess[1, 2]], 'numpy')
    return step, hs


def top_closed(a, d, g, b, c, f, n):
    """Largest eigenvalue of [[a b c] [b d f] [c f g]] per lane (Smith 1961; trigonometric form)."""
    a, d, g, b, c, f = (np.broadcast_to(x, n) for x in (a, d, g, b, c, f))
    q = (a + d + g) / 3.0
    p1 = b * b + c * c + f * f
    p2 = (a - q) ** 2 + (d - q) ** 2 + (g - q) ** 2 + 2.0 * p1
    p = np.sqrt(p2 / 6.0)
    safe = np.where(p > 0, p, 1.0)
    A, D, G = (a - q) / safe, (d - q) / safe, (g - q) / safe
    B, C, F = b / safe, c / safe, f / safe
    r = (A * (D * G - F * F) - B * (B * G - F * C) + C * (B * F - D * C)) / 2.0
    phi = np.arccos(np.clip(r, -1.0, 1.0)) / 3.0
    return np.where(p > 0, q + 2.0 * p * np.cos(phi), q)


def top_eigvalsh(a, d, g, b, c, f, n):
    H = np.empty((n, 3, 3))
    for (i, j), x in {(0, 0): a, (1, 1): d, (2, 2): g, (0, 1): b, (0, 2): c, (1, 2): f}.items():
        H[:, i, j] = x
        H[:, j, i] = x
    H[~np.isfinite(H).all(axis=(1, 2))] = 0.0
    return np.linalg.eigvalsh(H)[:, -1]


def run(step, hs, top, eta, l1, l2, th0, steps, bound):
    a, b1, b2 = (x.copy() for x in th0)
    n = a.size
    bad = np.zeros(n, dtype=bool)
    max_eta_s = np.full(n, -np.inf)
    min_abs_b1 = np.abs(b1).copy()
    checks = 0
    with np.errstate(all='ignore'):
        for t in range(steps + 1):
            s = top(*hs(a, b1, b2, eta, l1, l2), n)
            es = eta * s
            # A non-finite sharpness is a violation: a diverged lane cannot satisfy a bound on S.
            bad |= ~(es <= bound)
            np.maximum(max_eta_s, es, out=max_eta_s)
            np.minimum(min_abs_b1, np.abs(b1), out=min_abs_b1)
            checks += n
            if t < steps:
                a, b1, b2 = (np.asarray(x, dtype=float) for x in step(a, b1, b2, eta, l1, l2))
    return checks, bad, max_eta_s, min_abs_b1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('lanes', type=int)
    ap.add_argument('--steps', type=int, default=4000)
    ap.add_argument('--bound', type=float, default=3.2)
    ap.add_argument('--eta', type=float, nargs=2, default=(1.3, 1.5))
    ap.add_argument('--eig', choices=('closed', 'eigvalsh'), default='closed')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--reps', type=int, default=3)
    o = ap.parse_args()
    step, hs = derive()
    rng = np.random.default_rng(o.seed)
    n = o.lanes
    eta = rng.uniform(o.eta[0], o.eta[1], n)
    l1 = np.ones(n)
    l2 = 10.0 ** rng.uniform(-3.0, -2.0, n)
    th0 = (np.ones(n), 10.0 ** rng.uniform(-4.0, -1.0, n), np.zeros(n))
    top = top_closed if o.eig == 'closed' else top_eigvalsh
    run(step, hs, top, eta, l1, l2, th0, 50, o.bound)  # warm-up: NumPy's first calls allocate and dispatch
    times = []
    for _ in range(o.reps):
        t0 = time.perf_counter()
        checks, bad, max_eta_s, min_abs_b1 = run(step, hs, top, eta, l1, l2, th0, o.steps, o.bound)
        times.append(time.perf_counter() - t0)
    sec = sorted(times)[len(times) // 2]
    print(json.dumps({
        'lanes': n, 'steps': o.steps, 'bound': o.bound, 'eig': o.eig, 'iterateChecks': checks, 'seconds': sec,
        'checksPerSecond': checks / sec, 'violatingLanes': int(bad.sum()),
        'maxEtaS': float(np.max(max_eta_s)), 'minAbsBeta1': float(np.min(min_abs_b1)),
        'arithmetic': 'float64', 'loss': LOSS,
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'sympy': sp.__version__},
    }))


if __name__ == '__main__':
    main()

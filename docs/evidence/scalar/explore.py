# float64 exploration: GD on L = 1/2 (prod w - 1)^2, phi = sum 1/(w_i^2 + c)
import numpy as np, sys
def cvals(W):
    # W: (N,D). solve sum log(w_i^2 + c) = 0 on (-m, 2-m) by bisection (vectorized)
    W2 = W**2; m = W2.min(1)
    lo = -m.copy(); hi = 2 - m
    for _ in range(120):
        mid = (lo+hi)/2
        f = np.sum(np.log(np.maximum(W2 + mid[:,None], 1e-300)), 1)
        neg = f < 0
        lo = np.where(neg, mid, lo); hi = np.where(neg, hi, mid)
    return (lo+hi)/2
def phi(W):
    c = cvals(W); return np.sum(1/(W**2 + c[:,None]), 1)
def step(W, eta):
    p = np.prod(W, 1)
    G = np.empty_like(W)
    D = W.shape[1]
    for i in range(D):
        G[:, i] = (p-1)*np.prod(np.delete(W, i, 1), 1)
    return W - eta[:,None]*G
def run(W0, eta, T):
    W = W0.copy(); ph = phi(W); ok = np.ones(len(W), bool); firstbad = np.full(len(W), -1)
    maxrise = np.zeros(len(W))
    for t in range(T):
        Wn = step(W, eta)
        bad = ~np.isfinite(Wn).all(1) | (np.abs(Wn).max(1) > 1e6)
        Wn[bad] = 1.0
        phn = phi(Wn)
        rise = (phn - ph)/ph
        rise[bad] = np.inf
        newbad = (rise > 1e-12) & ok
        firstbad[newbad] = t
        ok &= ~newbad
        maxrise = np.maximum(maxrise, rise)
        W, ph = Wn, phn
    L = 0.5*(np.prod(W,1)-1)**2
    return ok, firstbad, maxrise, W, L

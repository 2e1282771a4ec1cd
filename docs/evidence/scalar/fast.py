import numpy as np
def cvals(W2):
    m = W2.min(1); lo = -m; hi = 2 - m
    for _ in range(30):
        mid = (lo+hi)/2
        f = np.sum(np.log(np.maximum(W2 + mid[:,None], 1e-300)), 1)
        neg = f < 0
        lo = np.where(neg, mid, lo); hi = np.where(neg, hi, mid)
    c = lo + 0*(hi-lo)
    c = np.where(c + m > 0, c, (lo+hi)/2)
    for _ in range(8):
        X = W2 + c[:,None]
        f = np.sum(np.log(X),1); d = np.sum(1/X,1)
        cn = c - f/d
        c = np.where(cn + m > 0, cn, (c - m)/2)
    return c
def phi(W):
    W2 = W**2; c = cvals(W2); return np.sum(1/(W2 + c[:,None]), 1)
def step(W, eta):
    p = np.prod(W, 1); D = W.shape[1]
    G = np.stack([(p-1)*np.prod(W[:, [j for j in range(D) if j != i]], 1) for i in range(D)], 1)
    return W - eta[:,None]*G
def run(W0, eta, T, tol=1e-11):
    W = W0.copy(); ph = phi(W); ok = np.ones(len(W), bool); maxrise = np.full(len(W), -np.inf)
    for t in range(T):
        Wn = step(W, eta)
        bad = ~np.isfinite(Wn).all(1) | (np.abs(Wn).max(1) > 1e6)
        Wn[bad] = 0.5
        phn = phi(Wn)
        rise = (phn - ph)/ph; rise[bad] = np.inf
        ok &= ~(rise > tol); maxrise = np.maximum(maxrise, rise)
        W, ph = Wn, phn
    return ok, maxrise, W, 0.5*(np.prod(W,1)-1)**2
rng = np.random.default_rng(3)
def starts(D, n, kind, lo=0.01, hi=5):
    out=[]
    while sum(len(o) for o in out) < n:
        if kind=='uni': W0 = rng.uniform(lo, 2.0, (n, D))
        else: W0 = np.exp(rng.uniform(np.log(lo), np.log(hi), (n, D)))
        p = np.prod(W0,1); out.append(W0[(p>0)&(p<1)])
    return np.concatenate(out)[:n]

# 50-digit GD on L = 1/2 (prod w - 1)^2 with the GFS sharpness phi = sum 1/(w_i^2 + c)
import mpmath as mp
mp.mp.dps = 50
def croot(w):
    u = [x*x for x in w]; m = min(u)
    f = lambda c: mp.fsum(mp.log(x + c) for x in u)
    lo, hi = -m, 2 - m
    # bisection to 1e-6 then Newton (f concave increasing: from the left Newton stays left)
    for _ in range(25):
        mid = (lo + hi)/2
        if mid + m <= 0 or f(mid) < 0: lo = mid
        else: hi = mid
    c = lo if lo + m > 0 else (lo+hi)/2
    for _ in range(60):
        fc = f(c); d = mp.fsum(1/(x + c) for x in u)
        cn = c - fc/d
        if cn + m <= 0: cn = (c - m)/2
        if abs(cn - c) < mp.mpf(10)**(-mp.mp.dps+3): c = cn; break
        c = cn
    return c
def phi(w):
    c = croot(w); return mp.fsum(1/(x*x + c) for x in w)
def prod(w):
    r = mp.mpf(1)
    for x in w: r *= x
    return r
def grad(w):
    p = prod(w); D = len(w)
    g = []
    for i in range(D):
        q = mp.mpf(1)
        for j in range(D):
            if j != i: q *= w[j]
        g.append((p - 1)*q)
    return g
def step(w, eta):
    g = grad(w); return [x - eta*y for x, y in zip(w, g)]
def loss(w): return (prod(w) - 1)**2/2
def hessian(w):
    D = len(w); p = prod(w)
    H = mp.matrix(D, D)
    def pr(excl):
        r = mp.mpf(1)
        for k in range(D):
            if k not in excl: r *= w[k]
        return r
    for i in range(D):
        for j in range(D):
            if i == j: H[i, j] = pr({i})**2
            else: H[i, j] = pr({i})*pr({j}) + (p - 1)*pr({i, j})
    return H
def sharp(w):
    E = mp.eigsy(hessian(w), eigvals_only=True)
    return max(E)
def run(w0, eta, T, tol=mp.mpf(10)**-40):
    """returns (first t with phi_{t+1} > phi_t (1 + tol) or None, max relative rise, final w, phis)"""
    w = list(w0); ph = phi(w); first = None; maxrise = mp.mpf(-1)
    for t in range(T):
        wn = step(w, eta)
        if max(abs(x) for x in wn) > 1e8: return (first if first is not None else t), mp.inf, wn, ph
        phn = phi(wn)
        r = (phn - ph)/ph
        if r > maxrise: maxrise = r
        if first is None and r > tol: first = t
        w, ph = wn, phn
    return first, maxrise, w, ph

# gradient flow to its limit (RK4, float64, vectorized), top Hessian eigenvalue there vs phi(w0); plus sympy identities
import numpy as np, sympy as sp
from fast import phi, starts, rng
from hess import topS
def grad(W):
    p = np.prod(W, 1); D = W.shape[1]
    return np.stack([(p-1)*np.prod(W[:, [j for j in range(D) if j != i]], 1) for i in range(D)], 1)
for D in (2, 3, 4):
    W0 = np.concatenate([starts(D, 150, 'uni', lo=0.1), rng.uniform(-2, 2, (150, D))])
    W = W0.copy()
    for it in range(400000):
        Wa = np.abs(W); p = np.prod(W, 1)
        bound = np.sum(np.stack([np.prod(Wa[:, [j for j in range(D) if j != i]], 1) for i in range(D)], 1), 1)**2 + D*np.abs(p - 1)*(1 + Wa.max(1)**max(D-2, 0))
        h = 0.05/np.maximum(bound, 1.0)
        k1 = grad(W); k2 = grad(W - h[:,None]/2*k1); k3 = grad(W - h[:,None]/2*k2); k4 = grad(W - h[:,None]*k3)
        W = W - h[:,None]/6*(k1 + 2*k2 + 2*k3 + k4)
        if it % 500 == 0 and np.abs(grad(W)).max() < 1e-13: break
    g = np.abs(grad(W)).max(1)
    conv = g < 1e-12
    S = topS(W); ph0 = phi(W0)
    rel = np.abs(S - ph0)/ph0
    inv = np.abs((W**2 - W[:, :1]**2) - (W0**2 - W0[:, :1]**2)).max(1)
    print(f"D={D}: starts {len(W0)} (150 with 0<p0<1, 150 in [-2,2]^D), converged {conv.sum()}, max |S_flow - phi(w0)|/phi(w0) = {rel[conv].max():.3g}, max drift of w_i^2 - w_1^2 = {inv[conv].max():.3g}, phi range [{ph0.min():.3f}, {ph0.max():.3f}], steps {it}")
    bad = ~conv
    if bad.any(): print('   not converged (saddle / slow):', W0[bad][:3], g[bad][:3])
# identities
for D in (2, 3, 4):
    w = sp.symbols('w1:%d' % (D+1)); eta = sp.Symbol('eta')
    p = sp.Mul(*w); L = (p - 1)**2/2
    g = [sp.diff(L, x) for x in w]
    ok1 = all(sp.expand(w[i]*g[i] - w[0]*g[0]) == 0 for i in range(D))
    wn = [x - eta*y for x, y in zip(w, g)]
    ok2 = all(sp.expand((wn[i]**2 - wn[j]**2) - (w[i]**2 - w[j]**2)*(1 - eta**2*(p-1)**2*sp.Mul(*[w[k]**2 for k in range(D) if k not in (i, j)]))) == 0 for i in range(D) for j in range(i+1, D))
    print(f"D={D}: w_i dL/dw_i == w_1 dL/dw_1 for all i: {ok1}; (w_i'^2 - w_j'^2) == (w_i^2 - w_j^2)(1 - eta^2 (p-1)^2 prod_(k!=i,j) w_k^2): {ok2}")

import numpy as np, sys
# scaled dynamics: x = eta*lambda, p = eta*s*f, q = eta*s*y ; rho = p - q
def run(x, p, q, T=3000):
    x=x.copy(); p=p.copy()
    L0 = (p-q)**2
    maxL = L0.copy(); rose = np.zeros_like(x,bool)
    prevL = L0.copy(); mono = np.ones_like(x,bool)
    for t in range(T):
        r = p - q
        p, x = p - x*r + r*r*p, x - 4*r*p + r*r*x
        L = (p-q)**2
        with np.errstate(all='ignore'):
            mono &= ~(L > prevL)
            maxL = np.fmax(maxL, L)
        prevL = L
        bad = ~np.isfinite(L) | (L>1e200)
        x[bad]=np.nan; p[bad]=np.nan
    return x, p, L, L0, maxL, mono
rng = np.random.default_rng(0)
N=200000
x0 = rng.uniform(0.05, 6, N)
c = rng.uniform(-0.5, 0.5, N)   # p = c*x
p0 = c*x0
q = rng.uniform(-1.5,1.5,N) * (float(sys.argv[1]) if len(sys.argv)>1 else 1)
x,p,L,L0,maxL,mono = run(x0,p0,q)
conv = np.isfinite(L) & (L < 1e-20)
div = ~np.isfinite(L)
for lo,hi in [(0,2),(2,3),(3,3.5),(3.5,4),(4,4.5),(4.5,6)]:
  for qlo,qhi in [(0,0.001),(0.001,0.5),(0.5,1),(1,1.5)]:
    m = (x0>=lo)&(x0<hi)&(abs(q)>=qlo)&(abs(q)<qhi)
    print(f"x0 [{lo},{hi}) |q| [{qlo},{qhi}) n={m.sum():6d} conv={conv[m].mean():.3f} div={div[m].mean():.3f} mono={mono[m].mean():.3f} rose={(maxL[m]>L0[m]).mean():.3f}")

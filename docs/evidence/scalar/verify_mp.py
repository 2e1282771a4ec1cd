# 50-digit check of monotone decrease of phi along GD and of convergence.
import sys, random
from mpgd import *
D = int(sys.argv[1]); K = mp.mpf(sys.argv[2]); Klo = mp.mpf(sys.argv[3]); N = int(sys.argv[4]); T = int(sys.argv[5])
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
random.seed(seed)
viol = 0; worst = mp.mpf(-1); worstw = None; Lmax = 0; etaSmax = 0; etaSmin = 10; n = 0
while n < N:
    kind = random.random() < 0.5
    w = [mp.mpf(random.uniform(0.02, 2.0)) if kind else mp.exp(mp.mpf(random.uniform(mp.log(0.01), mp.log(5)))) for _ in range(D)]
    p = prod(w)
    if not (0 < p < 1): continue
    ph0 = phi(w); eta = (Klo + (K - Klo)*mp.mpf(random.random()))/ph0
    first, mr, wT, phT = run(w, eta, T)
    n += 1
    if first is not None:
        viol += 1; print('VIOL', D, [mp.nstr(x, 17) for x in w], mp.nstr(eta, 17), first, mp.nstr(mr, 5), flush=True)
    if mr > worst: worst, worstw = mr, (w, eta)
    L = loss(wT); Lmax = max(Lmax, L)
    if L < 1e-20:
        eS = eta*sharp(wT); etaSmax = max(etaSmax, eS); etaSmin = min(etaSmin, eS)
print('D', D, 'eta*phi0 in [%s, %s]' % (mp.nstr(Klo, 6), mp.nstr(K, 6)), 'starts', n, 'T', T, 'violations', viol,
      'max rel rise', mp.nstr(worst, 5), 'max L_T', mp.nstr(Lmax, 5), 'eta S_T range (converged)', mp.nstr(etaSmin, 8), mp.nstr(etaSmax, 8), flush=True)

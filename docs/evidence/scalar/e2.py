from explore import *
rng = np.random.default_rng(2)
N=3000
def starts(D, n, kind):
    out=[]
    while sum(len(o) for o in out) < n:
        if kind=='uni': W0 = rng.uniform(0.01, 2.0, (n, D))
        else: W0 = np.exp(rng.uniform(np.log(0.01), np.log(5), (n, D)))
        p = np.prod(W0,1); out.append(W0[(p>0)&(p<1)])
    return np.concatenate(out)[:n]
for D in (2,3,4):
  for K in (2.0, 2.6, 2.7, 2.75, 2.8, 2.83, 2.9, 3.0):
    for kind in ('uni','log'):
        W0 = starts(D, N, kind)
        ph0 = phi(W0)
        eta = K*rng.uniform(0.9,1.0,len(W0))/ph0
        ok, fb, mr, W, L = run(W0, eta, 1000)
        i = np.argmax(mr)
        print(D, K, kind, 'viol', (~ok).sum(), 'maxrise %.3g'%mr.max(), 'at', W0[i], 'eta*phi0 %.4f'%(eta[i]*ph0[i]), 'L_end max %.3g'%np.nanmax(L), flush=True)

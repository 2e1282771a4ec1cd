from explore import *
rng = np.random.default_rng(1)
N=4000
for D in (2,3,4):
  for K in (1.0, 1.5, 1.9, 2.0, 2.2, 2.5, 2.8, 3.0):
    for region in ('pos01','pos','any'):
        if region=='pos01':
            W0 = rng.uniform(0.05, 2.0, (N*3, D)); p = np.prod(W0,1); W0 = W0[(p>0)&(p<1)][:N]
        elif region=='pos':
            W0 = rng.uniform(0.05, 2.0, (N, D))
        else:
            W0 = rng.uniform(-2, 2, (N, D))
        ph0 = phi(W0)
        eta = K*rng.uniform(0.5,1.0,len(W0))/ph0  # eta*phi0 in [K/2, K]
        ok, fb, mr, W, L = run(W0, eta, 400)
        print(D, K, region, len(W0), 'viol', (~ok).sum(), 'maxrise %.3g'%mr.max(), 'L_end max %.3g'%np.nanmax(L), flush=True)

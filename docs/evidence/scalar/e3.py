from fast import *
import sys
D = int(sys.argv[1]); Ks = [float(x) for x in sys.argv[2].split(',')]; T = int(sys.argv[3]); N = int(sys.argv[4])
for K in Ks:
    for kind in ('uni','log'):
        W0 = starts(D, N, kind)
        ph0 = phi(W0); eta = K*rng.uniform(0.97,1.0,len(W0))/ph0
        ok, mr, W, L = run(W0, eta, T)
        i = np.argmax(mr)
        print(D, K, kind, 'viol', (~ok).sum(), 'maxrise %.3g'%mr.max(), 'at', np.array2string(W0[i], precision=4), 'eta*phi0 %.4f eta %.4f'%(eta[i]*ph0[i], eta[i]), 'L_end max %.3g'%np.nanmax(L), flush=True)

from fast import *
import sys
def topS(W):
    D = W.shape[1]; p = np.prod(W,1)
    H = np.zeros((len(W), D, D))
    for i in range(D):
        for j in range(D):
            if i == j: H[:, i, i] = np.prod(W[:, [k for k in range(D) if k != i]], 1)**2
            else:
                a = np.prod(W[:, [k for k in range(D) if k != i]], 1); b = np.prod(W[:, [k for k in range(D) if k != j]], 1)
                H[:, i, j] = a*b + (p-1)*np.prod(W[:, [k for k in range(D) if k not in (i, j)]], 1)
    return np.linalg.eigvalsh(H)[:, -1]
D = int(sys.argv[1]); Klo, Khi = float(sys.argv[2]), float(sys.argv[3]); T = int(sys.argv[4]); N = int(sys.argv[5]); etamax = float(sys.argv[6])
W0 = starts(D, N, 'uni', lo=0.1)
ph0 = phi(W0); eta = rng.uniform(Klo, Khi, len(W0))/ph0
keep = eta < etamax; W0, ph0, eta = W0[keep], ph0[keep], eta[keep]
ok, mr, W, L = run(W0, eta, T)
S = topS(W); phE = phi(W)
print(D, Klo, Khi, 'n', len(W0), 'viol', (~ok).sum(), 'L_end max %.3g'%L.max(), 'median %.3g'%np.median(L), 'etaS_end [%.5f, %.5f]'%((eta*S).min(), (eta*S).max()), 'eta phi_end [%.5f, %.5f]'%((eta*phE).min(), (eta*phE).max()))

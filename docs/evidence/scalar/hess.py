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

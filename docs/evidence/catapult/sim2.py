import numpy as np, sys
n=int(sys.argv[1]); Y=float(sys.argv[2]); s=1/np.sqrt(n)
rng=np.random.default_rng(1); N=400000
u=rng.uniform(-1,1,(N,n)); v=rng.uniform(-1,1,(N,n)); y=rng.uniform(-Y,Y,N)
lam0=s*s*((u*u).sum(1)+(v*v).sum(1)); f0=s*(u*v).sum(1)
xt=rng.uniform(0.05,6,N); eta=xt/lam0
x=eta*lam0; p=eta*s*f0; q=eta*s*y
T=int(sys.argv[3]) if len(sys.argv)>3 else 2000
L0=(p-q)**2; prev=L0.copy(); mono=np.ones(N,bool); maxL=L0.copy(); xmono=np.ones(N,bool)
tdrop=np.full(N,-1); tdiv=np.full(N,-1)
with np.errstate(all='ignore'):
  for t in range(T):
    r=p-q
    pn=p-x*r+r*r*p; xn=x-4*r*p+r*r*x
    xmono &= ~(xn>x*(1+1e-15)+1e-300)
    p,x=pn,xn
    L=(p-q)**2
    mono &= ~(L>prev); prev=L; maxL=np.fmax(maxL,L)
    tdrop[(tdrop<0)&(x<2)]=t+1
    tdiv[(tdiv<0)&~(L<1e20)]=t+1
    x[~(L<1e20)]=np.nan; p[~(L<1e20)]=np.nan
conv=(L<1e-20)
np.savez('/tmp/cat/res%d.npz'%n,x0=eta*lam0,q=q,w0=(eta*s*f0)**2,conv=conv,mono=mono,maxL=maxL,L0=L0,tdrop=tdrop,tdiv=tdiv,xmono=xmono,lam0=lam0,f0=f0,eta=eta,y=y)
X0=eta*lam0
for lo,hi in [(0,1),(1,2),(2,2.5),(2.5,3),(3,3.5),(3.5,3.9),(3.9,4),(4,4.1),(4.1,4.5),(4.5,6)]:
  for qlo,qhi in [(0,0.05),(0.05,0.1),(0.1,0.2),(0.2,0.4),(0.4,2)]:
    m=(X0>=lo)&(X0<hi)&(abs(q)>=qlo)&(abs(q)<qhi)
    if m.sum()==0: continue
    print(f"x0[{lo},{hi}) |q|[{qlo},{qhi}) n={m.sum():6d} conv={conv[m].mean():.4f} div={(tdiv[m]>=0).mean():.4f} mono={mono[m].mean():.4f} rose={(maxL[m]>L0[m]).mean():.3f} xmono={xmono[m].mean():.3f}")

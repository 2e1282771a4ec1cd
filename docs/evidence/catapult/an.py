import numpy as np, sys
n=int(sys.argv[1]); d=np.load('/tmp/cat/res%d.npz'%n)
x0,w0,tdrop,tdiv,conv,mono,maxL,L0,xmono=[d[k] for k in ['x0','w0','tdrop','tdiv','conv','mono','maxL','L0','xmono']]
for wlo in [0,1e-4,1e-3,1e-2,0.05]:
  for lo,hi in [(2.05,4),(2.1,3.9),(2.2,3.8),(2.5,3.5)]:
    m=(x0>lo)&(x0<hi)&(w0>=wlo)
    print(f"catapult w0>={wlo} x0({lo},{hi}) n={m.sum()} conv={conv[m].mean():.4f} max tdrop={tdrop[m].max()} nodrop={(tdrop[m]<0).sum()} xmono={xmono[m].mean():.3f} rose={(maxL[m]>L0[m]).mean():.3f}")
  for lo in [4.0,4.05,4.1,4.2,4.5]:
    m=(x0>lo)&(x0<8)&(w0>=wlo)
    print(f"diverge w0>={wlo} x0>{lo} n={m.sum()} div={(tdiv[m]>=0).mean():.4f} max tdiv={tdiv[m].max()}")
m=(x0<2)&(x0>0.5)
print('lazy mono',mono[m].mean(),'conv',conv[m].mean())

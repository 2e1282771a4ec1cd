from mpgd import *
def report(name, w, eta, T=50):
    w = [mp.mpf(x) for x in w]; eta = mp.mpf(eta)
    ph0 = phi(w); S0 = sharp(w); p0 = prod(w)
    first, mr, wT, phT = run(w, eta, T)
    line = f"{name}: w0={[mp.nstr(x,8) for x in w]} eta={mp.nstr(eta,8)} p0={mp.nstr(p0,6)} eta*phi0={mp.nstr(eta*ph0,8)} eta*S0={mp.nstr(eta*S0,8)}"
    if first is not None:
        w1 = list(w)
        for t in range(first): w1 = step(w1, eta)
        try:
            a, b = phi(w1), phi(step(w1, eta))
        except ZeroDivisionError:
            a, b = phi(w1), mp.inf
        line += f" -> first rise at t={first}: phi_t={mp.nstr(a,12)} phi_t+1={mp.nstr(b,12)} (rel {mp.nstr((b-a)/a,4)})"
    else:
        line += f" -> no rise in {T} steps (max rel change {mp.nstr(mr,4)})"
    print(line, flush=True)
import sys
if len(sys.argv) > 1: sys.exit(0)
# no product condition (p0 > 1), eta*phi0 <= 2

report('D=2 p0>1', ['2', '2.05'], '0.9')
report('D=3 p0>1', ['1.5', '1.6', '1.4'], '0.55')
report('D=4 p0>1', ['1.3', '1.4', '1.2', '1.35'], '0.4')
# negative product
report('D=2 p0<0', ['0.8', '-0.9'], '0.9')
report('D=3 p0<0', ['0.8', '-0.9', '0.7'], '0.6')
report('D=4 p0<0', ['0.8', '-0.9', '0.7', '1.0'], '0.45')
# eta*phi0 slightly above 2 sqrt 2 in D=2
report('D=2 K>2sqrt2', ['0.1', '0.2'], '1.45')
# above the D=3, D=4 thresholds
report('D=3 K~3.2', ['0.3111', '0.0111', '4.7967'], '0.3217')
report('D=4 K~4', ['1.9599', '0.0113', '0.4271', '1.9463'], '0.4447')
# condition on S instead of phi
report('D=2 eta S0<=2', ['0.5', '0.2'], '2.0')
report('D=3 eta S0<=2', ['0.5', '0.4', '0.3'], '2.0')
report('D=4 eta S0<=2', ['0.5', '0.4', '0.3', '0.6'], '2.0')

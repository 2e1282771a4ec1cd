import itertools
def W(D): return [f'w{i}' for i in range(1, D+1)]
def box(vals, r): return '{ ' + ', '.join(f"w{i+1}: {{ min: {round(v-r, 6)}, max: {round(v+r, 6)} }}" for i, v in enumerate(vals)) + ' }'
def uni(D, lo, hi): return '{ ' + ', '.join(f"w{i}: {{ min: {lo}, max: {hi} }}" for i in range(1, D+1)) + ' }'
SRC = 'Kreisler, Nacson, Soudry, Carmon (ICML 2023); docs/paper.md section 5'
def gen(D, cex):
    ws = W(D); zero = '{ ' + ', '.join(f'{w}: 0' for w in ws) + ' }'
    bal = [f"'w1 * g_w1 == {w} * g_{w}'" for w in ws[1:]] + ["'w1 * g_w1 == (p - 1) * p'"]
    pairs = list(itertools.combinations(range(D), 2))
    gdc = []
    for i, j in pairs:
        rest = ' * '.join(f'w{k+1}^2' for k in range(D) if k not in (i, j))
        gdc.append(f"'w{i+1}_next^2 - w{j+1}_next^2 == (w{i+1}^2 - w{j+1}^2) * (1 - eta^2 * (p - 1)^2 * {rest})'")
    d1 = f"""import {{ defineLemma }} from '../../src/lemma/types.js';

const everyW = {{ hyper: {{ eta: {{ min: 0.001, max: 100 }} }}, init: {zero} }};

export default [
  defineLemma({{
    id: 'd1-balance-identity-d{D}',
    title: 'w_i dL/dw_i = (p - 1) p for every i, so every w_i^2 - w_j^2 is conserved by gradient flow (D = {D})',
    claim: 'D1',
    provenance: 'derived',
    description: `L = 1/2 (w1 ... w{D} - 1)^2 gives dL/dw_i = (p - 1) p / w_i, so w_i g_w_i = (p - 1) p for every i and
d/dt (w_i^2 - w_j^2) = -2 (w_i g_w_i - w_j g_w_j) = 0 along gradient flow ({SRC}). Proved by polynomial expansion
(also checked with sympy, scratch/scalar/flow.py).`,
    hypotheses: everyW,
    quantifier: {{ kind: 'identity' }},
    statement: [{', '.join(bal)}],
    expect: 'holds',
  }}),
  defineLemma({{
    id: 'd1-exact-gd-change-of-the-invariants-d{D}',
    title: 'Under one GD step, w_i^2 - w_j^2 is multiplied by 1 - eta^2 (p - 1)^2 prod_(k != i, j) w_k^2 (D = {D})',
    claim: 'D1',
    provenance: 'derived',
    description: `Expand (w_i - eta g_w_i)^2 - (w_j - eta g_w_j)^2: the first-order term vanishes by d1-balance-identity-d{D}, and
eta^2 (g_w_i^2 - g_w_j^2) = eta^2 (p - 1)^2 p^2 (1/w_i^2 - 1/w_j^2). So GD shrinks every imbalance while all the
factors lie in [-1, 1]; phi depends on w only through these differences. Our derivation; proved by expansion (sympy
agrees, scratch/scalar/flow.py).`,
    hypotheses: everyW,
    quantifier: {{ kind: 'identity' }},
    statement: [{', '.join(gdc)}],
    expect: 'holds',
  }}),
];
"""
    d2 = f"""import {{ defineLemma }} from '../../src/lemma/types.js';

export default [
  defineLemma({{
    id: 'd2-phi-is-flow-limit-sharpness-d{D}',
    title: 'phi(w) = sum_i 1/(w_i^2 + c) is the top Hessian eigenvalue at the gradient-flow limit from w (D = {D})',
    claim: 'D2',
    provenance: 'derived',
    description: `Gradient flow conserves every w_i^2 - w_j^2 (d1-balance-identity-d{D}) and p increases to 1 (dp/dt = (1 - p)
sum_i (p/w_i)^2), so the limit s has s_i^2 = w_i^2 + c with prod_i (w_i^2 + c) = 1; the Hessian there is g g^T with
g_i = 1/s_i, top eigenvalue sum_i 1/s_i^2 = phi ({SRC}). Float64 only (Dormand-Prince to ||grad|| < 1e-12);
tolerance 1e-6 relative for S, 1e-8 for the invariants and the product. Positive starts away from 0 (the flow from a
start with two small weights passes near the saddles where two weights vanish and takes long). Our check
(scratch/scalar/flow.py, RK4, 150 starts with 0 < p_0 < 1 and 150 in [-2, 2]^{D}, all converged): max
|S_flow - phi(w_0)|/phi(w_0) = {cex['flowerr']}, drift of the invariants <= {cex['flowdrift']}.`,
    hypotheses: {{ hyper: {{ eta: 1 }}, init: {uni(D, 0.4, 1.6)} }},
    quantifier: {{ kind: 'flow-limit' }},
    statement: [
      'abs(S_flow - phi_0) <= 1e-6 * phi_0',
      'abs((w1_flow^2 - w2_flow^2) - (w1_0^2 - w2_0^2)) <= 1e-8',
      'abs(p_flow - 1) <= 1e-8',
    ],
    runs: 6,
    expect: 'holds',
  }}),
];
"""
    d3 = f"""import {{ defineLemma }} from '../../src/lemma/types.js';

export default [
  defineLemma({{
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-d{D}',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2, then phi(w_{{t+1}}) <= phi(w_t) at every step (D = {D})',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The GFS-sharpness decrease of {SRC}, with our hypotheses: p_0 = w1 ... w{D} in (0, 1) (up to
the sign flips of an even number of weights, which L and GD commute with, this is "positive weights, loss below 1/2")
and eta phi(w_0) <= 2. The paper's exact theorem text was not reachable (scratch/scalar-notes.md). Evidence: float64
(scratch/scalar/e1.py, e3.py: 4000 + 6000 starts, 400-1000 steps) and 50-digit GD (scratch/scalar/verify_mp.py), no
rise. Without 0 < p_0 < 1 it is FALSIFIED (d3-phi-non-increasing-without-product-condition-d{D}).`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {cex['etalo']}, max: {cex['etahi']} }} }},
      init: {uni(D, 0.1, 1.5)},
      where: ['p_0 < 1', 'eta * phi_0 <= 2'],
    }},
    quantifier: {{ kind: 'every-step' }},
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }}),
  defineLemma({{
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-sqrt2-d{D}',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2 sqrt(2), then phi(w_{{t+1}}) <= phi(w_t) at every step (D = {D})',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The decrease in the edge-of-stability range 2 < eta phi_0 <= 2 sqrt(2) (written eta^2 phi_0^2 <= 8). The
constant is tight for D = 2 (lemmas/scalar-d2); for D = {D} it is not: float64 scans (scratch/scalar/e3.py, 6000
starts per K with eta phi_0 in [0.97 K, K], 1000 steps) found no rise up to K = {cex['kok']} and the first rises at
K = {cex['kbad']} (d3-phi-non-increasing-above-the-threshold-d{D}). Evidence, not proof.`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {cex['etalo']}, max: {cex['etahi2']} }} }},
      init: {uni(D, 0.1, 1.5)},
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta^2 * phi_0^2 <= 8'],
    }},
    quantifier: {{ kind: 'every-step' }},
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }}),
  defineLemma({{
    id: 'd3-phi-non-increasing-without-product-condition-d{D}',
    title: 'Known false: eta phi(w_0) <= 2 alone (here p_0 > 1) keeps phi non-increasing (D = {D})',
    claim: 'D3',
    provenance: 'variant',
    description: `Far from the minimizers the gradient is large although eta phi_0 < 2: the first step multiplies some
imbalance by a factor below -1 (d1-exact-gd-change-of-the-invariants-d{D}). 50 digits (scratch/scalar/cex.py):
{cex['noprod_text']}`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {cex['noprod_eta'] - 0.01}, max: {cex['noprod_eta'] + 0.01} }} }},
      init: {box(cex['noprod_w'], 0.02)},
      where: ['eta * phi_0 <= 2'],
    }},
    quantifier: {{ kind: 'every-step' }},
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }}),
  defineLemma({{
    id: 'd3-phi-non-increasing-above-the-threshold-d{D}',
    title: 'Known false: 0 < p_0 < 1 and eta phi(w_0) <= {cex['kclaim']} keep phi non-increasing (D = {D})',
    claim: 'D3',
    provenance: 'variant',
    description: `Above the numerically found threshold (between {cex['kok']} and {cex['kbad']} for D = {D}): a start with one
tiny weight. 50 digits (scratch/scalar/cex.py): {cex['above_text']}`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {round(cex['above_eta'] - 0.0005, 6)}, max: {round(cex['above_eta'] + 0.0005, 6)} }} }},
      init: {box(cex['above_w'], 0.0005)},
      where: ['p_0 < 1', 'eta * phi_0 <= {cex['kclaim']}'],
    }},
    quantifier: {{ kind: 'every-step' }},
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }}),
"""
    if cex.get('s_w'):
        d3 += f"""  defineLemma({{
    id: 'd3-phi-non-increasing-when-eta-s0-at-most-2-d{D}',
    title: 'Known false: the condition on the sharpness, 0 < p_0 < 1 and eta S(w_0) <= 2, keeps phi non-increasing (D = {D})',
    claim: 'D3',
    provenance: 'variant',
    description: `The classical condition on the current sharpness S instead of phi: from small weights S_0 is far below
phi_0. 50 digits (scratch/scalar/cex.py): {cex['s_text']}`,
    hypotheses: {{
      hyper: {{ eta: {{ min: 1.98, max: 2 }} }},
      init: {box(cex['s_w'], 0.005)},
      where: ['p_0 < 1'],
    }},
    quantifier: {{ kind: 'every-step', when: 'eta * S_0 <= 2' }},
    statement: 'phi_next <= phi',
    steps: 6,
    runs: 10,
    expect: 'fails',
  }}),
"""
    d3 += "];\n"
    d4 = f"""import {{ defineLemma }} from '../../src/lemma/types.js';

export default [
  defineLemma({{
    id: 'd4-gd-converges-below-the-edge-d{D}',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 1.9, GD reaches L <= 1e-20 by T = 400 with phi_T <= phi_0 and eta S_T <= 2 (D = {D})',
    claim: 'D4',
    provenance: 'paper-claim',
    description: `Convergence under the step-size condition, as a finite-horizon proxy: phi is non-increasing
(d3-phi-non-increasing-when-eta-phi0-at-most-2-d{D}) and the sharpness at the limit is phi there, so eta S < 2 near
the limit. eta >= {cex['etalo']} keeps the linear rate away from 1 (phi >= {D} at a minimizer, AM-GM). Evidence
(scratch/scalar/e4.py, float64, 2000 starts with eta phi_0 in [0.5, 1.9], 3000 steps): max L_T = {cex['convL']},
eta S_T in {cex['convS']}. Starts with weights >= 0.3 (a tiny weight makes the early phase long).`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {cex['etalo']}, max: {cex['etahi']} }} }},
      init: {uni(D, 0.3, 1.4)},
      where: ['p_0 < 1', 'eta * phi_0 <= 1.9'],
    }},
    quantifier: {{ kind: 'at-end' }},
    statement: ['L <= 1e-20', 'phi <= phi_0', 'eta * S <= 2'],
    steps: 400,
    runs: 16,
    expect: 'holds',
  }}),
  defineLemma({{
    id: 'd4-gd-converges-in-the-eos-range-d{D}',
    title: 'If 0 < p_0 < 1, 2 < eta phi(w_0) <= 2.8 and eta {D} <= 1.9, GD converges (L_T <= 1e-12) with eta S_T <= 2 (D = {D})',
    claim: 'D4',
    provenance: 'paper-claim',
    description: `Above the classical step size phi still decreases until the flow-limit sharpness is below 2/eta, and GD
converges to a stable minimizer. A minimizer with eta S <= 2 exists only if eta D <= 2 (phi >= D there), hence
eta <= 1.9/{D}. Evidence (scratch/scalar/e4.py, float64, {cex['eosn']} starts with eta phi_0 in [2.05, 2.8], 3000 steps):
max L_T = {cex['eosL']}, eta S_T in {cex['eosS']}; the limit is not pinned at the edge. Horizon T = 800 (ours).`,
    hypotheses: {{
      hyper: {{ eta: {{ min: {round(1.5/D, 4)}, max: {round(1.9/D, 4)} }} }},
      init: {uni(D, 0.3, 1.4)},
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta * phi_0 <= 2.8'],
    }},
    quantifier: {{ kind: 'at-end' }},
    statement: ['L <= 1e-12', 'eta * S <= 2'],
    steps: 800,
    runs: 16,
    expect: 'holds',
  }}),
];
"""
    import os
    d = f'/work/main/lemmas/scalar-d{D}'
    for name, txt in [('d1-flow-invariant', d1), ('d2-flow-limit-sharpness', d2), ('d3-gfs-sharpness-non-increasing', d3), ('d4-convergence', d4)]:
        open(f'{d}/{name}.ts', 'w').write(txt)
gen(3, dict(flowerr='1.6e-9', flowdrift='2.9e-9', etalo=0.2, etahi=0.66, etahi2=0.94, kok='3.0', kbad='3.2', kclaim=3.5,
    noprod_w=[1.5, 1.6, 1.4], noprod_eta=0.55, noprod_text='w_0 = (1.5, 1.6, 1.4), eta = 0.55, eta phi_0 = 1.700, p_0 = 3.36: phi rises from 3.0915 to 3.7356 at t = 0 and GD diverges.',
    above_w=[0.3111, 0.0111, 4.7967], above_eta=0.3217, above_text='w_0 = (0.3111, 0.0111, 4.7967), eta = 0.3217, p_0 = 0.0166, eta phi_0 = 3.194: phi rises from 9.92798 to 10.07839 at t = 0.',
    s_w=[0.5, 0.4, 0.3], s_text='w_0 = (0.5, 0.4, 0.3), eta = 2, eta S_0 = 0.976, eta phi_0 = 6.013: phi rises from 3.0000475 to 3.0082281 at t = 2.',
    convL='2.5e-30', convS='[0.498, 1.889]', eosn=943, eosL='2.8e-25', eosS='[1.097, 1.991]'))
gen(4, dict(flowerr='1.3e-9', flowdrift='1.6e-9', etalo=0.15, etahi=0.5, etahi2=0.71, kok='3.0 (uniform starts: 3.5)', kbad='3.5 (log-uniform starts)', kclaim=4.1,
    noprod_w=[1.5, 1.6, 1.4, 1.45], noprod_eta=0.3, noprod_text='w_0 = (1.5, 1.6, 1.4, 1.45), eta = 0.3, eta phi_0 = 1.227, p_0 = 4.87: phi rises from 4.0893 to 13.0778 at t = 0.',
    above_w=[1.9599, 0.0113, 0.4271, 1.9463], above_eta=0.4447, above_text='w_0 = (1.9599, 0.0113, 0.4271, 1.9463), eta = 0.4447, p_0 = 0.0184, eta phi_0 = 3.999: phi rises from 8.99250 to 9.38795 at t = 0.',
    s_w=None, convL='3.0e-30', convS='[0.498, 1.893]', eosn=1139, eosL='2.4e-10', eosS='[1.081, 1.997]'))

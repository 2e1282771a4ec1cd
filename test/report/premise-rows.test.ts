/**
 * A row shows what it claims: the quantifier as a sentence with the lemma's own expressions (text,
 * JSON, HTML), and an identity has no start (issue 22, items 5 and 6).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from '../support/cli.js';

const hyper = { eta: { min: 1.5, max: 1.9 }, lambda1: 1, lambda2: 1e-3 };
const init = { alpha: 1, beta1: { min: 0.005, max: 0.02 }, beta2: 0 };
const common = { claim: 'C6', provenance: 'variant', description: 'premise rows', expect: 'holds' };

describe('report rows', () => {
  it('an identity needs no init, is PROVED, and reads "every theta", not a start at the origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-premise-'));
    const file = join(dir, 'identity.json');
    writeFileSync(file, JSON.stringify({ id: 'split-without-start', title: 'L splits', ...common, hypotheses: { hyper }, quantifier: { kind: 'identity' }, statement: 'L == L_osc + L_conv' }));
    const text = await runCli(['verify', file]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/theta: every theta/);
    expect(text.out).not.toMatch(/init: alpha/);
    expect(text.out).toMatch(/claim: for every theta and every hyperparameter in its range: L == L_osc \+ L_conv/);
    const json = JSON.parse((await runCli(['verify', file, '--json'])).out);
    expect(json.outcomes[0].kind).toBe('PROVED');
  });

  it('the quantifier, its event and when, are in the text, the JSON and the HTML row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-premise-'));
    const file = join(dir, 'after.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'bounded-after-the-edge', title: 'after eta S reaches 2, a loose bound', ...common,
        hypotheses: { hyper, init }, quantifier: { kind: 'after-event', event: 'eta * S >= 2', when: 'L <= 10' },
        statement: 'eta * S <= 3', steps: 400, runs: 3,
      }),
    );
    const html = join(dir, 'r.html');
    const text = await runCli(['verify', file, '--html', html]);
    expect(text.code, text.err).toBe(0);
    expect(text.out.replace(/\s+/g, ' ')).toMatch(/claim: at every step t from the first step T_event where eta \* S >= 2 through 400, where L <= 10: eta \* S <= 3/);
    const json = JSON.parse((await runCli(['verify', file, '--json'])).out);
    const premise = json.outcomes[0].premise;
    expect(premise).toContainEqual({ text: 'eta * S >= 2', latex: expect.stringContaining('\\ge') });
    expect(premise).toContainEqual({ text: 'L <= 10', latex: expect.stringContaining('\\le') });
    const page = readFileSync(html, 'utf8');
    const row = page.slice(page.indexOf('id="lemma-bounded-after-the-edge"'));
    const premiseDiv = /<div class="premise"[^>]*>(.*?):<\/div>/s.exec(row);
    expect(premiseDiv).not.toBeNull();
    expect(premiseDiv![1]).toContain('first step T_event where');
    // the expressions are typeset (MathML), like the statement
    expect((premiseDiv![1]!.match(/<math/g) ?? []).length).toBe(2);
  });

  it('skipped draws are in view: drawn / kept / checked in the text, the JSON and the HTML, with a warning under half kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-premise-'));
    const file = join(dir, 'sparse.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'sparse-where', title: 'loss stays finite', ...common,
        hypotheses: { hyper, init: { alpha: 1, beta1: { min: 0.001, max: 1, scale: 'log' }, beta2: 0 }, where: ['beta1_0 < 0.005'] },
        quantifier: { kind: 'every-step' }, statement: 'L >= 0', steps: 50, runs: 64,
      }),
    );
    const html = join(dir, 'r.html');
    const text = await runCli(['verify', file, '--html', html, '--wide']);
    expect(text.code, text.err).toBe(0);
    const json = JSON.parse((await runCli(['verify', file, '--json'])).out);
    const o = json.outcomes[0];
    // beta1_0 < 0.005 keeps 23% of the (log) range: most points drawn are outside, and a random draw
    // outside is redrawn, so nearly all 64 are checked.
    expect(o.draws.drawn).toBeGreaterThan(128);
    expect(o.draws.kept).toBeGreaterThan(56);
    expect(o.draws.kept).toBeLessThanOrEqual(64);
    expect(o.draws.checked).toBe(o.trajectories);
    expect(o.draws.checked).toBe(o.draws.kept + o.searchTrajectories);
    const flat = text.out.replace(/\s+/g, ' ');
    expect(flat).toContain(`${o.draws.drawn}/${o.draws.kept}/${o.draws.checked} !`);
    expect(flat).toMatch(new RegExp(`sparse-where: only ${o.draws.kept} of ${o.draws.drawn} random points drawn were inside the hypotheses`));
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(new RegExp(`<div class="draws few"[^>]*>${o.draws.drawn}/${o.draws.kept}/${o.draws.checked}<br>only \\d+% kept</div>`));
    expect(text.out).toContain(' !');
  });
});

/**
 * The decision ladder as data (src/numeric/ladder.ts). decide.ts walks it; until certify.ts and
 * region-prove.ts read their precisions from it too, this checks that the table says what they do (their constants are
 * read from the source where they are not exported), so the table cannot drift from the code.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bitsOf, LADDER, RUNGS } from '../../src/numeric/ladder.js';
import { CERTIFY_MAX_BITS, CERTIFY_START_BITS } from '../../src/check/certify.js';

const source = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const constant = (text: string, name: string): number[] => {
  const m = new RegExp(`const ${name} = \\[?([0-9, ]+)\\]?`).exec(text);
  if (!m) throw new Error(`no constant ${name}`);
  return m[1]!.split(',').map((x) => Number(x.trim()));
};

describe('the decision ladder', () => {
  it('every consumer names known rungs, in the order cheap to dear, each with its precisions', () => {
    for (const steps of Object.values(LADDER)) {
      expect(steps.length).toBeGreaterThan(0);
      for (const s of steps) {
        expect(RUNGS[s.rung].id).toBe(s.rung);
        expect(s.bits.length).toBeGreaterThan(0);
        // Within a rung the precision only rises.
        for (let i = 1; i < s.bits.length; i++) expect(s.bits[i]!).toBeGreaterThan(s.bits[i - 1]!);
      }
    }
    expect(LADDER.sampled.map((s) => s.rung)).toEqual(['float', 'double-double', 'extended', 'rounded-rational', 'sylvester', 'exact-rational']);
    expect(() => bitsOf('regionProver', 'float')).toThrow(RangeError);
  });

  it("agrees with the consumers' own constants (check/decide.ts, check/certify.ts, check/region-prove.ts)", () => {
    // decide.ts walks LADDER.sampled itself: it must keep no precisions of its own.
    const decide = source('src/check/decide.ts');
    expect(decide).toMatch(/for \(const step of LADDER\.sampled\)/);
    expect(decide).not.toMatch(/const (ROUNDED_BITS|ENCLOSURE_BITS)/);
    const orbit = bitsOf('certifiedOrbit', 'dyadic');
    expect(orbit[0]).toBe(CERTIFY_START_BITS);
    expect(orbit[orbit.length - 1]).toBe(CERTIFY_MAX_BITS);
    // certified-orbit.ts doubles the precision at each restart.
    for (let i = 1; i < orbit.length; i++) expect(orbit[i]).toBe(Math.min(2 * orbit[i - 1]!, CERTIFY_MAX_BITS));
    expect(bitsOf('regionProver', 'dyadic')).toEqual(constant(source('src/check/region-prove.ts'), 'DEFAULT_BITS'));
  });
});

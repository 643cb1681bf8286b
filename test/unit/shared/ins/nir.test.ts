import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeNirKey, formatNir, validateNir, withNirKey } from '../../../../src/shared/ins/nir';

describe('NIR key', () => {
  it('matches the published examples', () => {
    expect(computeNirKey('2790351215189')).toBe(89);
    expect(computeNirKey('2070585756270')).toBe(97);
    // The ANS test patient of the CDA fixtures.
    expect(validateNir('279035121518989')).toEqual({ ok: true, nir: '279035121518989', key: '89' });
  });

  it('yields 97, not 0, when N is a multiple of 97', () => {
    expect(validateNir('207058575627097').ok).toBe(true);
    const r = validateNir('207058575627000');
    expect(r.ok).toBe(false);
  });

  it('reads Corsica 2A as 19 and 2B as 18', () => {
    const a = computeNirKey('185062A004012');
    const b = computeNirKey('1850619004012');
    expect(a).toBe(b);
    expect(computeNirKey('185062B004012')).toBe(computeNirKey('1850618004012'));
    expect(computeNirKey('1850619004012')).toBe(97 - Number(1850619004012n % 97n));
    expect(validateNir(withNirKey('185062A004012')).ok).toBe(true);
    expect(validateNir('1 85 06 2a 004 012 ' + String(a).padStart(2, '0')).ok).toBe(true);
  });

  it('refuses a wrong key with a French message giving the expected key', () => {
    const r = validateNir('279035121518988');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('89 attendue') });
  });

  it('refuses malformed numbers with a precise message', () => {
    expect(validateNir('')).toMatchObject({ ok: false, error: 'Le NIR est vide.' });
    expect(validateNir('2790351215189')).toMatchObject({ ok: false, error: expect.stringContaining('clé du NIR manque') });
    expect(validateNir('27903512151')).toMatchObject({ ok: false, error: expect.stringContaining('15 caractères') });
    expect(validateNir('579035121518989')).toMatchObject({ ok: false, error: expect.stringContaining('commencer par') });
    expect(validateNir('27903X121518989')).toMatchObject({ ok: false, error: expect.stringContaining('chiffres') });
    expect(validateNir('2A9035121518989')).toMatchObject({ ok: false, error: expect.stringContaining('2A ou 2B') });
    expect(() => computeNirKey('12')).toThrow(/13 caractères/);
  });

  it('any single-digit change of a valid NIR is detected', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[12]\d{12}$/), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const nir = withNirKey(body);
        expect(validateNir(nir).ok).toBe(true);
        const digit = (Number(nir[pos]) + delta) % 10;
        const mutated = nir.slice(0, pos) + digit + nir.slice(pos + 1);
        const r = validateNir(mutated);
        // A changed first digit may make the body malformed; either way it is refused.
        expect(r.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('formats for display in groups', () => {
    expect(formatNir('279035121518989')).toBe('2 79 03 51 215 189 89');
    expect(formatNir('185062A004012')).toBe('1 85 06 2A 004 012');
  });
});

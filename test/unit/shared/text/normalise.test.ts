import { describe, expect, it } from 'vitest';
import { foldText, nameTokens, queryTokens, searchTokens, tokensMatch } from '../../../../src/shared/text/normalise';
import { parseFrenchDate, parsePatientQuery } from '../../../../src/shared/text/query';

describe('search normalisation', () => {
  it('folds accents and case', () => {
    expect(foldText('Élodie Hélène Noël Benoît')).toBe('elodie helene noel benoit');
    expect(foldText('ÈÊËÉ àâ ç ïî ôö ùûü ÿ')).toBe('eeee aa c ii oo uuu y');
    expect(foldText('Lætitia Œdipe cœur')).toBe('laetitia oedipe coeur');
    // Composed and decomposed forms meet.
    expect(foldText('e\u0301')).toBe(foldText('\u00e9'));
  });

  it('tokenises hyphenated and multi-part names into whole tokens', () => {
    expect(nameTokens('Jean-Pierre')).toEqual(expect.arrayContaining(['jean', 'pierre', 'jeanpierre']));
    expect(nameTokens('de La Fontaine')).toEqual(['de', 'la', 'fontaine']);
    expect(nameTokens('Marie  Hélène   Zoé')).toEqual(['marie', 'helene', 'zoe']);
  });

  it('handles apostrophes, typographic or straight, and elisions', () => {
    const a = nameTokens("N'Diaye");
    const b = nameTokens('N\u2019DIAYE');
    expect(a.sort()).toEqual(b.sort());
    expect(a).toEqual(expect.arrayContaining(['ndiaye', 'diaye']));
    expect(a).not.toContain('n');
    expect(nameTokens("D'Almeida")).toEqual(expect.arrayContaining(['dalmeida', 'almeida']));
    expect(queryTokens("d'alm")).toEqual(['dalm']);
    expect(queryTokens('d\u2019ALM')).toEqual(['dalm']);
  });

  it('matches partial, accented, elided and hyphenated queries', () => {
    const tokens = searchTokens({
      birthFamilyName: "N'Diaye-Lefèvre",
      usedFamilyName: 'Cœurdevey',
      birthGivenNames: 'Anne-Sophie Éloïse',
      usedGivenName: 'Sophie',
    });
    for (const q of ['lefe', 'LEFÈ', "n'di", 'ndia', 'diaye', 'coeur', 'cœur', 'anne-so', 'annesoph', 'elo', 'éloïse', 'sophie lef']) {
      expect(tokensMatch(tokens, queryTokens(q)), q).toBe(true);
    }
    for (const q of ['lefa', 'martin', 'sophie martin', 'oise']) {
      expect(tokensMatch(tokens, queryTokens(q)), q).toBe(false);
    }
  });
});

describe('query parsing', () => {
  it('reads digits as IPP or INS', () => {
    expect(parsePatientQuery('1234')).toEqual({ kind: 'ipp', prefix: '1234' });
    expect(parsePatientQuery('2 79 03 51 215 189')).toEqual({ kind: 'ins', prefix: '2790351215189' });
    expect(parsePatientQuery('1 85 06 2a 004')).toEqual({ kind: 'ipp', prefix: '185062A004' });
    expect(parsePatientQuery('185062A004012')).toEqual({ kind: 'ins', prefix: '185062A004012' });
  });

  it('reads dd/mm/yyyy as a birth date, alone or with a name', () => {
    expect(parsePatientQuery('28/03/1979')).toEqual({ kind: 'birthDate', date: '1979-03-28' });
    expect(parsePatientQuery('dupont 1/2/1980')).toEqual({ kind: 'name', tokens: ['dupont'], birthDate: '1980-02-01' });
    expect(parseFrenchDate('31/02/2020')).toBeUndefined();
    expect(parseFrenchDate('29/02/2020')).toBe('2020-02-29');
  });

  it('empty means recent, otherwise name tokens', () => {
    expect(parsePatientQuery('   ')).toEqual({ kind: 'recent' });
    expect(parsePatientQuery('Dé La')).toEqual({ kind: 'name', tokens: ['de', 'la'] });
  });
});

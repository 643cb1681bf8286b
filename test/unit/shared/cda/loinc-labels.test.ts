import { describe, expect, it } from 'vitest';
import { documentTypeCategory, documentTypeLabel, isKnownDocumentType, knownDocumentTypes } from '../../../../src/shared/loinc-labels';

describe('documentTypeLabel', () => {
  it.each([
    ['11490-0', 'Lettre de liaison à la sortie'],
    ['18761-7', 'Lettre de liaison à l\u2019entrée / note de transfert'],
    ['34874-8', 'Compte rendu opératoire'],
    ['15507-7', 'Compte rendu de passage aux urgences'],
    ['18748-4', 'Compte rendu d\u2019imagerie médicale'],
    ['11502-2', 'Compte rendu de biologie'],
    ['57833-6', 'Prescription de produits de santé'],
    ['87273-9', 'Note de vaccination'],
    ['11369-6', 'Historique des vaccinations'],
    ['60591-5', 'Synthèse médicale'],
    ['11488-4', 'Compte rendu de consultation'],
    ['34112-3', 'Compte rendu d\u2019hospitalisation'],
    ['11526-1', 'Compte rendu d\u2019anatomo-cytopathologie'],
  ])('%s → %s', (code, label) => {
    expect(documentTypeLabel(code)).toBe(label);
    expect(isKnownDocumentType(code)).toBe(true);
  });

  it('falls back to the display name, then to the code', () => {
    expect(documentTypeLabel('99999-9', 'Type maison')).toBe('Type maison');
    expect(documentTypeLabel('99999-9', '  ')).toBe('Document de type 99999-9');
    expect(documentTypeLabel(undefined)).toBe('Type de document inconnu');
    expect(documentTypeLabel('constructor')).toBe('Document de type constructor');
    expect(isKnownDocumentType('toString')).toBe(false);
  });

  it('groups imaging and lab reports for the "examen récent" flag', () => {
    expect(documentTypeCategory('18748-4')).toBe('imagerie');
    expect(documentTypeCategory('11502-2')).toBe('biologie');
    expect(documentTypeCategory('57833-6')).toBe('prescription');
    expect(documentTypeCategory('__proto__')).toBe('autre');
    expect(new Set(knownDocumentTypes().map((t) => t.code)).size).toBe(knownDocumentTypes().length);
  });
});

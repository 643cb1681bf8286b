import { describe, expect, it } from 'vitest';
import { extractAllergies, extractTreatments, getEmbeddedPdf, parseCda } from '../../../../src/shared/cda';
import type { CdaDocument, CdaSection } from '../../../../src/shared/cda';
import { hasFixtures, listFixtures, readFixture } from '../../../support/fixtures';

const files = listFixtures('cda');

function load(name: string): CdaDocument {
  const result = parseCda(readFixture('cda', name));
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

function allSections(sections: CdaSection[]): CdaSection[] {
  return sections.flatMap((s) => [s, ...allSections(s.sections)]);
}

function isPdf(bytes: Uint8Array | undefined): boolean {
  return !!bytes && String.fromCharCode(...bytes.slice(0, 5)) === '%PDF-';
}

describe.skipIf(!hasFixtures)('parseCda on the ANS example documents', () => {
  it('finds the three published examples', () => {
    expect(files).toEqual(['BIO-CR-BIO_2024.01_TSH_1.xml', 'IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml', 'LDL-SES_2022.01.xml']);
  });

  it.each(files)('%s: header carries the test patient PAT-TROIS DOMINIQUE with her INS traits', (name) => {
    const { header, warnings } = load(name);
    const p = header.patient!;
    expect(p.birthFamilyName).toBe('PAT-TROIS');
    expect(p.firstBirthGivenName).toBe('DOMINIQUE');
    expect(p.birthGivenNames).toBe('DOMINIQUE MARIE-LOUISE');
    expect(p.usedFamilyName).toBe('PAT-TROIS');
    expect(p.usedGivenName).toBe('DOMINIQUE');
    expect(p.display).toBe('DOMINIQUE PAT-TROIS');
    expect(p.sex).toEqual({ code: 'F', label: 'Féminin' });
    expect(p.birthDate?.iso).toBe('1979-03-28');
    expect(p.birthplace).toEqual({ inseeCode: '51215', city: 'DOMPREMY' });
    expect(p.ins).toEqual([{ value: '279035121518989', oid: '1.2.250.1.213.1.4.10', kind: 'INS-NIR de test' }]);
    expect(p.ids.map((i) => i.extension)).toContain('1234567890121'); // IPP
    expect(header.templateIds).toEqual(expect.arrayContaining(['2.16.840.1.113883.2.8.2.1', '1.2.250.1.213.1.1.1.1']));
    expect(header.confidentiality?.code).toBe('N');
    expect(header.language).toBe('fr-FR');
    expect(header.custodian?.name).toBeTruthy();
    expect(header.legalAuthenticator?.time?.year).toBeGreaterThan(2000);
    expect(warnings).toEqual([]);
  });

  it('lettre de liaison (level 3): header, sections, entries, no PDF', () => {
    const doc = load('LDL-SES_2022.01.xml');
    const h = doc.header;
    expect(doc.level).toBe(3);
    expect(h.code?.code).toBe('11490-0');
    expect(h.title).toBe("Lettre de liaison à la sortie de l'établissement de santé");
    expect(h.effectiveTime?.iso).toBe('2019-12-03T13:30:00+01:00');
    expect(h.id?.root).toBe('1.2.250.1.213.1.1.1.29.2022.1.1');
    expect(h.setId?.root).toBe('1.2.250.1.213.1.1.1.29.2022.1');
    expect(h.version).toBe(1);
    expect(h.authors[0]?.entity.person?.display).toBe('Dr Charles DAVID');
    expect(h.authors[0]?.entity.organization?.name).toBe('Hôpital Européen Georges Pompidou');
    expect(h.legalAuthenticator?.entity.person?.display).toBe('Pr Léon AUGUIN');
    expect(h.encounter?.effectiveTime?.low?.iso).toBe('2019-10-29T11:17:00+01:00');
    expect(h.encounter?.location?.facilityCode?.code).toBe('SA01');
    expect(h.serviceEvents[0]?.code?.code).toBe('IMP');
    expect(h.serviceEvents[0]?.performers[0]?.entity.organization?.name).toBe('Service de Cardiologie');
    expect(h.participants[0]?.functionCode?.code).toBe('PCP');
    expect(h.recipients.map((r) => r.person?.display)).toEqual(['Dr Charles BOILEAU', 'Mme Elsa DUCOUT']);

    if (doc.body.kind !== 'structured') throw new Error('structured body expected');
    const titles = doc.body.sections.map((s) => s.title);
    expect(titles).toEqual([
      'Statut du document',
      "Motif de l'hospitalisation",
      'Synthèse médicale du séjour',
      'Traitements arrêtés durant le séjour',
      'Traitements à la sortie',
      "Résultats d'examens / Autres informations attendus",
      'Suites à donner',
      'Dispositifs médicaux',
      'Allergies identifiées pendant le séjour',
    ]);
    const synthese = doc.body.sections[2]!;
    const table = synthese.text.find((n) => n.type === 'table');
    expect(table?.type).toBe('table');
    if (table?.type === 'table') {
      expect(table.groups[0]?.kind).toBe('thead');
      expect(table.groups[0]?.rows[0]?.cells[0]).toMatchObject({ header: true, colSpan: 2 });
      expect(table.groups[1]?.rows).toHaveLength(10);
    }
    const modaliteEntree = synthese.entries[0]!;
    expect(modaliteEntree.code?.code).toBe('ORG-070');
    expect(modaliteEntree.text).toBe('29/10/2018, Transfert'); // reference without '#' resolved too
    const micro = synthese.entries.find((e) => e.code?.code === 'MED-309');
    expect(micro?.value).toBe('oui');
    expect(getEmbeddedPdf(doc)).toBeUndefined();
  });

  it('imaging report (level 1): the PDF is decoded from nonXMLBody', () => {
    const doc = load('IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml');
    expect(doc.level).toBe(1);
    expect(doc.header.code?.code).toBe('18748-4');
    expect(doc.header.version).toBe(2);
    expect(doc.header.relatedDocuments).toEqual([{ typeCode: 'RPLC', parentIds: [{ root: '90E1C8EC-F951-4B26-A305-A34848818DD6' }] }]);
    expect(doc.header.encounter?.location?.name).toBe('Centre de radiologie Ambroise');
    expect(doc.body.kind).toBe('nonXml');
    if (doc.body.kind === 'nonXml') expect(doc.body.mediaType).toBe('application/pdf');
    const pdf = getEmbeddedPdf(doc);
    expect(isPdf(pdf)).toBe(true);
    expect(String.fromCharCode(...pdf!.slice(-6)).trim()).toMatch(/%%EOF$/);
  });

  it('biology report (level 3): nested sections, lab results, PDF copy section 55108-5', () => {
    const doc = load('BIO-CR-BIO_2024.01_TSH_1.xml');
    expect(doc.header.code?.code).toBe('11502-2');
    expect(doc.header.encounter?.responsible?.person?.display).toBe('Dr Marcel CAMPARINI');
    if (doc.body.kind !== 'structured') throw new Error('structured body expected');
    const sections = allSections(doc.body.sections);
    expect(sections.map((s) => s.title ?? s.code?.displayName)).toEqual(['BIOCHIMIE', 'Biochimie', 'Copie du document']);
    const sub = doc.body.sections[0]!.sections[0]!;
    const results = sub.entries[0]!.children;
    expect(results.map((r) => [r.code?.code, r.value, r.interpretation?.code, r.referenceRange])).toEqual([
      ['3016-3', '1.950 m[IU]/L', 'N', '0.270 – 4.200 m[IU]/L'],
      ['3024-7', '7.67 pg/mL', 'L', '9.30 – 17.00 pg/mL'],
    ]);
    expect(results[0]!.code?.originalText).toBe('Thyréostimuline (TSH)');
    const copy = sections.find((s) => s.isPdfCopy)!;
    expect(copy.attachments).toHaveLength(1);
    expect(copy.attachments[0]!.mediaType).toBe('application/pdf');
    const media = copy.text.flatMap((n) => (n.type === 'table' ? n.groups.flatMap((g) => g.rows.flatMap((r) => r.cells.flatMap((c) => c.children))) : []));
    expect(media).toEqual([{ type: 'media', objectId: 'doc-1', mediaType: 'application/pdf', status: 'pdf' }]);
    expect(isPdf(getEmbeddedPdf(doc))).toBe(true);
  });

  it('extracts treatments with their source; the "no allergy" placeholder raises no alert', () => {
    const doc = load('LDL-SES_2022.01.xml');
    expect(extractAllergies(doc)).toEqual([]);
    const treatments = extractTreatments(doc, { at: new Date('2020-01-15T12:00:00Z'), source: { externalRef: 'dmp:42' } });
    expect(treatments.map((t) => [t.name, t.current, t.dose, t.frequency, t.atc?.code, t.source.sectionTitle])).toEqual([
      ['SOLIAN 100 mg', false, '1 tbl', 'chaque jour', undefined, 'Traitements arrêtés durant le séjour'],
      ['LEPONEX 100 mg', true, '1 tbl', 'chaque jour', 'N05AH02', 'Traitements à la sortie'],
    ]);
    expect(treatments[1]!.source).toMatchObject({
      typeCode: '11490-0',
      typeLabel: 'Lettre de liaison à la sortie',
      author: 'Dr Charles DAVID',
      organization: 'Hôpital Européen Georges Pompidou',
      externalRef: 'dmp:42',
    });
    // After the prescribed end date (2020-02-02) nothing is current any more.
    expect(extractTreatments(doc, { at: new Date('2020-03-01') }).some((t) => t.current)).toBe(false);
  });
});

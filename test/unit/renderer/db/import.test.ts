import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshRecordDb } from './helpers';
import { loadFixturesApi, type FixturesApi } from './fixtures';
import type { RecordDb } from '../../../../src/renderer/src/db/database';
import { ImportError, importFhirBundle, importNdjson, parseBundleText } from '../../../../src/renderer/src/db/import';
import { loadChart, loadDocumentContent, observationSeries } from '../../../../src/renderer/src/db/chart';
import { markOpened } from '../../../../src/renderer/src/db/patients';
import { generateBundles } from '../../../../src/shared/seed/generate';
import { textToBase64, bytesToBase64 } from '../../../../src/shared/text/base64';

let db: RecordDb;
let fixtures: FixturesApi;
beforeAll(async () => {
  fixtures = await loadFixturesApi();
});
afterEach(() => db?.close());

const IPP = 'urn:chu-demo:ipp';
const INS_TEST = 'urn:oid:1.2.250.1.213.1.4.10';

function patient(ipp: string, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Patient',
    id: `p${ipp}`,
    identifier: [
      { type: { coding: [{ code: 'PI' }] }, system: IPP, value: ipp },
      ...(ipp === '100' ? [{ system: INS_TEST, value: '279035121518989' }] : []),
    ],
    extension: [
      {
        url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
        extension: [{ url: 'identityStatus', valueCoding: { code: ipp === '100' ? 'QUAL' : 'PROV' } }],
      },
      {
        url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
        valueAddress: { extension: [{ url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code', valueCoding: { code: '51215' } }] },
      },
    ],
    name: [{ use: 'official', family: 'Pat-Trois', given: ['Dominique'] }],
    gender: 'female',
    birthDate: '1979-03-28',
    ...extra,
  };
}

const cda = '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Lettre</title></ClinicalDocument>';
const pdf = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');

function observation(n: number, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Observation',
    id: `o${n}`,
    identifier: [{ system: 'urn:lab', value: `o${n}` }],
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '14682-9', display: 'Créatinine' }] },
    subject: { reference: 'Patient/p100' },
    effectiveDateTime: `2024-01-0${n}T08:00:00Z`,
    valueQuantity: { value: 80 + n, unit: 'µmol/L' },
    referenceRange: [{ low: { value: 45 }, high: { value: 104 } }],
    ...extra,
  };
}

function validBundle() {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:pat-100', resource: patient('100') },
      {
        resource: {
          resourceType: 'Encounter',
          id: 'e1',
          identifier: [{ system: 'urn:sej', value: 'e1' }],
          status: 'in-progress',
          class: { code: 'IMP' },
          subject: { reference: 'urn:uuid:pat-100' },
          period: { start: '2024-01-01T08:00:00Z' },
          reasonCode: [{ text: 'Décompensation cardiaque' }],
          serviceProvider: { display: 'Cardiologie' },
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: 'c1',
          code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I50.9', display: 'Insuffisance cardiaque' }] },
          subject: { reference: 'Patient/p100' },
        },
      },
      {
        resource: {
          resourceType: 'Procedure',
          id: 'pr1',
          status: 'completed',
          code: { coding: [{ code: 'DZQM006', display: 'Échographie-doppler transthoracique' }] },
          subject: { reference: 'Patient/p100' },
          encounter: { reference: 'Encounter/e1' },
          performedDateTime: '2024-01-02',
        },
      },
      {
        resource: {
          resourceType: 'AllergyIntolerance',
          id: 'a1',
          criticality: 'high',
          code: { text: 'Pénicillines' },
          patient: { reference: 'Patient/p100' },
          recordedDate: '2020-05-01',
        },
      },
      {
        resource: {
          resourceType: 'MedicationRequest',
          id: 'm1',
          status: 'active',
          intent: 'order',
          category: [{ coding: [{ code: 'discharge' }] }],
          medicationCodeableConcept: { text: 'Furosémide 40 mg' },
          subject: { reference: 'Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|279035121518989' },
          dosageInstruction: [{ text: '1 cp le matin' }],
        },
      },
      ...[1, 2, 3].map((n) => ({ resource: observation(n) })),
      {
        resource: {
          resourceType: 'DocumentReference',
          masterIdentifier: { system: 'urn:docs', value: 'ldl-1' },
          status: 'current',
          docStatus: 'final',
          authenticator: { display: 'Dr Morel' },
          type: { coding: [{ system: 'http://loinc.org', code: '11490-0' }] },
          subject: { reference: 'Patient/p100' },
          date: '2024-01-05T10:00:00Z',
          author: [{ display: 'Dr Morel' }],
          content: [{ attachment: { contentType: 'application/hl7-cda+xml', data: textToBase64(cda), title: 'Lettre de liaison' } }],
          context: { encounter: [{ reference: 'Encounter/e1' }] },
        },
      },
      {
        resource: {
          resourceType: 'DocumentReference',
          identifier: [{ system: 'urn:docs', value: 'img-1' }],
          status: 'current',
          docStatus: 'preliminary',
          type: { coding: [{ system: 'http://loinc.org', code: '18748-4' }] },
          subject: { reference: 'Patient/p100' },
          date: '2024-01-03T10:00:00Z',
          content: [{ attachment: { contentType: 'application/pdf', data: bytesToBase64(pdf) } }],
        },
      },
      { resource: { resourceType: 'Practitioner', id: 'dr1' } },
    ],
  };
}

describe('FHIR bundle import', () => {
  it('imports every supported resource of a valid bundle and links them', async () => {
    db = freshRecordDb();
    const progress: [number, number][] = [];
    const report = await importFhirBundle(db, validBundle(), { chunkSize: 4, onProgress: (d, t) => progress.push([d, t]) });
    expect(report.rejected).toEqual([]);
    expect(report.skipped).toEqual([{ index: 11, resourceType: 'Practitioner', reason: expect.stringContaining('Practitioner') }]);
    expect(report.imported).toMatchObject({ patients: 1, stays: 1, problems: 1, procedures: 1, allergies: 1, treatments: 1, observations: 3, documents: 2, documentContents: 2 });
    expect(report.audit).toMatchObject({ type: 'record.import', action: 'C', detail: { entries: 12, patients: 1, rejected: 0 } });
    expect(progress.at(-1)).toEqual([12, 12]);
    expect(progress.map((p) => p[0])).toEqual([4, 8, 12]);

    const chart = (await loadChart(db, 'pat-100'))!;
    expect(chart.patient).toMatchObject({
      ipp: '100',
      identityStatus: 'QUAL',
      ins: { value: '279035121518989', oid: '1.2.250.1.213.1.4.10' },
      birthPlaceCode: '51215',
      currentUnit: 'Cardiologie',
      units: ['Cardiologie'],
    });
    expect(chart.currentStay?.motive).toBe('Décompensation cardiaque');
    expect(chart.procedures[0]?.stayId).toBe(chart.stays[0]?.id);
    expect(chart.treatments[0]).toMatchObject({ kind: 'discharge', medication: 'Furosémide 40 mg' });
    expect(chart.documents.map((d) => [d.typeCode, d.status, d.contentKind])).toEqual([
      ['11490-0', 'validated', 'cda'],
      ['18748-4', 'draft', 'pdf'],
    ]);
    const letter = await loadDocumentContent(db, chart.documents[0]!.id);
    expect(letter?.content?.data).toBe(cda);
    expect(letter?.audit).toMatchObject({ type: 'record.document.read', entity: { type: 'DocumentReference' } });
    const img = await loadDocumentContent(db, chart.documents[1]!.id);
    expect(Array.from(img?.content?.data as Uint8Array)).toEqual(Array.from(pdf));
    const series = await observationSeries(db, 'pat-100', '14682-9');
    expect(series.map((o) => o.value)).toEqual([81, 82, 83]);
  });

  it('re-import is idempotent and keeps what only this workstation knows', async () => {
    db = freshRecordDb();
    await importFhirBundle(db, validBundle());
    await markOpened(db, 'pat-100', { now: new Date('2025-01-01T00:00:00Z') });
    const counts = async () => Promise.all(db.tables.map(async (t) => [t.name, await t.count()] as const));
    const before = await counts();
    const again = await importFhirBundle(db, validBundle());
    expect(again.rejected).toEqual([]);
    expect(await counts()).toEqual(before);
    expect((await db.patients.get('pat-100'))?.lastOpenedAt).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });

  it('reports invalid resources with their position and a French reason, imports the rest', async () => {
    db = freshRecordDb();
    const bundle = validBundle();
    bundle.entry.push(
      { resource: observation(4, { valueQuantity: { value: 'beaucoup' } }) } as never, // 12
      { resource: observation(5, { effectiveDateTime: '28/03/2024' }) } as never, // 13
      { resource: observation(6, { subject: { reference: 'Patient/absent' } }) } as never, // 14
      { resource: patient('200', { birthDate: undefined, name: [{ use: 'official', given: ['X'] }] }) } as never, // 15
      { resource: { ...patient('300'), identifier: [{ system: IPP, value: '300' }, { system: INS_TEST, value: '279035121518988' }] } } as never, // 16
      { resource: observation(7, { subject: { reference: 'Patient/p300' } }) } as never, // 17
      { nothing: true } as never, // 18
      { resource: patient('100') } as never, // 19 duplicate IPP
      {
        resource: {
          resourceType: 'DocumentReference',
          status: 'current',
          subject: { reference: 'Patient/p100' },
          date: '2024-01-01',
          content: [{ attachment: { contentType: 'application/pdf', data: textToBase64('<html>not a pdf</html>') } }],
        },
      } as never, // 20
      {
        resource: {
          resourceType: 'DocumentReference',
          status: 'current',
          subject: { reference: 'Patient/p100' },
          date: '2024-01-01',
          content: [{ attachment: { contentType: 'application/hl7-cda+xml', data: '%%%notbase64' } }],
        },
      } as never, // 21
    );
    const report = await importFhirBundle(db, bundle);
    expect(report.rejected.map((r) => [r.index, r.resourceType])).toEqual([
      [12, 'Observation'],
      [13, 'Observation'],
      [14, 'Observation'],
      [15, 'Patient'],
      [16, 'Patient'],
      [17, 'Observation'],
      [18, 'inconnu'],
      [19, 'Patient'],
      [20, 'DocumentReference'],
      [21, 'DocumentReference'],
    ]);
    const reasons = report.rejected.map((r) => r.reason);
    expect(reasons[0]).toBe('champ valueQuantity.value : type attendu nombre');
    expect(reasons[1]).toContain('effectiveDateTime : format invalide');
    expect(reasons[2]).toContain('patient référencé introuvable');
    expect(reasons[3]).toContain('nom de naissance absent');
    expect(reasons[4]).toContain('Clé du NIR incorrecte');
    expect(reasons[5]).toContain('Patient/p300');
    expect(reasons[7]).toContain('en double');
    expect(reasons[8]).toContain('%PDF');
    expect(reasons[9]).toContain('base64');
    expect(report.imported.patients).toBe(1);
    expect(report.imported.observations).toBe(3);
    expect(await db.patients.count()).toBe(1);
  });

  it('refuses a second patient with the same FHIR id, and the allergy that could belong to either', async () => {
    db = freshRecordDb();
    const allergy = { resourceType: 'AllergyIntolerance', id: 'a9', code: { text: 'Latex' }, patient: { reference: 'Patient/px' } };
    const report = await importFhirBundle(db, {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patient('201', { id: 'px' }) }, { resource: patient('202', { id: 'px' }) }, { resource: allergy }],
    } as never);
    expect(report.rejected.map((r) => [r.index, r.resourceType, r.reason])).toEqual([
      [1, 'Patient', 'identifiant Patient/px déjà porté par un autre patient du lot (entrée 0, IPP 201) : les références à cet identifiant sont ambiguës'],
      [2, 'AllergyIntolerance', 'référence ambiguë : Patient/px désigne deux patients différents dans le lot'],
    ]);
    expect(await db.patients.count()).toBe(1);
    expect(await db.allergies.count()).toBe(0);
  });

  it('refuses an INS already held by another patient, in the lot or in the local record', async () => {
    db = freshRecordDb();
    const sameIns = (ipp: string) => ({
      ...patient('100'),
      id: `p${ipp}`,
      identifier: [
        { type: { coding: [{ code: 'PI' }] }, system: IPP, value: ipp },
        { system: INS_TEST, value: '279035121518989' },
      ],
    });
    const inLot = await importFhirBundle(db, { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient('100') }, { resource: sameIns('101') }] } as never);
    expect(inLot.rejected.map((r) => [r.index, r.reason])).toEqual([[1, 'INS déjà porté par un autre patient du lot (entrée 0, IPP 100) : un INS désigne une seule personne']]);
    const later = await importFhirBundle(db, { resourceType: 'Bundle', type: 'collection', entry: [{ resource: sameIns('102') }] } as never);
    expect(later.rejected.map((r) => [r.index, r.reason])).toEqual([[0, "INS déjà porté par un autre patient du dossier (IPP 100) : le rapprochement relève de l'identitovigilance, pas d'un import"]]);
    expect((await db.patients.toArray()).map((p) => p.ipp)).toEqual(['100']);
    // The same patient again (same IPP) is an update, not a conflict.
    expect((await importFhirBundle(db, { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient('100') }] } as never)).rejected).toEqual([]);
  });

  it('resists hostile input: wrong types, 10 MB strings, huge arrays, not a bundle', async () => {
    db = freshRecordDb();
    const tenMb = 'A'.repeat(10 * 1024 * 1024);
    const bundle: { resourceType: string; entry: unknown[] } = {
      resourceType: 'Bundle',
      entry: [
        { resource: patient('100', { name: [{ use: 'official', family: tenMb, given: ['Dominique'] }] }) },
        { resource: patient('101', { gender: 42 }) },
        { resource: patient('102', { identifier: 'pas une liste' }) },
        { resource: patient('103', { name: Array.from({ length: 1000 }, () => ({ family: 'X' })) }) },
        { resource: { ...observation(1), code: { text: tenMb } } },
        { resource: { resourceType: tenMb } },
        { resource: patient('104') },
        { resource: patient('105', { identifier: [{ type: { coding: [{ code: 'PI' }] }, value: '<script>' }] }) },
        null,
        'texte',
        { resource: { resourceType: 'Patient', __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } } },
      ],
    };
    const report = await importFhirBundle(db, bundle);
    const byIndex = Object.fromEntries(report.rejected.map((r) => [r.index, r.reason]));
    expect(byIndex[0]).toBe('champ name[0].family : texte trop long (100 caractères au maximum)');
    expect(byIndex[1]).toContain('champ gender');
    expect(byIndex[2]).toBe('champ identifier : type attendu liste');
    expect(byIndex[3]).toContain("trop d'éléments");
    expect(byIndex[4]).toContain('texte trop long');
    expect(byIndex[7]).toContain('IPP mal formé');
    expect(byIndex[8]).toContain('entrée sans ressource');
    expect(byIndex[9]).toContain('entrée sans ressource');
    expect(byIndex[10]).toContain('IPP');
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]!.resourceType.length).toBeLessThanOrEqual(60);
    expect(report.imported.patients).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = await db.patients.toArray();
    expect(stored.map((p) => p.ipp)).toEqual(['104']);

    await expect(importFhirBundle(db, { resourceType: 'Patient' })).rejects.toBeInstanceOf(ImportError);
    await expect(importFhirBundle(db, { resourceType: 'Bundle', entry: {} })).rejects.toThrow(/« entry » doit être une liste/);
    expect(() => parseBundleText('{"resourceType": "Bundle", ')).toThrow(/JSON lisible/);
  });

  it('imports NDJSON and reports unreadable lines', async () => {
    db = freshRecordDb();
    const text = [JSON.stringify(patient('100')), '{oops', JSON.stringify(observation(1)), ''].join('\n');
    const report = await importNdjson(db, text);
    expect(report.rejected).toEqual([{ index: 1, resourceType: 'inconnu', reason: 'ligne JSON illisible' }]);
    expect(report.imported).toMatchObject({ patients: 1, observations: 1 });
  });

  it('imports generated bundles (the seed goes through this path)', async () => {
    db = freshRecordDb();
    const [chunk] = [...generateBundles(20, { seed: 3, perBundle: 20, documentsPerPatient: 4 })];
    const report = await importFhirBundle(db, chunk!.bundle);
    expect(report.rejected).toEqual([]);
    expect(report.imported.patients).toBe(20);
    expect(report.imported.documents).toBe(chunk!.counts.documents);
    expect(report.imported.observations).toBe(chunk!.counts.observations);
    expect(report.imported.stays).toBe(chunk!.counts.stays);
    const doc = await db.documentContents.limit(1).first();
    expect(doc?.kind).toBe('cda');
    expect(String(doc?.data)).toContain('<ClinicalDocument');
  });
});

describe('PDSm fixtures (ANS FHIR examples)', () => {
  it('reports the DMP submission bundle parts the record does not hold and the unknown patient', async () => {
    if (!fixtures.hasFixtures) return;
    db = freshRecordDb();
    const bundle = parseBundleText(fixtures.readFixture('pdsm', 'Bundle-example-td2-iti65-lot-soumission.json'));
    const report = await importFhirBundle(db, bundle);
    expect(report.skipped.map((s) => s.resourceType)).toEqual(['List']);
    expect(report.rejected).toEqual([
      { index: 1, resourceType: 'DocumentReference', reason: expect.stringContaining('1.2.250.1.213.1.4.8|123456789012345') },
    ]);
    expect(await db.documents.count()).toBe(0);
  });

  it('attaches the document to a known patient through its INS and reads the Binary content', async () => {
    if (!fixtures.hasFixtures) return;
    db = freshRecordDb();
    await importFhirBundle(db, { resourceType: 'Bundle', entry: [{ resource: patient('100') }] });
    const text = fixtures
      .readFixture('pdsm', 'Bundle-example-td2-iti65-lot-soumission.json')
      .replaceAll('urn:oid:1.2.250.1.213.1.4.8|123456789012345', 'urn:oid:1.2.250.1.213.1.4.10|279035121518989');
    const report = await importFhirBundle(db, parseBundleText(text));
    expect(report.rejected).toEqual([]);
    const [doc] = await db.documents.toArray();
    expect(doc).toMatchObject({ patientId: 'pat-100', typeCode: '11488-4', status: 'validated', contentKind: 'cda', title: 'Compte rendu de consultation' });
    expect((await db.documentContents.get(doc!.id))?.data).toContain('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
  });
});

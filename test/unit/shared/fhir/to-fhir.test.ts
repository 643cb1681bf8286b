import { describe, expect, it } from 'vitest';
import { isNoteDocument, mapAllergy, mapCondition, mapEncounter, mapMedicationRequest, mapNote, mapPatient, ippOf } from '../../../../src/shared/fhir/map';
import { allergySchema, conditionSchema, documentReferenceSchema, encounterSchema, medicationRequestSchema, patientSchema } from '../../../../src/shared/fhir/schemas';
import { ifNoneExist } from '../../../../src/shared/fhir/systems';
import { allergyToFhir, noteToFhir, patientToFhir, problemToFhir, stayToFhir, treatmentToFhir } from '../../../../src/shared/fhir/to-fhir';
import { DEFAULT_IPP_SYSTEM, INS_OID } from '../../../../src/shared/ins/oids';
import type { AllergyRow, NoteRow, PatientRow, ProblemRow, StayRow, TreatmentRow } from '../../../../src/shared/record/types';
import { searchTokens } from '../../../../src/shared/text/normalise';

/** Every builder's output, parsed by the schemas the sync pull parses with, maps back to the very row it came from. */
const P = 'c7d4a1e2-3b5f-4c6d-8e9f-0a1b2c3d4e5f';
const now = new Date('2026-11-23T13:05:00Z');

function patient(over: Partial<PatientRow> = {}): PatientRow {
  const names = { birthFamilyName: 'Rivière', birthGivenNames: 'Anne Marie', usedFamilyName: 'Dupont' };
  return {
    id: P,
    ipp: '912345678901234',
    ...names,
    birthDate: '1979-03-28',
    sex: 'F',
    birthPlaceCode: '2A004',
    identityStatus: 'PROV',
    tokens: searchTokens(names),
    units: [],
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
    ...over,
  };
}

describe('rows → FHIR → rows', () => {
  it('a provisional identity, with its used name and birthplace', () => {
    const row = patient();
    const fhir = patientSchema.parse(patientToFhir(row, { uuid: P }));
    expect(ippOf(fhir, DEFAULT_IPP_SYSTEM)).toBe(row.ipp);
    expect(fhir.identifier).toContainEqual({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${P}` });
    expect(mapPatient(fhir, P, row.ipp, now.getTime())).toEqual(row);
  });

  it('a qualified identity keeps its INS; an unidentified emergency patient its label; a linked one its link', () => {
    const qualified = patient({ identityStatus: 'QUAL', ins: { value: '279035121518989', oid: INS_OID.TEST_NIR }, insNir: '279035121518989' });
    expect(mapPatient(patientSchema.parse(patientToFhir(qualified)), P, qualified.ipp, now.getTime())).toEqual(qualified);
    const names = { birthFamilyName: 'INCONNU', birthGivenNames: 'URGENCES 23/11 14:05' };
    const unknown: PatientRow = { id: P, ipp: '900000001', ...names, sex: 'U', identityStatus: 'PROV', tokens: searchTokens(names), units: [], provisionalLabel: 'Inconnu urgences 23/11 14:05', linkedTo: 'real-1', createdAt: 1, updatedAt: 1 };
    const fhir = patientSchema.parse(patientToFhir(unknown));
    expect(fhir.link).toEqual([{ other: { reference: 'Patient/real-1' }, type: 'replaced-by' }]);
    expect(mapPatient(fhir, P, unknown.ipp, 1)).toEqual(unknown);
  });

  it('a stay, in progress or planned', () => {
    const stay: StayRow = { id: 'enc-1', patientId: P, unit: 'Urgences', start: '2026-11-23T12:00:00.000Z', type: 'urgences', motive: 'Douleur thoracique' };
    const fhir = encounterSchema.parse(stayToFhir(stay, { now }));
    expect(fhir).toMatchObject({ status: 'in-progress', class: { code: 'EMER' }, subject: { reference: `Patient/${P}` } });
    expect(mapEncounter(fhir, 'enc-1', P)).toEqual(stay);
    const planned: StayRow = { id: 'enc-2', patientId: P, unit: 'Cardiologie', start: '2026-11-30T08:00:00.000Z', type: 'hospitalisation' };
    expect(stayToFhir(planned, { now }).status).toBe('planned');
    expect(mapEncounter(encounterSchema.parse(stayToFhir(planned, { now })), 'enc-2', P)).toEqual(planned);
  });

  it('an allergy, a treatment, a problem', () => {
    const allergy: AllergyRow = { id: 'a1', patientId: P, substance: 'Pénicilline', code: 'J01CA04', reaction: 'Urticaire', criticality: 'high', status: 'active', recordedAt: now.toISOString(), recordedBy: 'Dr Martin' };
    expect(mapAllergy(allergySchema.parse(allergyToFhir(allergy)), 'a1', P, 'x')).toEqual(allergy);
    const bare: AllergyRow = { id: 'a2', patientId: P, substance: 'Latex', status: 'active', recordedAt: now.toISOString() };
    expect(mapAllergy(allergySchema.parse(allergyToFhir(bare)), 'a2', P, 'x')).toEqual(bare);

    const treatment: TreatmentRow = { id: 't1', patientId: P, medication: 'Bisoprolol 2,5 mg', code: 'C07AB07', dosage: '1 cp le matin', kind: 'discharge', status: 'active', start: '2026-11-23', end: '2026-12-23', prescriber: 'Dr Martin' };
    expect(mapMedicationRequest(medicationRequestSchema.parse(treatmentToFhir(treatment)), 't1', P)).toEqual(treatment);
    const current: TreatmentRow = { id: 't2', patientId: P, medication: 'Paracétamol', dosage: '1 g x 3/j', kind: 'current', status: 'active' };
    expect(mapMedicationRequest(medicationRequestSchema.parse(treatmentToFhir(current)), 't2', P)).toEqual(current);

    const problem: ProblemRow = { id: 'c1', patientId: P, code: 'I21.0', label: 'Infarctus antérieur', onset: '2026-11-20', status: 'active' };
    expect(mapCondition(conditionSchema.parse(problemToFhir(problem)), 'c1', P)).toEqual(problem);
    const resolved: ProblemRow = { id: 'c2', patientId: P, code: 'E11.9', label: 'Diabète de type 2', status: 'resolved' };
    expect(mapCondition(conditionSchema.parse(problemToFhir(resolved)), 'c2', P)).toEqual(resolved);
  });

  it('a note, accents and line breaks included, is a note and not a document', () => {
    const note: NoteRow = { id: 'n1', patientId: P, stayId: 'enc-1', author: 'Dr Martin', text: 'Patient stable.\nÉvolution favorable — à revoir demain.', createdAt: now.toISOString() };
    const fhir = documentReferenceSchema.parse(noteToFhir(note));
    expect(isNoteDocument(fhir)).toBe(true);
    expect(fhir.context?.encounter).toEqual([{ reference: 'Encounter/enc-1' }]);
    expect(mapNote(fhir, 'n1', P, 'enc-1')).toEqual(note);
  });

  it('refers through the references it is given (a patient not yet on the server)', () => {
    const refs = { patient: (id: string) => `urn:uuid:${id}`, encounter: (id: string) => `urn:uuid:${id}` };
    expect(noteToFhir({ id: 'n', patientId: P, author: 'A', text: 't', createdAt: now.toISOString() }, { refs }).subject).toEqual({ reference: `urn:uuid:${P}` });
    expect(ifNoneExist(P)).toBe(`identifier=urn%3Aietf%3Arfc%3A3986%7Curn%3Auuid%3A${P}`);
  });
});

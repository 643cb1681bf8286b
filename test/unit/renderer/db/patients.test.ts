import { afterEach, describe, expect, it } from 'vitest';
import { freshRecordDb } from './helpers';
import type { RecordDb } from '../../../../src/renderer/src/db/database';
import {
  createEmergencyPatient,
  createPatient,
  getPatient,
  linkProvisionalIdentity,
  markOpened,
  provisionalLabel,
} from '../../../../src/renderer/src/db/patients';
import { addAllergy, addNote, addProblem, addTreatment } from '../../../../src/renderer/src/db/clinical';
import { loadChart } from '../../../../src/renderer/src/db/chart';
import { RecordStateError, RecordValidationError } from '../../../../src/shared/record/validation';
import { INS_OID } from '../../../../src/shared/ins/oids';

let db: RecordDb;
afterEach(() => db?.close());

const now = new Date('2025-11-23T14:05:00+01:00');

const dominique = {
  ipp: '100200300',
  birthFamilyName: 'Pat-Trois',
  birthGivenNames: 'Dominique',
  birthDate: '28/03/1979',
  sex: 'F' as const,
  birthPlaceCode: '51215',
  ins: { value: '279035121518989', oid: INS_OID.TEST_NIR },
  identityStatus: 'QUAL' as const,
  currentUnit: 'Cardiologie',
};

async function errorOf(p: Promise<unknown>): Promise<RecordValidationError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RecordValidationError);
  return e as RecordValidationError;
}

describe('createPatient', () => {
  it('stores a qualified identity with tokens and reports the INS in the audit event', async () => {
    db = freshRecordDb();
    const { row, audit } = await createPatient(db, dominique, { now });
    expect(row).toMatchObject({ ipp: '100200300', birthDate: '1979-03-28', insNir: '279035121518989', units: ['Cardiologie'] });
    expect(row.tokens).toEqual(expect.arrayContaining(['pattrois', 'pat', 'trois', 'dominique']));
    expect(audit).toEqual({
      type: 'record.patient.create',
      action: 'C',
      outcome: 'success',
      patient: { ipp: '100200300', ins: '279035121518989@1.2.250.1.213.1.4.10' },
      entity: { type: 'Patient', id: row.id },
    });
    expect((await getPatient(db, row.id)).row).toEqual(row);
  });

  it('keeps the INS out of audit events when the identity is not qualified', async () => {
    db = freshRecordDb();
    const { audit } = await createPatient(db, { ...dominique, identityStatus: 'RECUP' }, { now });
    expect(audit.patient).toEqual({ ipp: '100200300' });
  });

  it('gives one French message per bad field and writes nothing', async () => {
    db = freshRecordDb();
    const e = await errorOf(
      createPatient(
        db,
        {
          ...dominique,
          birthFamilyName: '  ',
          birthGivenNames: 'Jean<script>',
          birthDate: '31/02/1979',
          sex: 'X' as never,
          birthPlaceCode: '7510',
          ins: { value: '279035121518988', oid: INS_OID.TEST_NIR },
        },
        { now },
      ),
    );
    expect(e.fieldErrors).toEqual({
      birthFamilyName: 'Nom de naissance : champ obligatoire.',
      birthGivenNames: expect.stringContaining('seuls les lettres'),
      birthDate: 'Date de naissance : date invalide, attendu jj/mm/aaaa.',
      sex: expect.stringContaining('Sexe : valeur non reconnue'),
      birthPlaceCode: expect.stringContaining('code INSEE'),
      ins: expect.stringContaining('Clé du NIR incorrecte'),
    });
    expect(await db.patients.count()).toBe(0);
  });

  it('checks the NIR against sex and birth date, and requires an INS for a qualified identity', async () => {
    db = freshRecordDb();
    let e = await errorOf(createPatient(db, { ...dominique, sex: 'M' }, { now }));
    expect(e.fieldErrors.ins).toContain('sexe');
    e = await errorOf(createPatient(db, { ...dominique, birthDate: '28/04/1979' }, { now }));
    expect(e.fieldErrors.ins).toContain('mois');
    const { ins: _ins, ...withoutIns } = dominique;
    e = await errorOf(createPatient(db, withoutIns, { now }));
    expect(e.fieldErrors.ins).toContain('qualifiée');
    e = await errorOf(createPatient(db, { ...dominique, birthDate: '01/01/2030', ins: undefined, identityStatus: 'PROV' }, { now }));
    expect(e.fieldErrors.birthDate).toContain('futur');
  });

  it('refuses a duplicate IPP or INS, allocates a local IPP when none is given', async () => {
    db = freshRecordDb();
    await createPatient(db, dominique, { now });
    let e = await errorOf(createPatient(db, { ...dominique, ins: undefined, identityStatus: 'PROV' }, { now }));
    expect(e.fieldErrors.ipp).toContain('déjà attribué');
    e = await errorOf(createPatient(db, { ...dominique, ipp: '555' }, { now }));
    expect(e.fieldErrors.ins).toContain('100200300');
    const { row } = await createPatient(db, { birthFamilyName: 'Durand', birthGivenNames: 'Paul', birthDate: '1950-01-02', sex: 'M' }, { now });
    expect(row.ipp).toMatch(/^9\d{8}$/);
    expect(row.identityStatus).toBe('PROV');
  });
});

describe('emergency identity and linking', () => {
  it('creates "Inconnu urgences dd/mm HH:MM" then links it keeping both histories', async () => {
    db = freshRecordDb();
    const { row: unknown } = await createEmergencyPatient(db, { unit: 'Urgences' }, { now });
    expect(unknown.provisionalLabel).toBe('Inconnu urgences 23/11 14:05');
    expect(provisionalLabel(now)).toBe('Inconnu urgences 23/11 14:05');
    expect(unknown).toMatchObject({ identityStatus: 'PROV', sex: 'U', currentUnit: 'Urgences' });
    expect(unknown.birthDate).toBeUndefined();
    await addAllergy(db, unknown.id, { substance: 'Pénicilline', criticality: 'high' }, { now });
    await addNote(db, unknown.id, { author: 'Dr Urgentiste', text: 'Trouvé inconscient sur la voie publique.' }, { now });

    const { row: real } = await createPatient(db, dominique, { now });
    await addProblem(db, real.id, { code: 'I10', label: 'Hypertension essentielle' }, { now });

    const linked = await linkProvisionalIdentity(db, { provisionalId: unknown.id, realId: real.id, linkedBy: 'idv-01' }, { now });
    expect(linked.link).toMatchObject({ provisionalId: unknown.id, realId: real.id, linkedBy: 'idv-01', linkedAt: now.toISOString() });
    expect(linked.audit.map((a) => [a.type, a.action, a.patient?.ipp])).toEqual([
      ['record.identity.link', 'U', unknown.ipp],
      ['record.identity.link', 'U', real.ipp],
    ]);
    expect(linked.real.units).toEqual(['Cardiologie', 'Urgences']);

    const chart = await loadChart(db, real.id);
    expect(chart?.linkedIdentities.map((p) => p.id)).toEqual([unknown.id]);
    expect(chart?.allergies.map((a) => [a.substance, a.patientId])).toEqual([['Pénicilline', unknown.id]]);
    expect(chart?.notes).toHaveLength(1);
    expect(chart?.problems.map((p) => p.code)).toEqual(['I10']);
    expect(chart?.audit).toMatchObject({ type: 'record.chart.open', action: 'R', patient: { ipp: real.ipp } });
    // The provisional chart still shows its own history.
    expect((await loadChart(db, unknown.id))?.allergies).toHaveLength(1);

    await expect(linkProvisionalIdentity(db, { provisionalId: unknown.id, realId: real.id, linkedBy: 'x' })).rejects.toThrow(/déjà rattachée/);
    await expect(linkProvisionalIdentity(db, { provisionalId: real.id, realId: unknown.id, linkedBy: 'x' })).rejects.toThrow(
      /Seule une identité provisoire/,
    );
    await expect(addAllergy(db, unknown.id, { substance: 'Latex' })).rejects.toThrow(/dossier définitif/);
    expect(await db.identityLinks.count()).toBe(1);
  });
});

describe('bedside writes', () => {
  it('validates each field in French and writes one row per call', async () => {
    db = freshRecordDb();
    const { row: p } = await createPatient(db, dominique, { now });
    const t = await addTreatment(db, p.id, { medication: 'Bisoprolol 5 mg', dosage: '1 cp le matin', kind: 'discharge' }, { now });
    expect(t.row).toMatchObject({ kind: 'discharge', status: 'active', start: '2025-11-23' });
    expect(t.audit.detail).toEqual({ kind: 'discharge' });
    let e = await errorOf(addTreatment(db, p.id, { medication: '', dosage: '', start: '2025-02-01', end: '2025-01-01' }));
    expect(Object.keys(e.fieldErrors).sort()).toEqual(['dosage', 'end', 'medication']);
    e = await errorOf(addProblem(db, p.id, { code: 'infarctus', label: '' }));
    expect(e.fieldErrors.code).toContain('CIM-10');
    expect(e.fieldErrors.label).toContain('obligatoire');
    e = await errorOf(addAllergy(db, p.id, { substance: 'x'.repeat(10_000) }));
    expect(e.fieldErrors.substance).toContain('200 caractères');
    e = await errorOf(addNote(db, p.id, { author: 'Dr A', text: 12 as never }));
    expect(e.fieldErrors.text).toBe('Texte de la note : texte attendu.');
    await expect(addNote(db, 'nobody', { author: 'a', text: 'b' })).rejects.toBeInstanceOf(RecordStateError);
    await expect(addNote(db, p.id, { author: 'a', text: 'b', stayId: 'nope' })).rejects.toThrow(/Séjour introuvable/);
    expect(await db.treatments.count()).toBe(1);
    expect(await db.notes.count()).toBe(0);
  });

  it('markOpened feeds the recent list and refuses an unknown patient', async () => {
    db = freshRecordDb();
    const { row: p } = await createPatient(db, dominique, { now });
    await markOpened(db, p.id, { now });
    expect((await db.patients.get(p.id))?.lastOpenedAt).toBe(now.getTime());
    await expect(markOpened(db, 'ghost')).rejects.toThrow(/introuvable/);
  });
});

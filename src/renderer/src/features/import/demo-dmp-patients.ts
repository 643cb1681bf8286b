import { DEMO_DMP_PATIENTS } from '../../../../shared/demo/dmp-patients';
import { INS_OID } from '../../../../shared/ins/oids';
import { createPatient } from '../../db/patients';
import type { RecordDb } from '../../db/database';
import type { PatientRow } from '../../db/types';

/** Units the demo DMP patients are followed in, so the ward and emergency demo roles both meet them. */
const UNITS_OF: Record<string, string[]> = {
  consentement: ['Cardiologie', 'Urgences'],
  'autorisation-valide': ['Cardiologie'],
  'opposition-bris-de-glace': ['Urgences', 'Cardiologie'],
  'professionnel-bloque': ['Urgences', 'Cardiologie'],
  'sans-dmp': ['Cardiologie', 'Urgences'],
};

/**
 * The people of the embedded "DMP de test", created in the local record with a
 * qualified identity (same INS and strict traits), so the DMP tab has someone
 * to show. Idempotent: an INS already present is left alone.
 */
export async function seedDemoDmpPatients(db: RecordDb): Promise<PatientRow[]> {
  const created: PatientRow[] = [];
  for (const p of DEMO_DMP_PATIENTS) {
    if (await db.patients.where('insNir').equals(p.ins).first()) continue;
    const { row } = await createPatient(db, {
      birthFamilyName: p.birthFamilyName,
      birthGivenNames: p.givenNames,
      birthDate: p.birthDate,
      sex: p.sex,
      birthPlaceCode: p.birthplaceCode,
      ins: { value: p.ins, oid: INS_OID.TEST_NIR },
      identityStatus: 'QUAL',
      currentUnit: UNITS_OF[p.scenario]![0]!,
    });
    const units = UNITS_OF[p.scenario]!;
    await db.patients.update(row.id, { units });
    created.push({ ...row, units });
  }
  return created;
}

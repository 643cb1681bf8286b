import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { CALENDAR_DAY, parisParts } from '../../../../shared/time';
import type { PatientRow } from '../../db/types';

/** How a bridge call names a patient: by id only; main knows the rest (units, IPP, INS) from its own index. */
export function toPatientRef(p: PatientRow): PatientRef {
  return { id: p.id };
}

export function displayName(p: PatientRow): string {
  if (p.provisionalLabel) return p.provisionalLabel;
  const family = p.usedFamilyName && p.usedFamilyName !== p.birthFamilyName ? `${p.usedFamilyName} (né·e ${p.birthFamilyName})` : p.birthFamilyName;
  const given = p.usedGivenName ?? p.birthGivenNames.split(' ')[0] ?? '';
  return `${family.toUpperCase()} ${given}`;
}

/** Age on today's Paris calendar day, from a birth date "YYYY-MM-DD". */
export function ageAt(birthDate: string | undefined, now: Date): string {
  const b = birthDate ? CALENDAR_DAY.exec(birthDate) : null;
  if (!b) return 'âge inconnu';
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const t = parisParts(now);
  const beforeDay = t.day < bd ? 1 : 0;
  const months = (t.year - by) * 12 + t.month - bm - beforeDay;
  const years = Math.floor(months / 12);
  if (years >= 2) return `${years} ans`;
  return `${Math.max(0, months)} mois`;
}

export const SEX_LABEL: Record<PatientRow['sex'], string> = { M: 'Homme', F: 'Femme', U: 'Sexe inconnu' };

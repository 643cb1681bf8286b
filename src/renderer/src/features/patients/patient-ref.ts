import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { exchangeableIns } from '../../../../shared/ins/identity-status';
import type { PatientRow } from '../../db/types';

/** How a bridge call names a patient: the INS only for a qualified identity (DOMAIN.md §4). */
export function toPatientRef(p: PatientRow): PatientRef {
  const ins = exchangeableIns(p);
  return { id: p.id, ipp: p.ipp, ...(ins ? { ins } : {}), units: p.units.slice(0, 50) };
}

export function displayName(p: PatientRow): string {
  if (p.provisionalLabel) return p.provisionalLabel;
  const family = p.usedFamilyName && p.usedFamilyName !== p.birthFamilyName ? `${p.usedFamilyName} (né·e ${p.birthFamilyName})` : p.birthFamilyName;
  const given = p.usedGivenName ?? p.birthGivenNames.split(' ')[0] ?? '';
  return `${family.toUpperCase()} ${given}`;
}

export function formatDate(iso?: string): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export function ageAt(birthDate: string | undefined, now: Date): string {
  if (!birthDate) return 'âge inconnu';
  const b = new Date(birthDate + 'T00:00:00');
  let years = now.getFullYear() - b.getFullYear();
  if (now.getMonth() < b.getMonth() || (now.getMonth() === b.getMonth() && now.getDate() < b.getDate())) years -= 1;
  if (years >= 2) return `${years} ans`;
  const months = (now.getFullYear() - b.getFullYear()) * 12 + now.getMonth() - b.getMonth() - (now.getDate() < b.getDate() ? 1 : 0);
  return `${Math.max(0, months)} mois`;
}

export const SEX_LABEL: Record<PatientRow['sex'], string> = { M: 'Homme', F: 'Femme', U: 'Sexe inconnu' };

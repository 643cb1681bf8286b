import { formatNir } from './nir';
import type { InsOid } from './oids';

/** INS identity status (DOMAIN.md §4). */
export type IdentityStatus = 'PROV' | 'RECUP' | 'VALI' | 'QUAL';

export const IDENTITY_STATUSES: readonly IdentityStatus[] = ['PROV', 'RECUP', 'VALI', 'QUAL'];

export const IDENTITY_STATUS_LABELS: Record<IdentityStatus, string> = {
  PROV: 'Identité provisoire',
  RECUP: 'Identité récupérée',
  VALI: 'Identité validée',
  QUAL: 'Identité qualifiée',
};

/** What each status means, for a tooltip. */
export const IDENTITY_STATUS_DESCRIPTIONS: Record<IdentityStatus, string> = {
  PROV: "Identité saisie sans vérification : ni téléservice INSi, ni pièce d'identité contrôlée.",
  RECUP: "INS récupérée par le téléservice INSi, pièce d'identité non contrôlée.",
  VALI: "Pièce d'identité contrôlée, INS non récupérée par le téléservice INSi.",
  QUAL: "Pièce d'identité contrôlée et INS vérifiée par le téléservice INSi.",
};

export function isIdentityStatus(value: unknown): value is IdentityStatus {
  return typeof value === 'string' && (IDENTITY_STATUSES as readonly string[]).includes(value);
}

/** Only a qualified identity may carry its INS in exchanges (DMP feeding included) or on screen. */
export function insUsable(status: IdentityStatus): boolean {
  return status === 'QUAL';
}

export interface InsHolder {
  identityStatus: IdentityStatus;
  ins?: { value: string; oid: InsOid } | undefined;
}

/** "NIR@OID" for the audit journal and exchanges; undefined unless the identity is qualified. */
export function exchangeableIns(patient: InsHolder): string | undefined {
  if (!patient.ins || !insUsable(patient.identityStatus)) return undefined;
  return `${patient.ins.value}@${patient.ins.oid}`;
}

/** What the banner shows in place of the INS. */
export function insDisplay(patient: InsHolder): string {
  if (!patient.ins) return 'INS non renseignée';
  if (!insUsable(patient.identityStatus)) {
    return `INS non affichée (${IDENTITY_STATUS_LABELS[patient.identityStatus].toLowerCase()}, non qualifiée)`;
  }
  return formatNir(patient.ins.value);
}

/**
 * The status reached after an event, following the INS referential: INSi success
 * turns PROV→RECUP and VALI→QUAL; a checked identity document turns PROV→VALI and RECUP→QUAL.
 */
export function nextIdentityStatus(
  status: IdentityStatus,
  event: 'insi-ok' | 'document-checked',
): IdentityStatus {
  if (event === 'insi-ok') return status === 'VALI' || status === 'QUAL' ? 'QUAL' : 'RECUP';
  return status === 'RECUP' || status === 'QUAL' ? 'QUAL' : 'VALI';
}

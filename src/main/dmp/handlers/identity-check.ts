import type { DmpIdentity } from '../../../shared/bridge/methods-dmp';
import { parseCda } from '../../../shared/cda';

/**
 * Identity vigilance before a DMP document enters the local record: same INS, same strict
 * traits. Returns why the document is refused, or null when it belongs to this patient.
 */
export function patientMismatch(xml: string, ins: string, identity: DmpIdentity): string | null {
  const parsed = parseCda(xml);
  if (!parsed.ok) return `Le document n’est pas un CDA lisible (${parsed.error}) : il n’est pas intégré.`;
  const p = parsed.document.header.patient;
  if (!p || !p.ins.some((i) => i.value === ins)) {
    return 'Le document ne porte pas l’INS de ce patient : il n’est pas intégré. Signalez l’anomalie à la cellule d’identitovigilance.';
  }
  const birth = p.birthDate?.iso?.slice(0, 10);
  if (identity.birthDate && birth && birth !== identity.birthDate) {
    return 'La date de naissance du document diffère de celle du patient : il n’est pas intégré. Signalez l’anomalie à la cellule d’identitovigilance.';
  }
  if (identity.sex && p.sex?.code && p.sex.code !== identity.sex) {
    return 'Le sexe indiqué dans le document diffère de celui du patient : il n’est pas intégré. Signalez l’anomalie à la cellule d’identitovigilance.';
  }
  return null;
}

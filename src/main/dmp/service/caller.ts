import { DmpError } from '../errors';
import type { AccessMode, DmpRequestContext } from '../types';

/** Who is asking, for whom, and how (carried by every bridge call). */
export interface DmpCaller {
  sessionId: string;
  user: { id: string; name: string; role: string; rpps?: string; professionCode?: string };
  patient: { ins: string; ipp?: string };
  accessMode: AccessMode;
  justification?: string;
  /** Set by the host for SAMU regulation workstations: required for centre_15. */
  regulation?: boolean;
}

const INS_PATTERN = /^[0-9][0-9AB][0-9]{13}$/;

/** Shape checks every call passes before any rule: a qualified INS, a known mode, a signed-in user. */
export function validateCaller(caller: DmpCaller): void {
  if (!caller?.sessionId || !caller.user?.id || !caller.user.role) throw new DmpError('DMP_INVALID_INPUT', 'Requête DMP incomplète : session ou utilisateur absent.');
  if (!INS_PATTERN.test(caller.patient?.ins ?? '')) throw new DmpError('DMP_INVALID_INPUT', "L'INS du patient est absent ou mal formé : l'accès au DMP exige une identité qualifiée.");
  if (!['normal', 'bris_de_glace', 'centre_15'].includes(caller.accessMode)) throw new DmpError('DMP_INVALID_INPUT', "Mode d'accès au DMP inconnu.");
}

/** What the gateway needs of the caller: the session and patient details stay in the service. */
export function requestContext(caller: DmpCaller): DmpRequestContext {
  return { user: caller.user, ins: caller.patient.ins, accessMode: caller.accessMode };
}

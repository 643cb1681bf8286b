import { exchangeableIns } from '../../../shared/ins/identity-status';
import type { PatientRow } from './types';

/**
 * What the caller reports to the audit journal through the bridge after a record read or write.
 * Same field names as AuditEventInput (src/main/host/audit-port.ts) minus what main stamps
 * itself (agent, time, workstation, purpose of use): this layer never calls the network.
 */
export interface RecordAuditEvent {
  type: string;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  outcome: 'success' | 'failure';
  patient?: { ipp?: string; ins?: string };
  entity?: { type: string; id: string };
  detail?: Record<string, string | number | boolean>;
}

/** IPP always; INS only for a qualified identity (DOMAIN.md §4). */
export function auditPatient(p: Pick<PatientRow, 'ipp' | 'ins' | 'identityStatus'>): { ipp: string; ins?: string } {
  const ins = exchangeableIns(p);
  return ins ? { ipp: p.ipp, ins } : { ipp: p.ipp };
}

export function recordEvent(
  type: string,
  action: RecordAuditEvent['action'],
  patient: Pick<PatientRow, 'ipp' | 'ins' | 'identityStatus'> | undefined,
  entity?: { type: string; id: string },
  detail?: Record<string, string | number | boolean>,
): RecordAuditEvent {
  const event: RecordAuditEvent = { type, action, outcome: 'success' };
  if (patient) event.patient = auditPatient(patient);
  if (entity) event.entity = entity;
  if (detail) event.detail = detail;
  return event;
}

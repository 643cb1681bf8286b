import type { AuditPort } from '../host/audit-port';
import type { Journal } from './journal';

/** The AuditPort every service records through, backed by the signed journal. */
export function createJournalAuditPort(journal: Pick<Journal, 'append'>): AuditPort {
  return { record: (event) => journal.append(event) };
}

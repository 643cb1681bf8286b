import type { AuditPort } from '../host/audit-port';
import type { InsOid } from '../../shared/ins/oids';
import type {
  AccessMode,
  DmpDocumentEntry,
  DmpGateway,
  DmpStatus,
  FindDocumentsQuery,
  RetrievedDocument,
  SubmitOptions,
  SubmitResult,
  VisibilityUpdate,
} from './types';
import { createAccessState, type GrantSource } from './service/access-state';
import type { DmpCaller } from './service/caller';
import { createConsentOperations } from './service/consent';
import { createFeedingOperations } from './service/feeding';
import { createDmpJournal } from './service/journal';
import { createReadingOperations } from './service/reading';

export type { DmpCaller } from './service/caller';

export interface DmpService {
  /** TD0.2; a VALIDE status grants normal access for this session. */
  checkStatus(caller: DmpCaller): Promise<DmpStatus>;
  /** TD0.3 after the user confirmed the patient consents (`patientConsents` must be true). */
  addAuthorization(caller: DmpCaller, confirmation: { patientConsents: boolean }): Promise<void>;
  /** Declares break-glass or centre-15 access for this session (checks oppositions via TD0.2). */
  declareEmergencyAccess(caller: DmpCaller): Promise<DmpStatus>;
  findDocuments(caller: DmpCaller, query?: FindDocumentsQuery): Promise<DmpDocumentEntry[]>;
  getDocuments(caller: DmpCaller, entryUUIDs: string[]): Promise<DmpDocumentEntry[]>;
  retrieve(caller: DmpCaller, ref: { repositoryUniqueId: string; uniqueId: string }): Promise<RetrievedDocument>;
  updateVisibility(caller: DmpCaller, update: VisibilityUpdate): Promise<DmpDocumentEntry>;
  submit(caller: DmpCaller, cda: Buffer, options?: SubmitOptions): Promise<SubmitResult>;
  /** TD3.3c: archives a document (ITI-57 status Archived). */
  archive(caller: DmpCaller, entryUUID: string): Promise<DmpDocumentEntry>;
  /** Brings an archived document back to the default view (status Approved). */
  unarchive(caller: DmpCaller, entryUUID: string): Promise<DmpDocumentEntry>;
  /** TD3.3d: deletes a document; the DMP refuses it unless the caller's establishment wrote it. */
  deleteDocument(caller: DmpCaller, entryUUID: string): Promise<void>;
  /** Current grant, for the UI banner (break-glass must stay displayed). */
  currentAccess(caller: Pick<DmpCaller, 'sessionId' | 'patient'>): { mode: AccessMode; source: GrantSource } | undefined;
  /** Forgets every grant of a session (lock, logout). */
  clearSession(sessionId: string): void;
}

export interface DmpServiceDeps {
  gateway: DmpGateway;
  audit: AuditPort;
  /** OID of the INS the configured DMP accepts: the journal names the patient by it. */
  insOid: InsOid;
  clock?: () => Date;
}

/**
 * Composes the DMP service from its parts: the session's access state, the journal every call goes through,
 * and the consent, reading and feeding operations, each of which only sees the deps it needs.
 */
export function createDmpService(deps: DmpServiceDeps): DmpService {
  const { gateway, audit, insOid } = deps;
  const clock = deps.clock ?? (() => new Date());
  const access = createAccessState();
  const run = createDmpJournal({ audit, insOid, access });

  return {
    ...createConsentOperations({ gateway, access, run, clock }),
    ...createReadingOperations({ gateway, access, run }),
    ...createFeedingOperations({ gateway, access, run }),

    currentAccess(caller) {
      const g = access.grant(caller.sessionId, caller.patient.ins);
      return g ? { mode: g.mode, source: g.source } : undefined;
    },

    clearSession(sessionId) {
      access.clearSession(sessionId);
    },
  };
}

import { DMP_ROLE_REFUSALS } from '../../shared/authz/dmp-refusals';
import type { AuditEventInput, AuditPort, PurposeOfUse } from '../host/audit-port';
import { DMP_EMERGENCY_ACCESS_ROLES, DMP_READER_ROLES, DMP_SUBMITTER_ROLES, hasRole } from '../../shared/authz/roles';
import type { InsOid } from '../../shared/ins/oids';
import { DmpError, isDmpError } from './errors';
import type {
  AccessMode,
  DmpDocumentEntry,
  DmpGateway,
  DmpRequestContext,
  DmpStatus,
  FindDocumentsQuery,
  RetrievedDocument,
  SubmitOptions,
  SubmitResult,
  VisibilityUpdate,
} from './types';

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

type GrantSource = 'td02_valide' | 'td03_added' | 'bris_de_glace' | 'centre_15';

interface Grant {
  mode: AccessMode;
  source: GrantSource;
  justification?: string;
  at: string;
}

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

const INS_PATTERN = /^[0-9][0-9AB][0-9]{13}$/;

export interface DmpServiceDeps {
  gateway: DmpGateway;
  audit: AuditPort;
  /** OID of the INS the configured DMP accepts: the journal names the patient by it. */
  insOid: InsOid;
  clock?: () => Date;
}

export function createDmpService(deps: DmpServiceDeps): DmpService {
  const { gateway, audit } = deps;
  const clock = deps.clock ?? (() => new Date());
  // sessionId → INS → grant. Memory only: a grant never outlives the session.
  const grants = new Map<string, Map<string, Grant>>();
  // sessionId → INS → last TD0.2 answer (INTERDIT blocks whatever happens; oppositions).
  const statuses = new Map<string, Map<string, DmpStatus>>();

  const key = <T>(m: Map<string, Map<string, T>>, sessionId: string): Map<string, T> => {
    let inner = m.get(sessionId);
    if (!inner) {
      inner = new Map();
      m.set(sessionId, inner);
    }
    return inner;
  };

  function purpose(caller: DmpCaller): PurposeOfUse {
    if (caller.accessMode === 'bris_de_glace') {
      // Calls after the declaration carry the justification given when break-glass was declared.
      const declared = grants.get(caller.sessionId)?.get(caller.patient.ins)?.justification;
      return { code: 'bris_de_glace', justification: caller.justification || declared || 'non précisée' };
    }
    if (caller.accessMode === 'centre_15') return { code: 'centre_15' };
    return { code: 'normal' };
  }

  async function record(
    caller: DmpCaller,
    type: string,
    action: AuditEventInput['action'],
    outcome: AuditEventInput['outcome'],
    detail: Record<string, string | number | boolean>,
    entity?: { type: string; id: string },
  ): Promise<void> {
    await audit.record({
      type,
      action,
      outcome,
      agent: { userId: caller.user.id, name: caller.user.name, role: caller.user.role, ...(caller.user.rpps ? { rpps: caller.user.rpps } : {}) },
      patient: { ins: `${caller.patient.ins}@${deps.insOid}`, ...(caller.patient.ipp ? { ipp: caller.patient.ipp } : {}) },
      purposeOfUse: purpose(caller),
      ...(entity ? { entity } : {}),
      detail,
    });
  }

  function validate(caller: DmpCaller): void {
    if (!caller?.sessionId || !caller.user?.id || !caller.user.role) throw new DmpError('DMP_INVALID_INPUT', 'Requête DMP incomplète : session ou utilisateur absent.');
    if (!INS_PATTERN.test(caller.patient?.ins ?? '')) throw new DmpError('DMP_INVALID_INPUT', "L'INS du patient est absent ou mal formé : l'accès au DMP exige une identité qualifiée.");
    if (!['normal', 'bris_de_glace', 'centre_15'].includes(caller.accessMode)) throw new DmpError('DMP_INVALID_INPUT', "Mode d'accès au DMP inconnu.");
  }

  function ctx(caller: DmpCaller): DmpRequestContext {
    return { user: caller.user, ins: caller.patient.ins, accessMode: caller.accessMode };
  }

  /** Runs one operation: checks, gateway call, one journal record whatever the outcome. */
  async function run<T>(
    caller: DmpCaller,
    type: string,
    action: AuditEventInput['action'],
    operation: string,
    check: () => void,
    exec: () => Promise<T>,
    describe: (v: T) => Record<string, string | number | boolean> = () => ({}),
    entity?: { type: string; id: string },
  ): Promise<T> {
    try {
      validate(caller);
      check();
    } catch (e) {
      const err = isDmpError(e) ? e : new DmpError('DMP_INVALID_INPUT', 'Requête DMP invalide.');
      await record(caller, type, action, 'denied', { operation, errorCode: err.code }, entity);
      throw err;
    }
    let value: T;
    try {
      value = await exec();
    } catch (e) {
      const code = isDmpError(e) ? e.code : 'UNEXPECTED';
      await record(caller, type, action, code === 'DMP_ACCESS_DENIED' || code === 'DMP_PATIENT_OPPOSED' || code === 'DMP_NOT_AUTHOR' ? 'denied' : 'failure', { operation, errorCode: code }, entity);
      throw e;
    }
    await record(caller, type, action, 'success', { operation, ...describe(value) }, entity);
    return value;
  }

  function requireReader(caller: DmpCaller): void {
    if (caller.user.role === 'secretaire_medicale') {
      throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.secretaryReads);
    }
    if (!hasRole(DMP_READER_ROLES, caller.user.role)) {
      throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.reads);
    }
  }

  function requireGrant(caller: DmpCaller): void {
    requireReader(caller);
    const status = statuses.get(caller.sessionId)?.get(caller.patient.ins);
    if (status?.authorization === 'INTERDIT') {
      throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', 'Le patient a interdit votre accès à son DMP : aucun accès n\'est possible, même en urgence.');
    }
    const grant = grants.get(caller.sessionId)?.get(caller.patient.ins);
    if (!grant) {
      throw new DmpError('DMP_CONSENT_REQUIRED', "Aucune autorisation d'accès au DMP de ce patient dans cette session : vérifiez l'autorisation, recueillez le consentement du patient ou déclarez un accès d'urgence.");
    }
    if (grant.mode !== caller.accessMode) {
      throw new DmpError('DMP_CONSENT_REQUIRED', `L'accès ouvert dans cette session est en mode « ${grant.mode} » : la requête doit être faite dans ce mode.`);
    }
  }

  function requireRegulationOrBreakGlass(caller: DmpCaller): void {
    if (caller.accessMode === 'bris_de_glace') {
      if (!hasRole(DMP_EMERGENCY_ACCESS_ROLES, caller.user.role)) throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.breakGlass);
      if (!caller.justification || caller.justification.trim().length < 10) {
        throw new DmpError('DMP_JUSTIFICATION_REQUIRED', "L'accès en mode bris de glace exige une justification (au moins 10 caractères) : urgence, patient hors d'état de consentir, risque immédiat.");
      }
    } else if (caller.accessMode === 'centre_15') {
      if (!caller.regulation || !hasRole(DMP_EMERGENCY_ACCESS_ROLES, caller.user.role)) {
        throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.centre15);
      }
    } else {
      throw new DmpError('DMP_INVALID_INPUT', "Déclarer un accès d'urgence exige le mode bris de glace ou centre 15.");
    }
  }

  return {
    checkStatus(caller) {
      return run(caller, 'dmp.td02', 'R', 'TD0.2', () => requireReader(caller), async () => {
        const status = await gateway.getStatus({ ...ctx(caller), accessMode: 'normal' });
        key(statuses, caller.sessionId).set(caller.patient.ins, status);
        const g = key(grants, caller.sessionId);
        if (status.authorization === 'VALIDE') g.set(caller.patient.ins, { mode: 'normal', source: 'td02_valide', at: clock().toISOString() });
        else if (g.get(caller.patient.ins)?.mode === 'normal') g.delete(caller.patient.ins);
        if (status.authorization === 'INTERDIT') g.delete(caller.patient.ins);
        return status;
      }, (s) => ({ exists: s.exists, authorization: s.authorization }));
    },

    addAuthorization(caller, confirmation) {
      return run(caller, 'dmp.td03', 'C', 'TD0.3', () => {
        requireReader(caller);
        if (caller.accessMode !== 'normal') throw new DmpError('DMP_INVALID_INPUT', "L'autorisation d'accès s'ajoute en mode d'accès normal.");
        // Never added on the software's own initiative: only after the user confirmed consent.
        if (confirmation?.patientConsents !== true) {
          throw new DmpError('DMP_EXPLICIT_CONSENT_REQUIRED', "L'ajout de l'autorisation exige que vous confirmiez le consentement du patient.");
        }
        const status = statuses.get(caller.sessionId)?.get(caller.patient.ins);
        if (status?.authorization === 'INTERDIT') throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', 'Le patient a interdit votre accès à son DMP : l\'autorisation ne peut pas être ajoutée.');
        if (status && !status.exists) throw new DmpError('DMP_NO_DMP', "Ce patient n'a pas de DMP : aucune autorisation ne peut être ajoutée.");
      }, async () => {
        await gateway.addAuthorization(ctx(caller));
        key(grants, caller.sessionId).set(caller.patient.ins, { mode: 'normal', source: 'td03_added', at: clock().toISOString() });
      });
    },

    declareEmergencyAccess(caller) {
      const type = caller.accessMode === 'centre_15' ? 'dmp.centre15' : 'dmp.breakglass';
      return run(caller, type, 'E', caller.accessMode === 'centre_15' ? 'CENTRE_15' : 'BRIS_DE_GLACE', () => requireRegulationOrBreakGlass(caller), async () => {
        const status = await gateway.getStatus(ctx(caller));
        key(statuses, caller.sessionId).set(caller.patient.ins, status);
        if (!status.exists) throw new DmpError('DMP_NO_DMP', "Ce patient n'a pas de DMP.");
        if (status.authorization === 'INTERDIT') throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', 'Le patient a interdit votre accès à son DMP : aucun accès n\'est possible, même en urgence.');
        if (caller.accessMode === 'bris_de_glace' && status.oppositions.brisDeGlace) throw new DmpError('DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès en mode bris de glace à son DMP.");
        if (caller.accessMode === 'centre_15' && status.oppositions.centre15) throw new DmpError('DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès par le centre 15 à son DMP.");
        key(grants, caller.sessionId).set(caller.patient.ins, {
          mode: caller.accessMode,
          source: caller.accessMode === 'centre_15' ? 'centre_15' : 'bris_de_glace',
          ...(caller.justification ? { justification: caller.justification } : {}),
          at: clock().toISOString(),
        });
        return status;
      }, () => ({ emergencyOverrideStarted: true, dicomCode: '110127' }));
    },

    findDocuments(caller, query) {
      return run(caller, 'dmp.search', 'R', 'ITI-18 FindDocuments', () => requireGrant(caller), () => gateway.findDocuments(ctx(caller), query), (l) => ({ count: l.length }));
    },

    getDocuments(caller, entryUUIDs) {
      return run(caller, 'dmp.search', 'R', 'ITI-18 GetDocuments', () => {
        requireGrant(caller);
        if (!Array.isArray(entryUUIDs) || !entryUUIDs.length || entryUUIDs.length > 500) throw new DmpError('DMP_INVALID_INPUT', 'Liste de documents à lire invalide.');
      }, () => gateway.getDocuments(ctx(caller), entryUUIDs), (l) => ({ count: l.length }));
    },

    retrieve(caller, ref) {
      return run(caller, 'dmp.retrieve', 'R', 'ITI-43 RetrieveDocumentSet', () => {
        requireGrant(caller);
        if (!ref?.uniqueId || !ref.repositoryUniqueId) throw new DmpError('DMP_INVALID_INPUT', 'Référence du document à ouvrir incomplète.');
      }, () => gateway.retrieve(ctx(caller), ref), (d) => ({ size: d.content.length, mimeType: d.mimeType }), { type: 'DocumentReference', id: ref?.uniqueId ?? '' });
    },

    updateVisibility(caller, update) {
      return run(caller, 'dmp.visibility', 'U', 'ITI-57 UpdateDocumentSet', () => {
        requireGrant(caller);
        if (!update?.entryUUID) throw new DmpError('DMP_INVALID_INPUT', 'Document à modifier non précisé.');
      }, () => gateway.updateVisibility(ctx(caller), update), (e) => ({ visibility: e.visibility.join(',') || 'aucune' }), { type: 'DocumentReference', id: update?.entryUUID ?? '' });
    },

    submit(caller, cda, options) {
      return run(caller, 'dmp.submit', 'C', 'ITI-41 ProvideAndRegisterDocumentSet-b', () => {
        if (!hasRole(DMP_SUBMITTER_ROLES, caller.user.role)) throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.submits);
        if (caller.accessMode !== 'normal') throw new DmpError('DMP_INVALID_INPUT', "L'alimentation du DMP se fait en mode d'accès normal.");
        if (!Buffer.isBuffer(cda) || !cda.length) throw new DmpError('DMP_INVALID_INPUT', 'Document CDA à envoyer absent.');
      }, () => gateway.submit({ ...ctx(caller) }, cda, options), (r) => ({ uniqueId: r.uniqueId }));
    },

    archive(caller, entryUUID) {
      return run(caller, 'dmp.archive', 'U', 'ITI-57 UpdateAvailabilityStatus (archivage)', () => {
        requireGrant(caller);
        if (!entryUUID) throw new DmpError('DMP_INVALID_INPUT', 'Document à archiver non précisé.');
      }, () => gateway.archive(ctx(caller), entryUUID), (e) => ({ status: e.availabilityStatus }), { type: 'DocumentReference', id: entryUUID ?? '' });
    },

    unarchive(caller, entryUUID) {
      return run(caller, 'dmp.archive', 'U', 'ITI-57 UpdateAvailabilityStatus (désarchivage)', () => {
        requireGrant(caller);
        if (!entryUUID) throw new DmpError('DMP_INVALID_INPUT', 'Document à désarchiver non précisé.');
      }, () => gateway.unarchive(ctx(caller), entryUUID), (e) => ({ status: e.availabilityStatus }), { type: 'DocumentReference', id: entryUUID ?? '' });
    },

    deleteDocument(caller, entryUUID) {
      return run(caller, 'dmp.delete', 'D', 'ITI-57 UpdateAvailabilityStatus (suppression)', () => {
        requireGrant(caller);
        if (!entryUUID) throw new DmpError('DMP_INVALID_INPUT', 'Document à supprimer non précisé.');
      }, () => gateway.deleteDocument(ctx(caller), entryUUID), () => ({ status: 'deleted' }), { type: 'DocumentReference', id: entryUUID ?? '' });
    },

    currentAccess(caller) {
      const g = grants.get(caller.sessionId)?.get(caller.patient.ins);
      return g ? { mode: g.mode, source: g.source } : undefined;
    },

    clearSession(sessionId) {
      grants.delete(sessionId);
      statuses.delete(sessionId);
    },
  };
}

import type { z } from 'zod';
import { parseCda } from '../../shared/cda';
import type { dmpMethods, DmpIdentity, DmpRetrieved } from '../../shared/bridge/methods-dmp';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { BridgeFailure } from '../../shared/bridge/result';
import { isDmpError } from '../dmp/errors';
import type { DmpCaller } from '../dmp/service';
import type { AccessMode, RetrievedDocument } from '../dmp/types';
import { TEST_INS_NIR_OID } from '../dmp/types';
import type { AuditPort } from '../host/audit-port';
import type { CallContext } from '../host/handlers';
import { agentOf, type ClientSession, type SessionManager } from '../session/sessions';
import { toEntryView } from './entries';
import type { DmpRuntime } from './runtime';

type DmpContract = typeof dmpMethods;
/** Same shape as HandlerSlice<'dmp'> once the contract spreads dmpMethods. */
export type DmpHandlers = {
  [M in keyof DmpContract]: (input: z.output<DmpContract[M]['input']>, ctx: CallContext) => Promise<z.input<DmpContract[M]['output']>>;
};

export interface DmpHandlerDeps {
  runtime: DmpRuntime;
  sessions: SessionManager;
  audit: AuditPort;
}

const INS_NOT_QUALIFIED =
  'L’identité de ce patient n’est pas qualifiée : son INS ne peut pas être utilisé pour accéder au DMP. Faites qualifier l’identité (pièce d’identité contrôlée et INS vérifié par le téléservice INSi), puis réessayez.';

function isXml(mimeType: string): boolean {
  return /(^|\/|\+)xml(;|$)/i.test(mimeType.trim());
}

function toRetrieved(doc: RetrievedDocument): DmpRetrieved {
  const xml = isXml(doc.mimeType);
  return {
    uniqueId: doc.uniqueId,
    mimeType: doc.mimeType,
    encoding: xml ? 'text' : 'base64',
    content: xml ? doc.content.toString('utf8') : doc.content.toString('base64'),
    size: doc.content.length,
  };
}

/** Identity vigilance before a DMP document enters the local record: same INS, same strict traits. */
function patientMismatch(xml: string, ins: string, identity: DmpIdentity): string | null {
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

/**
 * The DMP bridge methods: the authorizer has already checked role and unit scope;
 * here each call becomes a DmpCaller for the consent service, which enforces the
 * grants (TD0.2 VALIDE, TD0.3 after explicit consent, declared emergency access)
 * and journals every operation. DMP errors come back with their French message.
 */
export function createDmpHandlers(deps: DmpHandlerDeps): DmpHandlers {
  const { runtime, sessions, audit } = deps;

  async function who(ctx: CallContext): Promise<ClientSession> {
    const s = await sessions.current(ctx.clientId);
    if (!s) throw new BridgeFailure('UNAUTHENTICATED', 'Veuillez vous identifier.');
    if (s.locked) throw new BridgeFailure('LOCKED', 'Session verrouillée : déverrouillez-la pour continuer.');
    return s;
  }

  const auditPatient = (p: PatientRef) => ({ ipp: p.ipp, ...(p.ins ? { ins: p.ins } : {}) });

  async function denyUnqualified(session: ClientSession, input: { patient: PatientRef; identity: DmpIdentity }, operation: string): Promise<void> {
    await audit.record({
      type: 'dmp.access',
      action: 'E',
      outcome: 'denied',
      agent: agentOf(session.user),
      patient: { ipp: input.patient.ipp },
      entity: { type: 'Patient', id: input.patient.id },
      detail: { operation, reason: 'ins_not_qualified', identityStatus: input.identity.status },
    });
  }

  function qualified(input: { patient: PatientRef; identity: DmpIdentity }): input is { patient: PatientRef & { ins: string }; identity: DmpIdentity } {
    return input.identity.status === 'QUAL' && !!input.patient.ins;
  }

  /** The NIR of a "NIR@OID" INS, if its OID is the one this DMP accepts. */
  function nirOf(ins: string): string {
    const [nir, oid] = ins.split('@') as [string, string];
    if (oid !== runtime.insOid) {
      throw new BridgeFailure(
        'DMP_INS_OID_REFUSED',
        runtime.insOid === TEST_INS_NIR_OID
          ? 'Ce DMP de test n’accepte que des INS de test (OID 1.2.250.1.213.1.4.10) : cet INS ne peut pas y être utilisé.'
          : `Ce DMP n’accepte que les INS d’OID ${runtime.insOid} : cet INS (OID ${oid}) ne peut pas y être utilisé.`,
      );
    }
    return nir;
  }

  /** The consent service's caller for this call; refuses an unqualified identity first. */
  async function callerOf(
    ctx: CallContext,
    input: { patient: PatientRef; identity: DmpIdentity },
    accessMode: AccessMode,
    operation: string,
    justification?: string,
  ): Promise<{ caller: DmpCaller; session: ClientSession }> {
    const session = await who(ctx);
    if (!qualified(input)) {
      await denyUnqualified(session, input, operation);
      throw new BridgeFailure('DMP_INS_NOT_QUALIFIED', INS_NOT_QUALIFIED);
    }
    const u = session.user;
    return {
      session,
      caller: {
        sessionId: runtime.sessionKey(ctx.clientId, session.startedAt),
        user: { id: u.id, name: u.displayName, role: u.role, ...(u.rpps ? { rpps: u.rpps } : {}) },
        patient: { ins: nirOf(input.patient.ins), ipp: input.patient.ipp },
        accessMode,
        ...(justification ? { justification } : {}),
        regulation: runtime.regulation,
      },
    };
  }

  /** DMP refusals and failures become typed bridge errors carrying the service's French message. */
  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (isDmpError(err)) throw new BridgeFailure(err.code, err.message);
      throw err;
    }
  }

  return {
    'dmp.status': (input, ctx) =>
      guarded(async () => {
        if (!qualified(input)) {
          await denyUnqualified(await who(ctx), input, 'TD0.2');
          return { insQualified: false as const, identityStatus: input.identity.status, environment: runtime.environment };
        }
        const { caller } = await callerOf(ctx, input, 'normal', 'TD0.2');
        const service = await runtime.service();
        const status = await service.checkStatus(caller);
        return {
          insQualified: true as const,
          exists: status.exists,
          authorization: status.authorization,
          oppositions: status.oppositions,
          access: service.currentAccess(caller) ?? null,
          regulation: runtime.regulation,
          environment: runtime.environment,
        };
      }),

    'dmp.consent': (input, ctx) =>
      guarded(async () => {
        const { caller } = await callerOf(ctx, input, 'normal', 'TD0.3');
        const service = await runtime.service();
        await service.addAuthorization(caller, { patientConsents: input.patientInformedAndConsents === true });
        const access = service.currentAccess(caller);
        if (!access) throw new BridgeFailure('DMP_CONSENT_REQUIRED', "L'autorisation n'a pas été enregistrée : réessayez.");
        return { access };
      }),

    'dmp.refuse': async (input, ctx) => {
      const session = await who(ctx);
      const { seq } = await audit.record({
        type: 'dmp.consent.refused',
        action: 'E',
        outcome: 'success',
        agent: agentOf(session.user),
        patient: auditPatient(input.patient),
        entity: { type: 'Patient', id: input.patient.id },
        purposeOfUse: { code: 'normal' },
        detail: { decision: 'refus_du_patient', documentsRead: 0 },
      });
      return { recorded: true as const, seq };
    },

    'dmp.emergencyAccess': (input, ctx) =>
      guarded(async () => {
        const { caller } = await callerOf(ctx, input, input.mode, input.mode === 'centre_15' ? 'CENTRE_15' : 'BRIS_DE_GLACE', input.justification);
        const service = await runtime.service();
        const status = await service.declareEmergencyAccess(caller);
        const access = service.currentAccess(caller);
        if (!access) throw new BridgeFailure('DMP_CONSENT_REQUIRED', "L'accès d'urgence n'a pas été ouvert : réessayez.");
        return { access, oppositions: status.oppositions };
      }),

    'dmp.documents': (input, ctx) =>
      guarded(async () => {
        const { caller } = await callerOf(ctx, input, input.accessMode, 'ITI-18');
        const service = await runtime.service();
        const entries = await service.findDocuments(caller, { statuses: ['approved', 'deprecated', 'archived'] });
        return { entries: entries.map(toEntryView) };
      }),

    'dmp.retrieve': (input, ctx) =>
      guarded(async () => {
        const { caller } = await callerOf(ctx, input, input.accessMode, 'ITI-43');
        const service = await runtime.service();
        const doc = await service.retrieve(caller, { uniqueId: input.document.uniqueId, repositoryUniqueId: input.document.repositoryUniqueId });
        return toRetrieved(doc);
      }),

    'dmp.integrate': (input, ctx) =>
      guarded(async () => {
        const { caller, session } = await callerOf(ctx, input, input.accessMode, 'ITI-43');
        const service = await runtime.service();
        const doc = await service.retrieve(caller, { uniqueId: input.document.uniqueId, repositoryUniqueId: input.document.repositoryUniqueId });
        const view = toRetrieved(doc);
        const entity = { type: 'DocumentReference', id: input.document.uniqueId };
        const record = (outcome: 'success' | 'denied', detail: Record<string, string | number | boolean>) =>
          audit.record({
            type: 'dmp.integrate',
            action: 'C',
            outcome,
            agent: agentOf(session.user),
            patient: auditPatient(input.patient),
            entity,
            purposeOfUse: caller.accessMode === 'bris_de_glace' ? { code: 'bris_de_glace', justification: caller.justification ?? '' } : caller.accessMode === 'centre_15' ? { code: 'centre_15' } : { code: 'normal' },
            detail,
          });
        const problem = view.encoding === 'text' ? patientMismatch(view.content, caller.patient.ins, input.identity) : 'Seuls les documents CDA peuvent être intégrés au dossier.';
        if (problem) {
          await record('denied', { reason: 'identity_check_failed', mimeType: view.mimeType });
          throw new BridgeFailure('DMP_PATIENT_MISMATCH', problem);
        }
        const { seq } = await record('success', { size: view.size, mimeType: view.mimeType, destination: 'dossier_local' });
        return { ...view, seq };
      }),

    'dmp.setVisibility': (input, ctx) =>
      guarded(async () => {
        const { caller } = await callerOf(ctx, input, input.accessMode, 'ITI-57');
        const service = await runtime.service();
        const update = {
          entryUUID: input.entryUUID,
          ...(input.maskedToProfessionals !== undefined ? { maskedToProfessionals: input.maskedToProfessionals } : {}),
          ...(input.invisibleToPatient !== undefined ? { invisibleToPatient: input.invisibleToPatient } : {}),
          ...(input.invisibleToLegalRepresentatives !== undefined ? { invisibleToLegalRepresentatives: input.invisibleToLegalRepresentatives } : {}),
        };
        const entry = await service.updateVisibility(caller, update);
        return { entry: toEntryView(entry) };
      }),
  };
}

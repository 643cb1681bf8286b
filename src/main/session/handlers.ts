import { BridgeFailure } from '../../shared/bridge/result';
import type { CareIndex } from '../care/index';
import type { AuditPort } from '../host/audit-port';
import type { HandlerSlice } from '../host/handlers';
import { UNKNOWN_PATIENT } from './authorizer';
import { agentOf, type SessionManager } from './sessions';

export function createSessionHandlers(sessions: SessionManager, careIndex: CareIndex, audit: AuditPort): HandlerSlice<'session'> {
  return {
    'session.status': async (_i, ctx) => sessions.status(ctx.clientId),
    'session.login': async ({ userId, password }, ctx) => sessions.login(ctx.clientId, userId, password),
    'session.loginCertificate': async ({ p12Base64, pin }, ctx) => {
      const p12 = new Uint8Array(Buffer.from(p12Base64, 'base64'));
      if (p12.length === 0) throw new BridgeFailure('INVALID_INPUT', 'Fichier de certificat vide.');
      return sessions.loginCertificate(ctx.clientId, p12, pin);
    },
    'session.unlock': async ({ secret }, ctx) => sessions.unlock(ctx.clientId, secret),
    'session.lock': async ({ reason }, ctx) => sessions.lock(ctx.clientId, reason),
    'session.logout': async ({ switchUser }, ctx) => sessions.logout(ctx.clientId, switchUser),
    'session.activity': async (_i, ctx) => ({ lockInMs: await sessions.activity(ctx.clientId) }),
    'session.firstRun': async ({ userId, displayName, password }, ctx) => sessions.firstRun(ctx.clientId, userId, displayName, password),
    // The grant names the patient as main's care index knows them: an id main never received opens nothing.
    'session.breakGlassStart': async ({ patient, reason, justification }, { clientId, caller }) => {
      const identity = careIndex.identity(patient.id);
      if (!identity) {
        await audit.record({
          type: 'access.denied',
          action: 'E',
          outcome: 'denied',
          agent: agentOf(caller.user),
          entity: { type: 'Patient', id: patient.id },
          detail: { method: 'session.breakGlassStart', reason: 'unknown_patient' },
        });
        throw new BridgeFailure('NOT_FOUND', UNKNOWN_PATIENT);
      }
      return sessions.startBreakGlass(clientId, caller.session, identity, reason, justification);
    },
    'session.breakGlassEnd': async ({ patientId }, { clientId, caller }) => sessions.endBreakGlass(clientId, caller.session, patientId),
  };
}

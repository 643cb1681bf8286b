import { BREAK_GLASS_DURATION_MS, BREAK_GLASS_REASONS, type BreakGlassReason } from '../../shared/authz/break-glass';
import type { SessionStatusView } from '../../shared/bridge/methods-session';
import type { PatientIdentity } from '../care/index';
import type { AuditPort } from '../host/audit-port';
import { agentOf, type ClientSession } from './sessions';

export interface BreakGlassGrant {
  patientId: string;
  ipp: string;
  ins?: string;
  reason: BreakGlassReason;
  justification: string;
  startedAt: Date;
  expiresAt: Date;
}

/** The local break-glass accesses of a session: opened, shown, expired and closed, each journalled. */
export function createBreakGlass(audit: AuditPort, now: () => Date) {
  const alive = (g: BreakGlassGrant) => g.expiresAt.getTime() > now().getTime();

  async function end(session: ClientSession, g: BreakGlassGrant, ended: 'expired' | 'manual') {
    session.breakGlass.delete(g.patientId);
    await audit.record({
      type: 'security.breakglass.end',
      action: 'E',
      outcome: 'success',
      agent: agentOf(session.user),
      patient: { ipp: g.ipp, ...(g.ins ? { ins: g.ins } : {}) },
      purposeOfUse: { code: 'bris_de_glace_local', reason: g.reason, justification: g.justification },
      detail: { ended },
    });
  }

  return {
    /** Drops expired grants, journalling each end. */
    async expire(session: ClientSession) {
      for (const g of [...session.breakGlass.values()]) if (!alive(g)) await end(session, g, 'expired');
    },

    /** Opens a grant for exactly this patient, named as main's care index knows them. */
    async start(session: ClientSession, patient: PatientIdentity, reason: BreakGlassReason, justification: string) {
      const start = now();
      const grant: BreakGlassGrant = {
        patientId: patient.id,
        ipp: patient.ipp,
        ...(patient.ins ? { ins: patient.ins } : {}),
        reason,
        justification,
        startedAt: start,
        expiresAt: new Date(start.getTime() + BREAK_GLASS_DURATION_MS),
      };
      session.breakGlass.set(patient.id, grant);
      await audit.record({
        type: 'security.breakglass.start',
        action: 'E',
        outcome: 'success',
        agent: agentOf(session.user),
        patient: { ipp: patient.ipp, ...(patient.ins ? { ins: patient.ins } : {}) },
        entity: { type: 'Patient', id: patient.id },
        purposeOfUse: { code: 'bris_de_glace_local', reason, justification },
        detail: { expiresAt: grant.expiresAt.toISOString() },
      });
    },

    async close(session: ClientSession, patientId: string) {
      const g = session.breakGlass.get(patientId);
      if (g) await end(session, g, 'manual');
    },

    /** The open grant for one patient, if it has not expired. */
    forPatient(session: ClientSession, patientId: string): BreakGlassGrant | null {
      const g = session.breakGlass.get(patientId);
      return g && alive(g) ? g : null;
    },

    /** What the session status shows of the open grants. */
    view(session: ClientSession): SessionStatusView['breakGlass'] {
      return [...session.breakGlass.values()].filter(alive).map((g) => ({
        patientId: g.patientId,
        ipp: g.ipp,
        reason: BREAK_GLASS_REASONS[g.reason],
        justification: g.justification,
        startedAt: g.startedAt.toISOString(),
        expiresAt: g.expiresAt.toISOString(),
      }));
    },
  };
}

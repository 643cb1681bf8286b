import { BREAK_GLASS_DURATION_MS, BREAK_GLASS_REASONS, type BreakGlassReason } from '../../shared/authz/break-glass';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { BridgeFailure } from '../../shared/bridge/result';
import type { SessionStatusView } from '../../shared/bridge/methods-session';
import type { AuditAgent, AuditEventInput, AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import { isAuthError } from '../auth/errors';
import { loginWithCertificate } from '../auth/cert-login';
import type { User, UserDirectory } from '../auth/user-directory';

export interface BreakGlassGrant {
  patientId: string;
  ipp: string;
  ins?: string;
  reason: BreakGlassReason;
  justification: string;
  startedAt: Date;
  expiresAt: Date;
}

export interface ClientSession {
  user: User;
  method: 'password' | 'certificate';
  /** The PKCS#12 the user signed in with: unlock asks only for its PIN, like a card left in the reader. */
  p12?: Uint8Array;
  startedAt: Date;
  lastActivity: number;
  locked: boolean;
  failedUnlocks: number;
  breakGlass: Map<string, BreakGlassGrant>;
}

export type SessionEndKind = 'lock' | 'logout';

export interface SessionManagerDeps {
  directory: UserDirectory;
  audit: AuditPort;
  clock: Clock;
  lockAfterMs: number;
  /** The CA personal certificates must chain to; null when none is configured. */
  caCertPem: () => string | null;
  demo: boolean;
}

const MAX_FAILED_UNLOCKS = 5;

export function agentOf(user: User): AuditAgent {
  return { userId: user.id, name: user.displayName, role: user.role, ...(user.rpps ? { rpps: user.rpps } : {}) };
}

/**
 * Who sits at each renderer (Electron window or browser-host page), whether
 * the session is locked, and which local break-glass accesses are open. Every
 * transition is journalled; listeners (journal checkpoint, DMP grants) hear
 * about locks and sign-outs.
 */
export function createSessionManager(deps: SessionManagerDeps) {
  const { directory, audit, clock } = deps;
  const sessions = new Map<string, ClientSession>();
  const endListeners: ((clientId: string, kind: SessionEndKind, session: ClientSession) => Promise<void> | void)[] = [];

  const now = () => clock.now();

  async function record(event: AuditEventInput) {
    return audit.record(event);
  }

  async function notifyEnd(clientId: string, kind: SessionEndKind, session: ClientSession) {
    for (const l of endListeners) await l(clientId, kind, session);
  }

  function activeBreakGlass(session: ClientSession): BreakGlassGrant[] {
    return [...session.breakGlass.values()].filter((g) => g.expiresAt.getTime() > now().getTime());
  }

  async function endBreakGlassGrant(session: ClientSession, g: BreakGlassGrant, ended: 'expired' | 'manual') {
    session.breakGlass.delete(g.patientId);
    await record({
      type: 'security.breakglass.end',
      action: 'E',
      outcome: 'success',
      agent: agentOf(session.user),
      patient: { ipp: g.ipp, ...(g.ins ? { ins: g.ins } : {}) },
      purposeOfUse: { code: 'bris_de_glace_local', reason: g.reason, justification: g.justification },
      detail: { ended },
    });
  }

  /** Drops expired grants, journalling each end. */
  async function expireBreakGlass(session: ClientSession) {
    for (const g of [...session.breakGlass.values()]) {
      if (g.expiresAt.getTime() <= now().getTime()) await endBreakGlassGrant(session, g, 'expired');
    }
  }

  /** Locks a session whose user has been idle past the delay. */
  async function applyIdle(clientId: string, session: ClientSession) {
    if (!session.locked && now().getTime() - session.lastActivity >= deps.lockAfterMs) {
      session.locked = true;
      await record({ type: 'auth.lock', action: 'E', outcome: 'success', agent: agentOf(session.user), detail: { reason: 'idle' } });
      await notifyEnd(clientId, 'lock', session);
    }
  }

  async function status(clientId: string): Promise<SessionStatusView> {
    const session = sessions.get(clientId);
    if (session) {
      await applyIdle(clientId, session);
      await expireBreakGlass(session);
    }
    const base = { lockAfterMs: deps.lockAfterMs, demo: deps.demo };
    if (!session) return { ...base, state: directory.isEmpty() ? 'first_run' : 'anonymous', breakGlass: [] };
    const u = session.user;
    return {
      ...base,
      state: session.locked ? 'locked' : 'active',
      user: { id: u.id, displayName: u.displayName, role: u.role, units: u.units, ...(u.rpps ? { rpps: u.rpps } : {}) },
      method: session.method,
      breakGlass: session.locked
        ? []
        : activeBreakGlass(session).map((g) => ({
            patientId: g.patientId,
            ipp: g.ipp,
            reason: BREAK_GLASS_REASONS[g.reason],
            justification: g.justification,
            startedAt: g.startedAt.toISOString(),
            expiresAt: g.expiresAt.toISOString(),
          })),
    };
  }

  async function endExisting(clientId: string, type: 'auth.logout' | 'auth.switch') {
    const previous = sessions.get(clientId);
    if (!previous) return;
    sessions.delete(clientId);
    await record({ type, action: 'E', outcome: 'success', agent: agentOf(previous.user) });
    await notifyEnd(clientId, 'logout', previous);
  }

  function open(clientId: string, user: User, method: ClientSession['method'], p12?: Uint8Array) {
    sessions.set(clientId, {
      user,
      method,
      ...(p12 ? { p12 } : {}),
      startedAt: now(),
      lastActivity: now().getTime(),
      locked: false,
      failedUnlocks: 0,
      breakGlass: new Map(),
    });
  }

  return {
    status,

    async login(clientId: string, userId: string, password: string) {
      const result = await directory.authenticate(userId, password);
      if (!result.ok) {
        // The id typed is kept (it is what was attempted), never the password.
        await record({ type: 'auth.login', action: 'E', outcome: 'failure', detail: { method: 'password', attemptedId: userId.slice(0, 64), code: result.code } });
        throw new BridgeFailure('UNAUTHENTICATED', result.message);
      }
      await endExisting(clientId, 'auth.switch');
      open(clientId, result.user, 'password');
      await record({ type: 'auth.login', action: 'E', outcome: 'success', agent: agentOf(result.user), detail: { method: 'password' } });
      return status(clientId);
    },

    async loginCertificate(clientId: string, p12: Uint8Array, pin: string) {
      const ca = deps.caCertPem();
      let user: User;
      try {
        if (!ca) throw new BridgeFailure('UNAVAILABLE', "Aucune autorité de certification n'est configurée sur ce poste.");
        ({ user } = await loginWithCertificate({ p12, pin, caCertPem: ca, now: now(), directory }));
        if (user.disabled) throw new BridgeFailure('UNAUTHENTICATED', 'Ce compte est désactivé : adressez-vous à l’administrateur.');
      } catch (err) {
        const code = isAuthError(err) ? err.code : err instanceof BridgeFailure ? err.code : 'internal';
        await record({ type: 'auth.login', action: 'E', outcome: 'failure', detail: { method: 'certificate', code } });
        if (isAuthError(err)) throw new BridgeFailure('UNAUTHENTICATED', err.message);
        throw err;
      }
      await endExisting(clientId, 'auth.switch');
      open(clientId, user, 'certificate', p12);
      await record({ type: 'auth.login', action: 'E', outcome: 'success', agent: agentOf(user), detail: { method: 'certificate' } });
      return status(clientId);
    },

    async lock(clientId: string, reason: 'manual' | 'idle') {
      const session = sessions.get(clientId);
      if (session && !session.locked) {
        session.locked = true;
        await record({ type: 'auth.lock', action: 'E', outcome: 'success', agent: agentOf(session.user), detail: { reason } });
        await notifyEnd(clientId, 'lock', session);
      }
      return status(clientId);
    },

    async unlock(clientId: string, secret: string) {
      const session = sessions.get(clientId);
      if (!session) throw new BridgeFailure('UNAUTHENTICATED', 'Aucune session à déverrouiller : identifiez-vous.');
      if (!session.locked) return status(clientId);
      let ok = false;
      let message = 'Mot de passe incorrect.';
      if (session.method === 'password') {
        const r = await directory.authenticate(session.user.id, secret);
        ok = r.ok;
        if (!r.ok) message = r.message;
      } else {
        try {
          const ca = deps.caCertPem();
          const r = ca ? await loginWithCertificate({ p12: session.p12!, pin: secret, caCertPem: ca, now: now(), directory }) : null;
          ok = r?.user.id === session.user.id;
        } catch (err) {
          if (!isAuthError(err)) throw err;
        }
        message = 'Code PIN incorrect.';
      }
      if (!ok) {
        session.failedUnlocks += 1;
        await record({ type: 'auth.unlock', action: 'E', outcome: 'failure', agent: agentOf(session.user), detail: { attempt: session.failedUnlocks } });
        if (session.failedUnlocks >= MAX_FAILED_UNLOCKS) {
          await endExisting(clientId, 'auth.logout');
          throw new BridgeFailure('UNAUTHENTICATED', 'Trop d’essais : la session est fermée. Identifiez-vous à nouveau.');
        }
        throw new BridgeFailure('UNAUTHENTICATED', message);
      }
      session.locked = false;
      session.failedUnlocks = 0;
      session.lastActivity = now().getTime();
      await record({ type: 'auth.unlock', action: 'E', outcome: 'success', agent: agentOf(session.user) });
      return status(clientId);
    },

    async logout(clientId: string, switchUser: boolean) {
      await endExisting(clientId, switchUser ? 'auth.switch' : 'auth.logout');
      return status(clientId);
    },

    async activity(clientId: string): Promise<number> {
      const session = sessions.get(clientId);
      if (!session) return deps.lockAfterMs;
      await applyIdle(clientId, session);
      if (!session.locked) session.lastActivity = now().getTime();
      return session.locked ? 0 : deps.lockAfterMs;
    },

    async firstRun(clientId: string, userId: string, displayName: string, password: string) {
      if (!directory.isEmpty()) throw new BridgeFailure('CONFLICT', 'Ce poste a déjà un administrateur : identifiez-vous.');
      const user = await directory.add({ id: userId, displayName, role: 'admin', units: [], password });
      await record({ type: 'users.create', action: 'C', outcome: 'success', agent: agentOf(user), entity: { type: 'Practitioner', id: user.id }, detail: { firstRun: true } });
      open(clientId, user, 'password');
      await record({ type: 'auth.login', action: 'E', outcome: 'success', agent: agentOf(user), detail: { method: 'password' } });
      return status(clientId);
    },

    /** Opens a local break-glass on the session the authorizer resolved (signed in, unlocked, allowed role). */
    async startBreakGlass(clientId: string, session: ClientSession, patient: PatientRef, reason: BreakGlassReason, justification: string) {
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
      await record({
        type: 'security.breakglass.start',
        action: 'E',
        outcome: 'success',
        agent: agentOf(session.user),
        patient: { ipp: patient.ipp, ...(patient.ins ? { ins: patient.ins } : {}) },
        entity: { type: 'Patient', id: patient.id },
        purposeOfUse: { code: 'bris_de_glace_local', reason, justification },
        detail: { expiresAt: grant.expiresAt.toISOString() },
      });
      return status(clientId);
    },

    async endBreakGlass(clientId: string, session: ClientSession, patientId: string) {
      const g = session.breakGlass.get(patientId);
      if (g) await endBreakGlassGrant(session, g, 'manual');
      return status(clientId);
    },

    /** The signed-in, unlocked session of a client, after idle and expiry rules. */
    async current(clientId: string): Promise<ClientSession | null> {
      const session = sessions.get(clientId);
      if (!session) return null;
      await applyIdle(clientId, session);
      await expireBreakGlass(session);
      return session;
    },

    touch(session: ClientSession) {
      session.lastActivity = now().getTime();
    },

    breakGlassFor(session: ClientSession, patientId: string): BreakGlassGrant | null {
      const g = session.breakGlass.get(patientId);
      return g && g.expiresAt.getTime() > now().getTime() ? g : null;
    },

    onSessionEnd(listener: (clientId: string, kind: SessionEndKind, session: ClientSession) => Promise<void> | void) {
      endListeners.push(listener);
    },

    /** Locks every session (workstation quit). */
    async lockAll() {
      for (const [clientId, s] of sessions) if (!s.locked) await this.lock(clientId, 'manual');
    },

    get size() {
      return sessions.size;
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;

import type { BreakGlassReason } from '../../shared/authz/break-glass';
import type { PatientIdentity } from '../care/index';
import { BridgeFailure } from '../../shared/bridge/result';
import type { SessionStatusView } from '../../shared/bridge/methods-session';
import type { AuditAgent, AuditEventInput, AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { User, UserDirectory } from '../auth/user-directory';
import { createBreakGlass, type BreakGlassGrant } from './break-glass';
import { createCredentials } from './credentials';

export type { BreakGlassGrant } from './break-glass';

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

function newSession(user: User, method: ClientSession['method'], at: Date, p12?: Uint8Array): ClientSession {
  return { user, method, ...(p12 ? { p12 } : {}), startedAt: at, lastActivity: at.getTime(), locked: false, failedUnlocks: 0, breakGlass: new Map() };
}

/** The status of a signed-in session, less its break-glass list. */
function signedInView(session: ClientSession): Pick<SessionStatusView, 'state' | 'user' | 'method'> {
  const u = session.user;
  return {
    state: session.locked ? 'locked' : 'active',
    user: { id: u.id, displayName: u.displayName, role: u.role, units: u.units, ...(u.rpps ? { rpps: u.rpps } : {}) },
    method: session.method,
  };
}

type SessionEndListener = (clientId: string, kind: SessionEndKind, session: ClientSession) => Promise<void> | void;

/** The sessions of each renderer, and the journalled lock and end that listeners hear about. */
function createSessionTable(audit: AuditPort) {
  const sessions = new Map<string, ClientSession>();
  const listeners: SessionEndListener[] = [];
  async function notifyEnd(clientId: string, kind: SessionEndKind, session: ClientSession) {
    for (const l of listeners) await l(clientId, kind, session);
  }
  return {
    sessions,
    listeners,
    async lock(clientId: string, session: ClientSession, reason: 'manual' | 'idle') {
      session.locked = true;
      await audit.record({ type: 'auth.lock', action: 'E', outcome: 'success', agent: agentOf(session.user), detail: { reason } });
      await notifyEnd(clientId, 'lock', session);
    },
    /** Ends the session of a renderer, if any (sign-out, or another user taking the workstation). */
    async end(clientId: string, type: 'auth.logout' | 'auth.switch') {
      const previous = sessions.get(clientId);
      if (!previous) return;
      sessions.delete(clientId);
      await audit.record({ type, action: 'E', outcome: 'success', agent: agentOf(previous.user) });
      await notifyEnd(clientId, 'logout', previous);
    },
  };
}

/**
 * Who sits at each renderer (Electron window or browser-host page), whether
 * the session is locked, and which local break-glass accesses are open. Every
 * transition is journalled; listeners (journal checkpoint, DMP grants) hear
 * about locks and sign-outs.
 */
export function createSessionManager(deps: SessionManagerDeps) {
  const { directory, audit, clock } = deps;
  const table = createSessionTable(audit);
  const { sessions } = table;

  const now = () => clock.now();
  const breakGlass = createBreakGlass(audit, now);
  const credentials = createCredentials({ directory, audit, now, caCertPem: deps.caCertPem });

  const record = (event: AuditEventInput) => audit.record(event);
  let firstRunQueue: Promise<unknown> = Promise.resolve();

  /** Locks a session whose user has been idle past the delay. */
  async function applyIdle(clientId: string, session: ClientSession) {
    if (!session.locked && now().getTime() - session.lastActivity >= deps.lockAfterMs) await table.lock(clientId, session, 'idle');
  }

  async function status(clientId: string): Promise<SessionStatusView> {
    const session = sessions.get(clientId);
    if (session) {
      await applyIdle(clientId, session);
      await breakGlass.expire(session);
    }
    const base = { lockAfterMs: deps.lockAfterMs, demo: deps.demo };
    if (!session) return { ...base, state: directory.isEmpty() ? 'first_run' : 'anonymous', breakGlass: [] };
    return { ...base, ...signedInView(session), breakGlass: session.locked ? [] : breakGlass.view(session) };
  }

  /** Opens the session of a user whose credentials were just checked, ending whoever sat there before. */
  async function signIn(clientId: string, user: User, method: ClientSession['method'], p12?: Uint8Array) {
    await table.end(clientId, 'auth.switch');
    sessions.set(clientId, newSession(user, method, now(), p12));
    await record({ type: 'auth.login', action: 'E', outcome: 'success', agent: agentOf(user), detail: { method } });
    return status(clientId);
  }

  /** A wrong password or PIN at the lock screen: journalled; too many close the session. */
  async function failedUnlock(clientId: string, session: ClientSession, message: string): Promise<never> {
    session.failedUnlocks += 1;
    await record({ type: 'auth.unlock', action: 'E', outcome: 'failure', agent: agentOf(session.user), detail: { attempt: session.failedUnlocks } });
    if (session.failedUnlocks >= MAX_FAILED_UNLOCKS) {
      await table.end(clientId, 'auth.logout');
      throw new BridgeFailure('UNAUTHENTICATED', 'Trop d’essais : la session est fermée. Identifiez-vous à nouveau.');
    }
    throw new BridgeFailure('UNAUTHENTICATED', message);
  }

  return {
    status,

    async login(clientId: string, userId: string, password: string) {
      return signIn(clientId, await credentials.password(userId, password), 'password');
    },

    async loginCertificate(clientId: string, p12: Uint8Array, pin: string) {
      return signIn(clientId, await credentials.certificate(p12, pin), 'certificate', p12);
    },

    async lock(clientId: string, reason: 'manual' | 'idle') {
      const session = sessions.get(clientId);
      if (session && !session.locked) await table.lock(clientId, session, reason);
      return status(clientId);
    },

    async unlock(clientId: string, secret: string) {
      const session = sessions.get(clientId);
      if (!session) throw new BridgeFailure('UNAUTHENTICATED', 'Aucune session à déverrouiller : identifiez-vous.');
      if (!session.locked) return status(clientId);
      const { ok, message } = await credentials.unlocks(session, secret);
      if (!ok) return failedUnlock(clientId, session, message);
      session.locked = false;
      session.failedUnlocks = 0;
      session.lastActivity = now().getTime();
      await record({ type: 'auth.unlock', action: 'E', outcome: 'success', agent: agentOf(session.user) });
      return status(clientId);
    },

    async logout(clientId: string, switchUser: boolean) {
      await table.end(clientId, switchUser ? 'auth.switch' : 'auth.logout');
      return status(clientId);
    },

    async activity(clientId: string): Promise<number> {
      const session = sessions.get(clientId);
      if (!session) return deps.lockAfterMs;
      await applyIdle(clientId, session);
      if (!session.locked) session.lastActivity = now().getTime();
      return session.locked ? 0 : deps.lockAfterMs;
    },

    firstRun(clientId: string, userId: string, displayName: string, password: string) {
      // One at a time: the emptiness check and the write are awaited apart (scrypt in between), and
      // 8 parallel calls once made 8 administrators. The next call sees the directory no longer empty.
      const run = firstRunQueue.then(async () => {
        if (!directory.isEmpty()) throw new BridgeFailure('CONFLICT', 'Ce poste a déjà un administrateur : identifiez-vous.');
        const user = await directory.add({ id: userId, displayName, role: 'admin', units: [], password });
        await record({ type: 'users.create', action: 'C', outcome: 'success', agent: agentOf(user), entity: { type: 'Practitioner', id: user.id }, detail: { firstRun: true } });
        return signIn(clientId, user, 'password');
      });
      firstRunQueue = run.catch(() => undefined);
      return run;
    },

    /** Opens a local break-glass on the session the authorizer resolved (signed in, unlocked, allowed role). */
    async startBreakGlass(clientId: string, session: ClientSession, patient: PatientIdentity, reason: BreakGlassReason, justification: string) {
      await breakGlass.start(session, patient, reason, justification);
      return status(clientId);
    },

    async endBreakGlass(clientId: string, session: ClientSession, patientId: string) {
      await breakGlass.close(session, patientId);
      return status(clientId);
    },

    /** The signed-in, unlocked session of a client, after idle and expiry rules. */
    async current(clientId: string): Promise<ClientSession | null> {
      const session = sessions.get(clientId);
      if (!session) return null;
      await applyIdle(clientId, session);
      await breakGlass.expire(session);
      return session;
    },

    touch(session: ClientSession) {
      session.lastActivity = now().getTime();
    },

    breakGlassFor(session: ClientSession, patientId: string): BreakGlassGrant | null {
      return breakGlass.forPatient(session, patientId);
    },

    onSessionEnd(listener: SessionEndListener) {
      table.listeners.push(listener);
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

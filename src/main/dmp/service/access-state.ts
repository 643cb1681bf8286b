import type { AccessMode, DmpStatus } from '../types';

export type GrantSource = 'td02_valide' | 'td03_added' | 'bris_de_glace' | 'centre_15';

export interface Grant {
  mode: AccessMode;
  source: GrantSource;
  justification?: string;
  at: string;
}

/** Per-session access state: the grant opened for each patient and the last TD0.2 answer. */
export interface AccessState {
  grant(sessionId: string, ins: string): Grant | undefined;
  setGrant(sessionId: string, ins: string, grant: Grant): void;
  dropGrant(sessionId: string, ins: string): void;
  status(sessionId: string, ins: string): DmpStatus | undefined;
  setStatus(sessionId: string, ins: string, status: DmpStatus): void;
  clearSession(sessionId: string): void;
}

export function createAccessState(): AccessState {
  // sessionId → INS → grant. Memory only: a grant never outlives the session.
  const grants = new Map<string, Map<string, Grant>>();
  // sessionId → INS → last TD0.2 answer (INTERDIT blocks whatever happens; oppositions).
  const statuses = new Map<string, Map<string, DmpStatus>>();

  const inner = <T>(m: Map<string, Map<string, T>>, sessionId: string): Map<string, T> => {
    let found = m.get(sessionId);
    if (!found) {
      found = new Map();
      m.set(sessionId, found);
    }
    return found;
  };

  return {
    grant: (sessionId, ins) => grants.get(sessionId)?.get(ins),
    setGrant: (sessionId, ins, grant) => {
      inner(grants, sessionId).set(ins, grant);
    },
    dropGrant: (sessionId, ins) => {
      grants.get(sessionId)?.delete(ins);
    },
    status: (sessionId, ins) => statuses.get(sessionId)?.get(ins),
    setStatus: (sessionId, ins, status) => {
      inner(statuses, sessionId).set(ins, status);
    },
    clearSession: (sessionId) => {
      grants.delete(sessionId);
      statuses.delete(sessionId);
    },
  };
}

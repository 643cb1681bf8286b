import { fail, type Result } from '../../shared/bridge/result';
import type { AuditPort } from '../host/audit-port';

/**
 * Calls refused for want of a session. One journal entry each let any local process write 1,466
 * entries a second (the review); they are now counted per minute (one `access.denied` entry saying how
 * many, from how many clients, to which methods) and, past a per-client rate, answered without
 * checking anything further. The minute's entry is written when the next minute's first call comes,
 * or by a timer shortly after the minute ends.
 */
export interface AnonymousCalls {
  /** The refusal for one call without a session; counted, never journalled alone. */
  refuse(clientId: string, method: string): Promise<Result<never>>;
  /** Journals the current minute's count now (shutdown, tests). */
  flush(): Promise<void>;
}

export interface AnonymousCallsOptions {
  audit: AuditPort;
  /** Epoch milliseconds; the host's clock in production. */
  now: () => number;
  /** Refusals per client per minute answered normally; past it the client is told to wait. */
  perClientPerMinute?: number;
  /** Reports a failed summary write (the journal would be the place, but it just failed). */
  onError?: (err: Error) => void;
}

interface Bucket {
  minute: number;
  total: number;
  rateLimited: number;
  methods: Map<string, number>;
  clients: Map<string, number>;
  timer?: ReturnType<typeof setTimeout>;
}

const MINUTE = 60_000;
/** Bounds the per-minute tallies whatever a caller invents for method names or client ids. */
const MAX_KEYS = 1000;

function bump(map: Map<string, number>, key: string): number {
  const n = (map.get(key) ?? 0) + 1;
  if (map.has(key) || map.size < MAX_KEYS) map.set(key, n);
  return n;
}

export function createAnonymousCalls(opts: AnonymousCallsOptions): AnonymousCalls {
  const perClient = opts.perClientPerMinute ?? 60;
  let bucket: Bucket | null = null;

  async function flush(): Promise<void> {
    const b = bucket;
    if (!b) return;
    bucket = null;
    if (b.timer) clearTimeout(b.timer);
    const methods = [...b.methods].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([m, n]) => `${m.slice(0, 64)}:${n}`).join(',');
    await opts.audit.record({
      type: 'access.denied',
      action: 'E',
      outcome: 'denied',
      detail: { reason: 'unauthenticated', minute: new Date(b.minute * MINUTE).toISOString(), count: b.total, clients: b.clients.size, rateLimited: b.rateLimited, methods },
    });
  }

  function open(minute: number): Bucket {
    const b: Bucket = { minute, total: 0, rateLimited: 0, methods: new Map(), clients: new Map() };
    const untilEnd = (minute + 1) * MINUTE - opts.now() + 1000;
    b.timer = setTimeout(() => {
      if (bucket === b) flush().catch((err: unknown) => opts.onError?.(err instanceof Error ? err : new Error(String(err))));
    }, Math.max(untilEnd, 0));
    b.timer.unref();
    return b;
  }

  return {
    async refuse(clientId, method) {
      const minute = Math.floor(opts.now() / MINUTE);
      if (bucket && bucket.minute !== minute) await flush();
      bucket ??= open(minute);
      const b = bucket;
      b.total += 1;
      bump(b.methods, method);
      if (bump(b.clients, clientId) > perClient) {
        b.rateLimited += 1;
        return fail('UNAVAILABLE', 'Trop de requêtes sans identification depuis cette page : patientez une minute, puis identifiez-vous.');
      }
      return fail('UNAUTHENTICATED', 'Veuillez vous identifier.');
    },
    flush,
  };
}

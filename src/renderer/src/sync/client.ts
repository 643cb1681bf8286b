import type { RecordDb } from '../db/database';
import { applyPage, decodeContents } from './apply';
import type { ChangesPage, FetchChanges } from './feed';

export interface SyncClientOptions {
  db: RecordDb;
  fetchChanges: FetchChanges;
  /** Rows asked per page (main's default is 5,000). */
  maxRows?: number;
  /** Pause between polls once caught up: short, a note written on another workstation should show within seconds. */
  idlePollMs?: number;
  /** Pause after a failed poll or write before trying again. */
  retryMs?: number;
  now?: () => number;
}

export interface SyncClientState {
  running: boolean;
  /** Replica the cache mirrors; null before the first page. */
  epoch: string | null;
  /** Last seq applied to the cache. */
  seq: number;
  /** Main's head at the last poll; null before it. */
  head: number | null;
  caughtUp: boolean;
  /** Rows written (upserts + deletes) since start. */
  rowsApplied: number;
  /** Epoch ms of the last page written. */
  lastAppliedAt: number | null;
  /** French message of the last failure, cleared by the next success. */
  error: string | null;
}

export interface AppliedEvent {
  rows: number;
  wiped: boolean;
  seq: number;
  head: number;
}

export interface SyncClient {
  /** Starts polling (once signed in); a second call does nothing. */
  start(): void;
  /** Stops polling (sign-out, lock); resolves once a write in progress has committed. */
  stop(): Promise<void>;
  /** Polls now instead of waiting for the next tick; resolves when caught up (or failed). */
  syncNow(): Promise<void>;
  state(): SyncClientState;
  /** Called after every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: SyncClientState) => void): () => void;
  /** Called after every page written to the cache (the screens refresh from it). */
  onApplied(listener: (event: AppliedEvent) => void): () => void;
}

interface Page extends ChangesPage {
  after: number;
}

/** Refused by main or unreachable: the message the screens show. */
export class FeedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

/**
 * The renderer's half of replication: reads main's change feed from the cursor stored in the cache and
 * writes each page in one transaction. While behind, the next page is fetched while the current one is
 * written; caught up, it polls every `idlePollMs`. A new replica epoch wipes the cache and restarts at 0.
 */
export function createSyncClient(opts: SyncClientOptions): SyncClient {
  const { db, fetchChanges } = opts;
  const maxRows = opts.maxRows ?? 5000;
  const idlePollMs = opts.idlePollMs ?? 1000;
  const retryMs = opts.retryMs ?? 5000;
  const now = opts.now ?? Date.now;
  const listeners = new Set<(s: SyncClientState) => void>();
  const appliedListeners = new Set<(e: AppliedEvent) => void>();
  let state: SyncClientState = { running: false, epoch: null, seq: 0, head: null, caughtUp: false, rowsApplied: 0, lastAppliedAt: null, error: null };
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let pass: Promise<void> | null = null;
  // Set by stop(): a pass in progress writes the page it holds and asks for no more.
  let stopping = false;

  const set = (patch: Partial<SyncClientState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };

  const fetchPage = async (after: number): Promise<Page> => {
    const r = await fetchChanges({ after, maxRows });
    if (!r.ok) throw new FeedError(r.error.code, r.error.message);
    return { ...r.value, after };
  };

  /** One catch-up: pages until main's head, each written before the cursor moves. */
  const catchUp = async (): Promise<void> => {
    const stored = await db.syncState.get('feed');
    let cursor = { epoch: stored?.epoch ?? null, seq: stored?.seq ?? 0 };
    let inflight: Promise<Page> = fetchPage(cursor.seq);
    for (;;) {
      const page = await inflight;
      // Another replica (rebuilt), or one that went backwards: what the cache holds no longer lines up with seqs.
      const foreign = cursor.epoch !== null && (page.epoch !== cursor.epoch || page.head < cursor.seq);
      if (foreign && page.after !== 0) {
        cursor = { epoch: cursor.epoch, seq: 0 };
        inflight = fetchPage(0);
        continue;
      }
      const last = page.batches.at(-1)?.seq ?? cursor.seq;
      // An empty page cannot move the cursor: caught up for this pass whatever head says.
      const behind = page.batches.length > 0 && last < page.head;
      if (behind && !stopping) inflight = fetchPage(last);
      try {
        if (page.batches.length > 0 || foreign) {
          decodeContents(page.batches);
          const at = now();
          const rows = await applyPage(db, { epoch: page.epoch, wipe: foreign, batches: page.batches, appliedAt: at });
          set({ rowsApplied: state.rowsApplied + rows, lastAppliedAt: at });
          for (const l of appliedListeners) l({ rows, wiped: foreign, seq: last, head: page.head });
        }
      } catch (err) {
        if (behind) inflight.catch(() => undefined); // its outcome no longer matters
        throw err;
      }
      cursor = { epoch: page.epoch, seq: last };
      set({ epoch: page.epoch, seq: last, head: page.head, caughtUp: !behind, error: null });
      if (!behind || stopping) return;
    }
  };

  const runPass = (): Promise<void> => {
    pass ??= catchUp()
      .catch((err: unknown) => {
        set({ error: err instanceof Error ? err.message : String(err), caughtUp: false });
        throw err;
      })
      .finally(() => {
        pass = null;
      });
    return pass;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const run = async () => {
    while (state.running) {
      let failed = false;
      try {
        await runPass();
      } catch {
        failed = true;
      }
      if (!state.running) break;
      await sleep(failed ? retryMs : idlePollMs);
    }
  };

  return {
    start() {
      if (state.running) return;
      stopping = false;
      set({ running: true });
      loop = run();
    },
    async stop() {
      if (!state.running) return;
      stopping = true;
      set({ running: false });
      wake?.();
      await loop;
      loop = null;
    },
    async syncNow() {
      await runPass().catch(() => undefined);
    },
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onApplied(listener) {
      appliedListeners.add(listener);
      return () => appliedListeners.delete(listener);
    },
  };
}

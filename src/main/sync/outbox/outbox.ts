import { randomUUID } from 'node:crypto';
import type { RecordRows } from '../../../shared/record/types';
import type { Clock } from '../../host/clock';
import type { Logger } from '../../host/logger';
import type { CareIndexPort } from '../care-port';
import { createPusher } from './push';
import type { ReplicaStore } from '../replica/store';
import { openOutboxStore, type OutboxStore } from './store';
import type { FhirTransport } from './transport';
import type { OutboxItem, OutboxOp, ServerId, UpdateOp } from './types';

export type ReplicaPort = Pick<ReplicaStore, 'append' | 'get' | 'versionOf'>;

export interface OutboxCounts {
  pending: number;
  failed: number;
  conflicts: number;
}

export interface Outbox {
  /** Durable before it resolves; the caller wakes the outbox once the rows are in the replica. */
  enqueue(input: { label: string; patientIds: string[]; ops: OutboxOp[] }): Promise<OutboxItem>;
  /** Pushes every item that is due, in order per patient; resolves when none is left to try now. */
  drain(): Promise<void>;
  /** Drains by itself: at once after each write, then at each retry time. */
  start(): void;
  stop(): Promise<void>;
  /** The network is back (the sync engine reached the server): retry what waits now rather than at its retry time. */
  kick(): void;
  /** Something was queued: push it now if the outbox runs. */
  wake(): void;
  list(): OutboxItem[];
  counts(): OutboxCounts;
  retry(id: string): Promise<OutboxItem>;
  /** 'mine': re-send on the server's current version; 'theirs': drop mine, the replica takes the server's version. */
  resolve(id: string, choice: 'mine' | 'theirs'): Promise<{ item: OutboxItem; rows: RecordRows; seq: number | null }>;
  /** The server id a local row id became, once pushed. */
  serverIdOf(localId: string): string | undefined;
}

export interface OutboxDeps {
  dir: string;
  /** Absent: no hospital server configured; items wait. */
  transport: FhirTransport | null;
  replica: ReplicaPort;
  clock: Clock;
  logger: Logger;
  care?: CareIndexPort;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
}

export class OutboxError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

const KEEP_SENT = 200;

/** Items that wait for this one: an earlier item of the same patient not yet through holds later ones back. */
function blockedBy(items: OutboxItem[], item: OutboxItem): boolean {
  return items.some((o) => o.seq < item.seq && (o.state === 'pending' || o.state === 'sending' || o.state === 'conflict') && o.patientIds.some((p) => item.patientIds.includes(p)));
}

export async function openOutbox(deps: OutboxDeps): Promise<Outbox> {
  const store: OutboxStore = await openOutboxStore(deps.dir);
  const loaded = await store.load();
  // An item caught mid-send by a crash is sent again: its creates are conditional, its update checked.
  const items: OutboxItem[] = loaded.items.map((i) => (i.state === 'sending' ? { ...i, state: 'pending' } : i));
  const ids: Record<string, ServerId> = loaded.ids;
  const backoff = deps.backoff ?? { baseMs: 1000, maxMs: 5 * 60_000 };
  const random = deps.random ?? Math.random;
  let seq = items.reduce((m, i) => Math.max(m, i.seq), 0);
  let running: Promise<void> | null = null;
  let started = false;
  let timer: NodeJS.Timeout | null = null;

  const now = () => deps.clock.now();
  const due = (i: OutboxItem) => i.state === 'pending' && (!i.retryAt || Date.parse(i.retryAt) <= now().getTime());

  const save = (item: OutboxItem) => store.save(item);

  const { send } = createPusher({ deps, ids, items, store, backoff, random, now });

  async function drainLoop(): Promise<void> {
    if (!deps.transport) return;
    for (;;) {
      const next = items.find((i) => due(i) && !blockedBy(items, i));
      if (!next) break;
      await send(next);
      // A server out of reach for one item is out of reach for the next: wait for the retry time.
      if (next.state === 'pending') break;
    }
    await prune();
  }

  async function prune(): Promise<void> {
    const sentItems = items.filter((i) => i.state === 'sent');
    for (const old of sentItems.slice(0, Math.max(0, sentItems.length - KEEP_SENT))) {
      await store.remove(old);
      items.splice(items.indexOf(old), 1);
    }
  }

  function schedule(): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const waits = items.filter((i) => i.state === 'pending').map((i) => (i.retryAt ? Date.parse(i.retryAt) : 0));
    if (waits.length === 0) return;
    const delay = Math.max(0, Math.min(...waits) - now().getTime());
    timer = setTimeout(() => void drain(), Math.min(delay, 2 ** 31 - 1));
    timer.unref?.();
  }

  function drain(): Promise<void> {
    running ??= drainLoop()
      .catch((err: unknown) => deps.logger.error('outbox drain failed', { error: (err as Error).message }))
      .finally(() => {
        running = null;
        schedule();
      });
    return running;
  }

  function find(id: string): OutboxItem {
    const item = items.find((i) => i.id === id);
    if (!item) throw new OutboxError('NOT_FOUND', 'Modification introuvable dans la file d’envoi.');
    return item;
  }

  async function resolve(id: string, choice: 'mine' | 'theirs') {
    const item = find(id);
    if (item.state !== 'conflict' || !item.conflict) throw new OutboxError('CONFLICT', 'Cette modification n’est pas en conflit.');
    const { theirs } = item.conflict;
    if (choice === 'mine') {
      const op = item.ops.find((o): o is UpdateOp => o.op === 'update')!;
      op.baseVersion = theirs.versionId;
      Object.assign(item, { state: 'pending', attempts: 0 });
      delete item.conflict;
      delete item.retryAt;
      await save(item);
      if (started) void drain();
      return { item, rows: {}, seq: null };
    }
    const target = ids[item.conflict.mine.id]?.id ?? item.conflict.mine.id;
    const rows: RecordRows = theirs.row ? { patients: [{ ...theirs.row, id: target }] } : {};
    const seqNo = await deps.replica.append({ upserts: rows }, { versions: { [`Patient/${target}`]: theirs.versionId } });
    Object.assign(item, { state: 'sent', sentAt: now().toISOString(), lastError: 'Conflit résolu : version du serveur conservée, la vôtre abandonnée.' });
    delete item.conflict;
    await save(item);
    return { item, rows, seq: seqNo };
  }

  return {
    async enqueue(input) {
      const item: OutboxItem = { id: randomUUID(), seq: ++seq, createdAt: now().toISOString(), ...input, state: 'pending', attempts: 0 };
      await save(item);
      items.push(item);
      return item;
    },
    drain,
    start() {
      started = true;
      void drain();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    wake() {
      if (started) void drain();
    },
    kick() {
      for (const i of items) if (i.state === 'pending') delete i.retryAt;
      if (started) void drain();
    },
    list: () => items.map((i) => structuredClone(i)),
    counts: () => ({
      pending: items.filter((i) => i.state === 'pending' || i.state === 'sending').length,
      failed: items.filter((i) => i.state === 'failed').length,
      conflicts: items.filter((i) => i.state === 'conflict').length,
    }),
    async retry(id) {
      const item = find(id);
      if (item.state !== 'failed' && item.state !== 'pending') throw new OutboxError('CONFLICT', 'Seule une modification en échec ou en attente peut être renvoyée.');
      Object.assign(item, { state: 'pending' });
      delete item.retryAt;
      await save(item);
      if (started) void drain();
      return structuredClone(item);
    },
    resolve,
    serverIdOf: (localId) => ids[localId]?.id,
  };
}

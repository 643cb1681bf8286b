import { randomUUID } from 'node:crypto';
import type { RecordRows } from '../../../shared/record/types';
import type { Clock } from '../../host/clock';
import type { Logger } from '../../host/logger';
import { applyCareDelta, type CareIndexPort } from '../care-port';
import type { ReplicaStore } from '../replica/store';
import { alreadyApplied, buildBundle, bundleRefs, outcomeText, patientRowOf, PermanentError, readResponse } from './bundle';
import { rekeyBatch } from './rekey';
import { openOutboxStore, type OutboxStore } from './store';
import { NetworkError, type FhirTransport } from './transport';
import { RESOURCE_OF, type OutboxItem, type OutboxOp, type ServerId, type UpdateOp } from './types';

export type ReplicaPort = Pick<ReplicaStore, 'append' | 'get' | 'versionOf'>;

export interface OutboxCounts {
  pending: number;
  failed: number;
  conflicts: number;
}

export interface Outbox {
  /** Durable before it resolves; the push starts at once when online. */
  enqueue(input: { label: string; patientIds: string[]; ops: OutboxOp[] }): Promise<OutboxItem>;
  /** Pushes every item that is due, in order per patient; resolves when none is left to try now. */
  drain(): Promise<void>;
  /** Drains by itself: at once after each write, then at each retry time. */
  start(): void;
  stop(): Promise<void>;
  /** The network is back (the sync engine reached the server): retry what waits now rather than at its retry time. */
  kick(): void;
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
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

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

  async function save(item: OutboxItem): Promise<void> {
    await store.save(item);
  }

  function later(item: OutboxItem, reason: string): void {
    const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(item.attempts - 1, 30));
    // Full jitter on half the delay: workstations that lost the server together do not come back together.
    const delay = Math.round(exp / 2 + (random() * exp) / 2);
    Object.assign(item, { state: 'pending', lastError: reason, retryAt: new Date(now().getTime() + delay).toISOString() });
  }

  async function currentResources(item: OutboxItem): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (const op of item.ops) {
      if (op.op !== 'update' || !deps.transport) continue;
      const target = ids[op.row.id]?.id ?? op.row.id;
      const ans = await deps.transport.request('GET', `${RESOURCE_OF[op.table]}/${target}`);
      if (ans.status === 200) out.set(op.row.id, ans.body as Record<string, unknown>);
      else if (TRANSIENT.has(ans.status)) throw new NetworkError(outcomeText(ans.status, ans.body));
    }
    return out;
  }

  async function sent(item: OutboxItem, got: Record<string, ServerId>): Promise<void> {
    Object.assign(ids, got);
    await store.saveIds(ids);
    const waiting = items.filter((o) => o !== item && o.state !== 'sent');
    const { batch, meta } = rekeyBatch(item, ids, waiting, now());
    await deps.replica.append(batch, meta);
    if (deps.care && meta.care) applyCareDelta(deps.care, meta.care);
    Object.assign(item, { state: 'sent', sentAt: now().toISOString(), serverIds: Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.id])) });
    delete item.retryAt;
    delete item.lastError;
  }

  /** A 412: the server moved on since the user saw the record; unless it already says what we wanted, a conflict. */
  async function precondition(item: OutboxItem): Promise<void> {
    const op = item.ops.find((o): o is UpdateOp => o.op === 'update');
    if (!op) throw new PermanentError('le serveur a refusé une création conditionnelle (412).');
    const current = (await currentResources(item)).get(op.row.id);
    if (!current) throw new PermanentError('identité introuvable sur le serveur hospitalier.');
    const refs = bundleRefs(ids, new Set());
    const versionId = (current.meta as { versionId?: string } | undefined)?.versionId ?? '';
    const target = ids[op.row.id]?.id ?? op.row.id;
    if (alreadyApplied(current, op, refs)) {
      await sent(item, { [op.row.id]: { type: 'Patient', id: target, version: versionId } });
      return;
    }
    item.state = 'conflict';
    item.lastError = 'Conflit : l’identité a été modifiée sur le serveur depuis votre saisie.';
    item.conflict = { mine: op.row, theirs: { row: patientRowOf(current, op.row.id, op.row.ipp, now().getTime()), versionId, resource: current } };
  }

  async function send(item: OutboxItem): Promise<void> {
    const transport = deps.transport!;
    item.state = 'sending';
    item.attempts++;
    await save(item);
    try {
      const built = buildBundle(item, ids, now(), await currentResources(item));
      const ans = await transport.request('POST', '', built.bundle);
      if (ans.status >= 200 && ans.status < 300) {
        await sent(item, readResponse(ans.body, built.localIds, item.ops.map((o) => RESOURCE_OF[o.table])));
      } else if (ans.status === 412) {
        await precondition(item);
      } else if (TRANSIENT.has(ans.status)) {
        later(item, `Serveur hospitalier indisponible : ${outcomeText(ans.status, ans.body)}`);
      } else {
        Object.assign(item, { state: 'failed', lastError: `Refusé par le serveur hospitalier : ${outcomeText(ans.status, ans.body)}` });
      }
    } catch (err) {
      if (err instanceof NetworkError) later(item, `Serveur hospitalier injoignable : ${err.message}`);
      else if (err instanceof PermanentError) Object.assign(item, { state: 'failed', lastError: `Envoi impossible : ${err.message}` });
      else {
        deps.logger.error('outbox push failed', { item: item.id, error: (err as Error).message });
        later(item, `Erreur pendant l’envoi : ${(err as Error).message}`);
      }
    }
    await save(item);
  }

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
      if (started) void drain();
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

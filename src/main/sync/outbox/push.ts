import type { OutboxDeps } from './outbox';
import { alreadyApplied, buildBundle, bundleRefs, outcomeText, patientRowOf, PermanentError, readResponse } from './bundle';
import { applyCareDelta } from '../care-port';
import { rekeyBatch } from './rekey';
import type { OutboxStore } from './store';
import { NetworkError } from './transport';
import { RESOURCE_OF, type OutboxItem, type ServerId, type UpdateOp } from './types';

const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

export interface PushContext {
  deps: OutboxDeps;
  ids: Record<string, ServerId>;
  items: OutboxItem[];
  store: OutboxStore;
  backoff: { baseMs: number; maxMs: number };
  random: () => number;
  now: () => Date;
}

/** One push of one item and what its answer does to the item, the server ids and the replica. */
export function createPusher(ctx: PushContext): { send(item: OutboxItem): Promise<void>; sent(item: OutboxItem, got: Record<string, ServerId>): Promise<void> } {
  const { deps, ids, items, store, backoff, random, now } = ctx;
  const save = (item: OutboxItem) => store.save(item);

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
    const merged = { ...ids, ...got };
    await store.saveIds(merged);
    const waiting = items.filter((o) => o !== item && o.state !== 'sent');
    const { batch, meta } = rekeyBatch(item, merged, waiting, now());
    await deps.replica.append(batch, meta);
    // Writes read a local id as its server id only once the replica holds the row under it.
    Object.assign(ids, got);
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

  return { send, sent };
}

import type { OutboxItemView } from '../../../shared/bridge/methods-outbox';
import { BridgeFailure } from '../../../shared/bridge/result';
import { parisParts } from '../../../shared/time';
import type { AuditPort } from '../../host/audit-port';
import type { Handler } from '../../host/handlers';
import { OutboxError, type Outbox, type OutboxCounts } from './outbox';
import type { OutboxItem } from './types';

const two = (n: number) => String(n).padStart(2, '0');

/** The state in French, as the panel shows it. */
export function statusOf(item: OutboxItem): string {
  switch (item.state) {
    case 'pending': {
      if (!item.retryAt) return 'En attente d’envoi';
      const p = parisParts(new Date(item.retryAt));
      return `Nouvel essai à ${two(p.hour)}:${two(p.minute)}${item.lastError ? ` — ${item.lastError}` : ''}`;
    }
    case 'sending':
      return 'Envoi en cours';
    case 'sent':
      return 'Envoyé au serveur hospitalier';
    case 'failed':
      return `Échec — ${item.lastError ?? 'raison inconnue'}`;
    case 'conflict':
      return 'Conflit à résoudre : la version du serveur a changé depuis votre saisie';
  }
}

export function toView(item: OutboxItem): OutboxItemView {
  const { id, label, state, createdAt, attempts, patientIds, retryAt, lastError, sentAt, conflict } = item;
  return {
    id,
    label,
    state,
    status: statusOf(item),
    createdAt,
    attempts,
    patientIds,
    ...(retryAt ? { retryAt } : {}),
    ...(lastError ? { lastError } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...(conflict ? { conflict: { mine: conflict.mine, theirs: { row: conflict.theirs.row, versionId: conflict.theirs.versionId } } } : {}),
  };
}

/** What the sync engine's status reports from the outbox (pending, failed, conflicts). */
export function outboxStatus(outbox: Outbox | null): OutboxCounts {
  return outbox ? outbox.counts() : { pending: 0, failed: 0, conflicts: 0 };
}

function bridged<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((err: unknown) => {
    if (err instanceof OutboxError) throw new BridgeFailure(err.code, err.message);
    throw err;
  });
}

export function createOutboxHandlers(deps: { outbox: Outbox; audit: AuditPort }): {
  'sync.outbox.list': Handler<'sync.outbox.list'>;
  'sync.outbox.retry': Handler<'sync.outbox.retry'>;
  'sync.conflict.resolve': Handler<'sync.conflict.resolve'>;
} {
  const { outbox, audit } = deps;
  return {
    'sync.outbox.list': async () => ({ items: outbox.list().map(toView) }),
    'sync.outbox.retry': ({ id }) => bridged(async () => ({ item: toView(await outbox.retry(id)) })),
    'sync.conflict.resolve': ({ id, keep }, { caller }) =>
      bridged(async () => {
        const before = outbox.list().find((i) => i.id === id);
        const { item, rows, seq } = await outbox.resolve(id, keep);
        const mine = before?.conflict?.mine;
        // Which version of an identity stays is a decision on the record: journalled with who took it.
        await audit.record({
          type: 'sync.conflict.resolve',
          action: 'U',
          outcome: 'success',
          agent: caller.agent,
          ...(mine ? { patient: { ipp: mine.ipp }, entity: { type: 'Patient', id: mine.id } } : {}),
          detail: { keep },
        });
        return { item: toView(item), rows, seq };
      }),
  };
}

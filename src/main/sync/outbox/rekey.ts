import type { RecordRows } from '../../../shared/record/types';
import type { CareDelta, CareEncounter } from '../care-port';
import type { BatchMeta, RowTable } from '../replica/store';
import { RESOURCE_OF, type OutboxItem, type OutboxOp, type ServerId } from './types';

/**
 * After a push, the rows of the item take the ids the server gave (rows keep the FHIR logical ids), the replica
 * learns each resource's version (next If-Match), and the rows of items still waiting that point at a patient
 * created here point at its server id. One replica batch: the renderer's cache sees the switch in one go.
 */
export function rekeyBatch(
  item: OutboxItem,
  ids: Record<string, ServerId>,
  waiting: OutboxItem[],
  now: Date,
): { batch: { upserts: RecordRows; deletes: Partial<Record<RowTable, string[]>> }; meta: BatchMeta } {
  const to = (id: string | undefined) => (id === undefined ? undefined : (ids[id]?.id ?? id));
  const upserts: Record<string, unknown[]> = {};
  const deletes: Partial<Record<RowTable, string[]>> = {};
  const versions: Record<string, string> = {};
  const care: CareDelta = {};
  const put = (op: OutboxOp) => {
    const row = rewrite(op, to);
    (upserts[op.table] ??= []).push(row);
    if (row.id !== op.row.id) (deletes[op.table] ??= []).push(op.row.id);
    return row;
  };
  for (const op of item.ops) {
    const row = put(op);
    const known = ids[op.row.id];
    if (known?.version) versions[`${RESOURCE_OF[op.table]}/${known.id}`] = known.version;
    if (op.table === 'patients') (care.patients ??= []).push({ id: row.id, ipp: (row as unknown as { ipp: string }).ipp });
    if (op.table === 'stays') (care.encounters ??= []).push(careEncounter(row as unknown as Parameters<typeof careEncounter>[0], now));
  }
  const moved = new Set(item.ops.filter((o) => o.table === 'patients' && ids[o.row.id] && ids[o.row.id]!.id !== o.row.id).map((o) => o.row.id));
  if (moved.size > 0) {
    for (const other of waiting) {
      for (const op of other.ops) {
        if (op.op === 'create' && op.table !== 'patients' && moved.has(op.row.patientId)) (upserts[op.table] ??= []).push(rewrite(op, to, false));
        // A change to the moved patient still waiting (a link made offline) is its latest state: the row shows it.
        if (op.op === 'update' && moved.has(op.row.id)) {
          const latest = rewrite(op, to);
          upserts.patients = (upserts.patients ?? []).map((r) => ((r as { id: string }).id === latest.id ? latest : r));
        }
      }
    }
  }
  return { batch: { upserts: upserts as RecordRows, deletes }, meta: { versions, care } };
}

/** The row under its server ids (its own id too unless `ownId` is false: a row still waiting keeps its local id). */
function rewrite(op: OutboxOp, to: (id: string | undefined) => string | undefined, ownId = true): { id: string } {
  const row: Record<string, unknown> = { ...op.row };
  if (ownId) row.id = to(op.row.id);
  if (typeof row.patientId === 'string') row.patientId = to(row.patientId);
  if (typeof row.stayId === 'string') row.stayId = to(row.stayId);
  if (typeof row.linkedTo === 'string') row.linkedTo = to(row.linkedTo);
  return row as { id: string };
}

export function careEncounter(stay: { id: string; patientId: string; unit: string; start: string; end?: string }, now: Date): CareEncounter {
  const started = Date.parse(stay.start) <= now.getTime();
  const ended = stay.end !== undefined && Date.parse(stay.end) <= now.getTime();
  return { id: stay.id, patientId: stay.patientId, unit: stay.unit, start: stay.start, ...(stay.end ? { end: stay.end } : {}), status: !started ? 'planned' : ended ? 'finished' : 'in-progress' };
}

import { newBatch, pullContentByExport, pullContentBySearch, type PullContext } from './pull';
import type { BatchBuilder } from './ingest';
import type { RowTable } from './replica/store';

/** More patients entering care than this at once are fetched by one Bulk export rather than searches. */
const SEARCH_FETCH_MAX = 20;

const RESOURCE_OF_TABLE: Partial<Record<RowTable, string>> = {
  stays: 'Encounter',
  documents: 'DocumentReference',
  allergies: 'AllergyIntolerance',
  treatments: 'MedicationRequest',
  problems: 'Condition',
  procedures: 'Procedure',
  observations: 'Observation',
};

const isOpen = (status: string) => status === 'in-progress' || status === 'arrived' || status === 'onleave';

/** What the replica holds follows the care relationships: patients entering care get their content, leavers lose it. */
export function createScopeOps(opts: { ctx: PullContext; units: readonly string[] | 'all'; onDemand: ReadonlySet<string> }) {
  const { ctx, units, onDemand } = opts;
  const inCareNow = () => new Set(ctx.care.patientsInCare(units, ctx.now()));

  /** One delete batch: the patients' clinical rows and their versions go; identity rows stay. */
  async function dropContent(patientIds: string[]): Promise<void> {
    const batch = newBatch(ctx);
    for (const id of patientIds) {
      for (const [table, ids] of Object.entries(ctx.replica.rowsOfPatient(id)) as [RowTable, string[]][]) batch.remove(table, ids, RESOURCE_OF_TABLE[table]);
    }
    const { batch: b, meta } = batch.take({ held: { remove: patientIds } });
    await ctx.replica.append(b, meta);
  }

  return {
    inCareNow,
    dropContent,
    async reconcile(): Promise<void> {
      const inCare = inCareNow();
      const held = ctx.replica.heldPatients();
      const entering = [...inCare].filter((id) => !held.has(id));
      const leaving = [...held].filter((id) => !inCare.has(id) && !onDemand.has(id));
      if (entering.length > SEARCH_FETCH_MAX) await pullContentByExport(ctx, entering, 'Nouveaux patients pris en charge');
      else if (entering.length) await pullContentBySearch(ctx, entering);
      if (leaving.length) await dropContent(leaving);
    },
    /** Patient rows carry the units of their stays: re-emitted when an Encounter of theirs changes. */
    async refreshPatientRows(batch: BatchBuilder, patientIds: Set<string>): Promise<void> {
      for (const id of patientIds) {
        const row = await ctx.replica.get('patients', id);
        if (!row) continue;
        const stays = ctx.care.encountersOf(id);
        const units = [...new Set(stays.map((s) => s.unit))];
        const current = stays.find((s) => isOpen(s.status))?.unit;
        if (units.join('\u0000') === row.units.join('\u0000') && current === row.currentUnit) continue;
        const { currentUnit: _old, ...rest } = row;
        batch.putRow('patients', { ...rest, units, ...(current ? { currentUnit: current } : {}), updatedAt: ctx.now().getTime() });
      }
    },
  };
}

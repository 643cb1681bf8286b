import { createCareIndex, type CareIndex } from '../care';
import type { Logger } from '../host/logger';
import { applyCareDelta } from './care-port';
import type { ReplicaStore } from './replica/store';

/**
 * The care index as main last knew it: the snapshot saved with the replica plus the care facts appended since.
 * A damaged snapshot is not trusted: the index is rebuilt from every care fact of the change log.
 */
export async function restoreCareIndex(replica: ReplicaStore, windowDays: number, logger: Logger): Promise<CareIndex> {
  const { snapshot, tail } = replica.careState();
  if (snapshot === undefined) {
    // Never checkpointed: the tail is every care fact since the log began.
    const index = createCareIndex({ windowDays });
    for (const delta of tail) applyCareDelta(index, delta);
    return index;
  }
  {
    try {
      const index = createCareIndex({ windowDays, from: snapshot });
      for (const delta of tail) applyCareDelta(index, delta);
      return index;
    } catch (err) {
      logger.error('care index snapshot unreadable, rebuilt from the replica log', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  const index = createCareIndex({ windowDays });
  for (const delta of await replica.allCareDeltas()) applyCareDelta(index, delta);
  return index;
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../../bridge';
import { createSyncClient, type SyncClient, type SyncClientState } from '../../sync';
import { chartKeys } from '../chart';
import { patientKeys, recordDb } from '../patients';
import { syncKeys } from './keys';

let client: SyncClient | null = null;

/** The page's one sync client, over the record's cache and the bridge's change feed. */
export function syncClient(): SyncClient {
  client ??= createSyncClient({ db: recordDb(), fetchChanges: (input) => api.sync.changes(input) });
  return client;
}

/** At most one refresh of the screens per this delay while a first replica pours in. */
const REFRESH_MS = 1000;

/**
 * Runs the sync client while the calling component is mounted (the signed-in care workspace): it stops
 * on sign-out and lock, when the workspace unmounts. Searches and open charts re-read the cache after
 * pages land, at most once a second, and once more when caught up.
 */
export function useSyncRunner(): void {
  const qc = useQueryClient();
  useEffect(() => {
    const c = syncClient();
    let timer: number | undefined;
    const refresh = () => {
      timer = undefined;
      void qc.invalidateQueries({ queryKey: patientKeys.searches });
      void qc.invalidateQueries({ queryKey: chartKeys.charts });
      void qc.invalidateQueries({ queryKey: syncKeys.status });
    };
    const off = c.onApplied((e) => {
      if (e.seq >= e.head) {
        window.clearTimeout(timer);
        refresh();
      } else timer ??= window.setTimeout(refresh, REFRESH_MS);
    });
    c.start();
    return () => {
      off();
      window.clearTimeout(timer);
      void c.stop();
    };
  }, [qc]);
}

/** The client's state, re-rendering on every change (progress of the cache fill). */
export function useSyncClientState(): SyncClientState {
  const c = syncClient();
  return useSyncExternalStore(c.subscribe, c.state, c.state);
}

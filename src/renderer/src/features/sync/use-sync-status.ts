import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../bridge';
import { syncKeys } from './keys';

/** Polled quickly during a first replica (its progress bar moves), every few seconds otherwise. */
export function useSyncStatus(enabled: boolean) {
  return useQuery({
    queryKey: syncKeys.status,
    queryFn: () => unwrap(api.sync.status({})),
    enabled,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.firstReplica ? 1000 : 3000),
  });
}

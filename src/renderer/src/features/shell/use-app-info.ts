import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../bridge';
import { shellKeys } from './keys';

export function useAppInfo() {
  return useQuery({
    queryKey: shellKeys.appInfo,
    queryFn: () => unwrap(api.app.info({})),
    staleTime: Infinity,
    // The workstation's own facts: kept when the session provider empties the cache.
    meta: { survivesSignOut: true },
  });
}

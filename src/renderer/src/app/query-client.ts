import { QueryClient } from '@tanstack/react-query';

/**
 * Memory-only cache (no persister): DMP documents must never reach disk, and
 * local-record data already lives in IndexedDB.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

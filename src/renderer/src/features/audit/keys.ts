import type { ReviewStatus } from '../../../../shared/bridge/methods-audit';
import type { JournalFilter } from './JournalList';

/** Journal pages, one infinite query per filter; break-glass episodes per review status. */
export const auditKeys = {
  journal: (filter: JournalFilter) => ['audit.query', filter] as const,
  episodes: (status: ReviewStatus | '') => ['audit.breakGlassEpisodes', status] as const,
};

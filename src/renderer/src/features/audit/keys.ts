import type { JournalFilter } from './JournalList';

/** Journal pages, one infinite query per filter. */
export const auditKeys = {
  journal: (filter: JournalFilter) => ['audit.query', filter] as const,
};

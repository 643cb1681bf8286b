/** The sync feature's queries: main's sync state (header, panel) and its outbox. */
export const syncKeys = {
  status: ['sync.status'] as const,
  outbox: ['sync.outbox.list'] as const,
};

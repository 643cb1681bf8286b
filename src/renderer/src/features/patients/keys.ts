/** Patient search results; an import refreshes every search at once. */
export const patientKeys = {
  searches: ['record.search'] as const,
  search: (text: string) => ['record.search', text] as const,
};

/** The bundles prepared in the workstation's data directory (for example by `npm run seed`). */
export const importKeys = {
  preparedFiles: ['record.importFiles'] as const,
};

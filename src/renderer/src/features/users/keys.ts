/** The workstation's user directory. */
export const usersKeys = {
  list: ['users.list'] as const,
};

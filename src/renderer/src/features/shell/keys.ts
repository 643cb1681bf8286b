/** Facts about the workstation itself (name, version): no patient data, so they outlive a sign-out. */
export const shellKeys = {
  appInfo: ['app.info'] as const,
};

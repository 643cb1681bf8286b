/** The app's own origin under Electron: a privileged custom scheme, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Links the app may hand to the system browser (public health references only). */
export const EXTERNAL_ALLOW_LIST = ['https://www.monespacesante.fr/', 'https://esante.gouv.fr/', 'https://www.ameli.fr/'];

export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && EXTERNAL_ALLOW_LIST.some((prefix) => url.startsWith(prefix) && parsed.username === '' && parsed.password === '');
}

/** Our own pages: the packaged app, or the electron-vite dev server in development. */
export function isOwnOrigin(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return parsed.origin === dev.origin;
  }
  return false;
}

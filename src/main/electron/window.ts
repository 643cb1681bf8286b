import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { APP_ORIGIN, isAllowedExternal, isOwnOrigin } from './origins';

export interface WindowOptions {
  preloadPath: string;
  /** electron-vite dev server URL in development; undefined in the packaged app. */
  devServerUrl?: string;
  title: string;
  /** The installed application: no developer tools, whatever the keyboard says. */
  production?: boolean;
}

/** The web preferences of every window: Electron's security checklist, item by item. */
export function secureWebPreferences(preloadPath: string, opts: { production?: boolean } = {}): Electron.WebPreferences {
  return {
    preload: preloadPath,
    // DevTools would let whoever sits at the keyboard read the renderer's memory (session, record cache).
    devTools: !opts.production,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** Navigation, new windows and <webview> are locked down on every web contents. */
export function hardenWebContents(contents: WebContents, devServerUrl?: string): void {
  const blockForeign = (event: Electron.Event, url: string) => {
    if (!isOwnOrigin(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-frame-navigate', (event) => {
    if (!isOwnOrigin(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Permissions denied, CSP on every response, no request leaves for a remote host. */
export function hardenSession(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    // The renderer never talks to the network: DMP calls go through main.
    callback({ cancel: !isOwnOrigin(details.url, devServerUrl) });
  });
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: opts.title,
    backgroundColor: '#f4f6f8',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath, { production: !!opts.production }),
  });
  hardenWebContents(win.webContents, opts.devServerUrl);
  hardenSession(win.webContents.session, opts.devServerUrl);
  if (opts.production) win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

export const rendererIndex = (outDir: string) => path.join(outDir, 'renderer', 'index.html');

import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { createHost, type Host } from './host/host';
import { systemClock } from './host/clock';
import { createConsoleLogger } from './host/logger';
import { registerBridge } from './electron/ipc';
import { handleAppProtocol, registerAppScheme } from './electron/protocol';
import { createMainWindow, hardenWebContents } from './electron/window';
import { createSafeStorageSecretStore } from './electron/safe-storage';

/**
 * The Electron shell: lifecycle, window, protocol and IPC wiring. Everything
 * else lives in the host core (src/main/host), which runs without Electron.
 */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
if (dataDirArg) app.setPath('userData', path.resolve(dataDirArg));

app.enableSandbox();
registerAppScheme();

let host: Host | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl));

app.whenReady().then(async () => {
  const logger = createConsoleLogger('main');
  const dataDir = app.getPath('userData');
  const secrets = createSafeStorageSecretStore(path.join(dataDir, 'pki'), (m) => logger.warn(m));
  const demo = !app.isPackaged && !dataDirArg;
  // Demo users, TEST PKI and the embedded test DMP are injected here, never imported by the host core.
  if (demo) await (await import('./auth/demo')).initDemo(dataDir, { secrets });
  const dmpUrl = process.env.WORKSTATION_DMP_URL;
  const dmp = dmpUrl ? { servicesUrl: dmpUrl } : (await import('./dmp/sandbox/embedded')).embeddedTestDmp();
  host = await createHost({
    dataDir,
    secrets,
    demo,
    dmp,
    mode: 'electron',
    clock: systemClock,
    logger,
    version: app.getVersion(),
  });
  handleAppProtocol(path.join(__dirname, '..', 'renderer'));
  registerBridge(ipcMain, host, devServerUrl);
  createMainWindow({ preloadPath: path.join(__dirname, '..', 'preload', 'index.js'), devServerUrl, title: 'Poste clinique CHU' });
}).catch((err: unknown) => {
  console.error('Démarrage impossible :', err instanceof Error ? err.message : String(err));
  app.exit(1);
});

app.on('second-instance', () => {
  // A second launch focuses the existing window instead of opening a parallel session.
  BrowserWindow.getAllWindows()[0]?.focus();
});

app.on('window-all-closed', () => {
  app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !host) return;
  event.preventDefault();
  quitting = true;
  // A failed close (journal flush, worker exit) is reported, never a reason to keep the app from quitting.
  host
    .close()
    .catch((err: unknown) => console.error('Fermeture incomplète :', err instanceof Error ? err.message : String(err)))
    .finally(() => app.quit());
});

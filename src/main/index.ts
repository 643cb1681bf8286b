import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import path from 'node:path';
import { createHost, type Host } from './host/host';
import { systemClock } from './host/clock';
import { createConsoleLogger } from './host/logger';
import { defaultPolicyPath, readPolicyFile } from './host/policy';
import type { DmpConnection } from './dmp/runtime';
import type { HospitalConnection } from './sync/config';
import { registerBridge } from './electron/ipc';
import { menuTemplate } from './electron/menu';
import { assertNoDemoData, isProduction, planLaunch, type LaunchPlan } from './electron/production';
import { handleAppProtocol, registerAppScheme } from './electron/protocol';
import { createMainWindow, hardenWebContents } from './electron/window';
import { createSafeStorageSecretStore } from './electron/safe-storage';

/**
 * The Electron shell: lifecycle, window, protocol and IPC wiring. Everything
 * else lives in the host core (src/main/host), which runs without Electron.
 */
const APP_TITLE = 'Poste clinique CHU';
const production = isProduction(app.isPackaged, process.env);
const devServerUrl = !production ? process.env.ELECTRON_RENDERER_URL : undefined;

function refuseStart(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error('Démarrage impossible :', message);
  // Callable before "ready": the person who launched the app sees why it closes.
  dialog.showErrorBox('Démarrage impossible', message);
  app.exit(1);
}

/** The policy and the launch plan are settled before "ready": userData must point at the data dir by then. */
function settleLaunch(): LaunchPlan | null {
  try {
    // Production reads the admin-owned file only; development may point elsewhere to try a policy out.
    const policyFile = production ? defaultPolicyPath() : (process.env.WORKSTATION_POLICY_FILE ?? defaultPolicyPath());
    const policy = readPolicyFile(policyFile, { requireAdminOwned: production });
    return planLaunch({ packaged: app.isPackaged, argv: process.argv, env: process.env, policy, defaultDataDir: app.getPath('userData') });
  } catch (err) {
    refuseStart(err);
    return null;
  }
}

async function dmpConnection(plan: LaunchPlan): Promise<DmpConnection | undefined> {
  const { dmp } = plan;
  if (dmp.kind === 'endpoint') return { servicesUrl: dmp.servicesUrl, ...(dmp.label ? { label: dmp.label } : {}), ...(dmp.test ? { test: true } : {}) };
  // The embedded test DMP is a development convenience; production plans never ask for it.
  if (dmp.kind === 'embedded' && !plan.production) return (await import('./dmp/sandbox/embedded')).embeddedTestDmp();
  return undefined;
}

/** WORKSTATION_HOSPITAL_URL names the hospital's FHIR server; without it, development gets the embedded test server. */
async function hospitalConnection(plan: LaunchPlan, dataDir: string): Promise<{ connection?: HospitalConnection; close?: () => Promise<void> }> {
  const url = process.env.WORKSTATION_HOSPITAL_URL;
  if (url) return { connection: { baseUrl: url, label: 'Serveur hospitalier', test: false } };
  if (plan.production) return {};
  const embedded = await (await import('./hospital/test-server/embedded')).embeddedHospitalTestServer(dataDir);
  return { connection: embedded.connection, close: embedded.close };
}

let closeHospital: (() => Promise<void>) | undefined;

async function start(plan: LaunchPlan): Promise<Host> {
  const logger = createConsoleLogger('main');
  const dataDir = plan.dataDir;
  if (plan.production) await assertNoDemoData(dataDir);
  const secrets = createSafeStorageSecretStore(path.join(dataDir, 'pki'), (m) => logger.warn(m));
  // Demo users, TEST PKI and the embedded test DMP are injected here, never imported by the host core.
  if (plan.demo) await (await import('./auth/demo')).initDemo(dataDir, { secrets });
  const dmp = await dmpConnection(plan);
  const hospital = await hospitalConnection(plan, dataDir);
  closeHospital = hospital.close;
  const host = await createHost({
    ...(hospital.connection ? { hospital: hospital.connection } : {}),
    dataDir,
    secrets,
    demo: plan.demo,
    ...(dmp ? { dmp } : {}),
    ...(plan.lockAfterMs ? { lockAfterMs: plan.lockAfterMs } : {}),
    ...(plan.workstationName ? { workstationName: plan.workstationName } : {}),
    ...(plan.regulation ? { regulation: true } : {}),
    mode: 'electron',
    clock: systemClock,
    logger,
    version: app.getVersion(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ production: plan.production, appName: APP_TITLE })));
  handleAppProtocol(path.join(__dirname, '..', 'renderer'));
  registerBridge(ipcMain, host, devServerUrl);
  createMainWindow({ preloadPath: path.join(__dirname, '..', 'preload', 'index.js'), devServerUrl, title: APP_TITLE, production: plan.production });
  return host;
}

function wireLifecycle(plan: LaunchPlan): void {
  let host: Host | undefined;
  app.enableSandbox();
  registerAppScheme();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl));

  app
    .whenReady()
    .then(async () => {
      host = await start(plan);
    })
    .catch(refuseStart);

  app.on('second-instance', () => {
    // A second launch focuses the existing window instead of opening a parallel session.
    const win = BrowserWindow.getAllWindows()[0];
    if (win?.isMinimized()) win.restore();
    win?.focus();
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
      .then(() => closeHospital?.())
      .catch((err: unknown) => console.error('Fermeture incomplète :', err instanceof Error ? err.message : String(err)))
      .finally(() => app.quit());
  });
}

const plan = settleLaunch();
if (plan) {
  // Before the lock: Electron keeps the single-instance lock in userData, so it is per data dir.
  app.setPath('userData', plan.dataDir);
  // One instance per data dir: a second one would open the same journal in parallel.
  if (!app.requestSingleInstanceLock()) app.quit();
  else wireLifecycle(plan);
}

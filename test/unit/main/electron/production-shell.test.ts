import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../../../src/main/electron/menu';
import { assertNoDemoData, assertProductionArgs, planLaunch } from '../../../../src/main/electron/production';
import { defaultPolicyPath, parsePolicy, readPolicyFile } from '../../../../src/main/host/policy';
import { initDemo } from '../../../../src/main/auth/demo';

/**
 * The installed application's shell: what production refuses (review finding: `--data-dir=` and an
 * http:// DMP honoured, demo users and DevTools on), the French menu, the managed policy file, and
 * the Electron entry point itself run against a mocked `electron` (its binary cannot run here).
 */
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const POLICY = { format: 'chu-workstation/policy', version: 1 } as const;

describe('managed policy file', () => {
  it('lives at an admin-owned path of each OS', () => {
    expect(defaultPolicyPath('linux')).toBe('/etc/chu-workstation/policy.json');
    expect(defaultPolicyPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Poste clinique CHU\\policy.json');
    expect(defaultPolicyPath('darwin')).toBe('/Library/Application Support/Poste clinique CHU/policy.json');
  });

  it('accepts the hospital settings', () => {
    const p = parsePolicy(
      JSON.stringify({ ...POLICY, workstationName: 'Cardiologie – poste 3', dataDir: '/var/lib/poste', lockAfterMinutes: 3, dmp: { servicesUrl: 'https://dmp.example.fr/si-dmp-server/v2/services' } }),
      '/etc/chu-workstation/policy.json',
    );
    expect(p).toEqual({ ...POLICY, workstationName: 'Cardiologie – poste 3', dataDir: '/var/lib/poste', lockAfterMinutes: 3, dmp: { servicesUrl: 'https://dmp.example.fr/si-dmp-server/v2/services' } });
  });

  it('refuses an http:// DMP endpoint, in French, naming the file and the field', () => {
    expect(() => parsePolicy(JSON.stringify({ ...POLICY, dmp: { servicesUrl: 'http://dmp.example.fr/services' } }), '/etc/p.json')).toThrow(
      "La politique de l'établissement (/etc/p.json) est invalide : dmp.servicesUrl : seule une adresse https:// est acceptée (http:// est refusé en production).",
    );
  });

  it('refuses unknown fields, bad values and broken JSON, listing every problem', () => {
    expect(() => parsePolicy(JSON.stringify({ ...POLICY, lockAfterMinutes: 0, dataDir: 'relatif', demo: true }), '/etc/p.json')).toThrow(
      "La politique de l'établissement (/etc/p.json) est invalide : dataDir : un chemin absolu est attendu. ; lockAfterMinutes : 1 minute au moins. ; champ inconnu : demo.",
    );
    expect(() => parsePolicy('{"format":', '/etc/p.json')).toThrow("La politique de l'établissement (/etc/p.json) n'est pas un JSON valide");
    expect(() => parsePolicy(JSON.stringify({ format: 'autre', version: 1 }), '/etc/p.json')).toThrow('format : « chu-workstation/policy » est attendu.');
  });

  it('treats a missing file as no policy, and refuses one a user could have written', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-policy-'));
    expect(readPolicyFile(path.join(dir, 'absent.json'), { requireAdminOwned: true })).toBeNull();
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(POLICY));
    chmodSync(file, 0o666);
    if (process.getuid?.() !== 0) {
      expect(() => readPolicyFile(file, { requireAdminOwned: true })).toThrow(/doit appartenir à root et n'être modifiable par personne d'autre/);
    } else {
      // Running as root: ownership passes, the group/other write bit alone must still refuse it.
      expect(() => readPolicyFile(file, { requireAdminOwned: true })).toThrow(/droits 666/);
    }
    chmodSync(file, 0o644);
    expect(readPolicyFile(file)).toEqual(POLICY);
  });
});

describe('production launch plan', () => {
  const base = { argv: ['/opt/poste/poste-clinique-chu'], env: {}, policy: null, defaultDataDir: '/home/u/.config/Poste clinique CHU' };

  it('refuses --data-dir= and debugging switches in production, in French', () => {
    expect(() => planLaunch({ ...base, packaged: true, argv: [...base.argv, '--data-dir=/tmp/volé'] })).toThrow(
      "L'option --data-dir est refusée par l'application installée : le dossier de données est fixé par la politique de l'établissement.",
    );
    expect(() => assertProductionArgs(['--remote-debugging-port=9222'])).toThrow("L'option --remote-debugging-port est refusée par l'application installée : le débogage à distance est désactivé.");
    expect(() => assertProductionArgs(['--inspect-brk=0'])).toThrow(/--inspect-brk est refusée/);
    expect(() => assertProductionArgs(['--no-sandbox-like-but-harmless'])).not.toThrow();
  });

  it('WORKSTATION_PRODUCTION=1 makes an unpackaged build (npm start) behave as installed', () => {
    expect(() => planLaunch({ ...base, packaged: false, env: { WORKSTATION_PRODUCTION: '1' }, argv: ['x', '--data-dir=/tmp/d'] })).toThrow(/--data-dir est refusée/);
  });

  it('in production: no demo, no embedded test DMP, no DMP from the environment; settings from the policy', () => {
    const noPolicy = planLaunch({ ...base, packaged: true, env: { WORKSTATION_DMP_URL: 'http://127.0.0.1:9/services' } });
    expect(noPolicy).toEqual({ production: true, dataDir: base.defaultDataDir, demo: false, dmp: { kind: 'none' } });
    const policy = parsePolicy(JSON.stringify({ ...POLICY, dataDir: '/srv/poste', lockAfterMinutes: 2, regulation: true, dmp: { servicesUrl: 'https://dmp.example.fr/s' } }), 'p');
    expect(planLaunch({ ...base, packaged: true, policy })).toEqual({
      production: true,
      dataDir: '/srv/poste',
      demo: false,
      dmp: { kind: 'endpoint', servicesUrl: 'https://dmp.example.fr/s' },
      lockAfterMs: 120_000,
      regulation: true,
    });
  });

  it('in development: demo data dir and embedded test DMP unless told otherwise', () => {
    expect(planLaunch({ ...base, packaged: false })).toEqual({ production: false, dataDir: base.defaultDataDir, demo: true, dmp: { kind: 'embedded' } });
    expect(planLaunch({ ...base, packaged: false, argv: ['x', '--data-dir=/tmp/d'], env: { WORKSTATION_DMP_URL: 'http://127.0.0.1:9/s' } })).toEqual({
      production: false,
      dataDir: '/tmp/d',
      demo: false,
      dmp: { kind: 'endpoint', servicesUrl: 'http://127.0.0.1:9/s' },
    });
  });

  it('refuses a data dir holding the demo accounts and the demo PKI', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-prod-demo-'));
    await expect(assertNoDemoData(dir)).resolves.toBeUndefined();
    await initDemo(dir, { scrypt: { N: 1024, r: 8, p: 1, keyLength: 32 } });
    await expect(assertNoDemoData(dir)).rejects.toThrow(/contient les comptes de démonstration \(dont « dr\.martin »\) : l'application installée refuse de démarrer avec eux/);
    rmSync(path.join(dir, 'users.json'));
    await expect(assertNoDemoData(dir)).rejects.toThrow("contient la PKI de démonstration (cartes au code PIN public) : l'application installée refuse de démarrer avec elle.");
  }, 60_000);
});

describe('application menu', () => {
  const labels = (items: ReturnType<typeof menuTemplate>) => items.map((m) => m.label);
  const roles = (items: ReturnType<typeof menuTemplate>): string[] =>
    items.flatMap((m) => [...(m.role ? [m.role] : []), ...(Array.isArray(m.submenu) ? roles(m.submenu) : [])]);

  it('production: a minimal French menu without reload or developer tools', () => {
    const menu = menuTemplate({ production: true, appName: 'Poste clinique CHU', platform: 'linux' });
    expect(labels(menu)).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
    expect(roles(menu)).toEqual(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'about']);
    expect(roles(menu)).not.toContain('toggleDevTools');
    expect(roles(menu)).not.toContain('reload');
  });

  it('development adds reload and developer tools under « Développement »', () => {
    const menu = menuTemplate({ production: false, appName: 'Poste clinique CHU', platform: 'win32' });
    expect(labels(menu)).toEqual(['Fichier', 'Édition', 'Affichage', 'Développement', 'Aide']);
    expect(roles(menu)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });
});

/** src/main/index.ts itself, against a recording electron mock. */
const shell = vi.hoisted(() => ({
  calls: [] as string[],
  packaged: false,
  lock: true,
  errors: [] as [string, string][],
}));

vi.mock('electron', () => {
  const rec = (name: string) => (...args: unknown[]) => void shell.calls.push(`${name}(${args.map((a) => (typeof a === 'string' ? a : typeof a)).join(',')})`);
  return {
    app: {
      get isPackaged() {
        return shell.packaged;
      },
      getPath: () => '/home/u/.config/Poste clinique CHU',
      setPath: rec('setPath'),
      requestSingleInstanceLock: () => (shell.calls.push('requestSingleInstanceLock'), shell.lock),
      quit: rec('quit'),
      exit: rec('exit'),
      enableSandbox: rec('enableSandbox'),
      on: (event: string) => void shell.calls.push(`on(${event})`),
      whenReady: () => (shell.calls.push('whenReady'), new Promise(() => {})),
      getVersion: () => '0.1.0',
    },
    dialog: { showErrorBox: (title: string, message: string) => void shell.errors.push([title, message]) },
    protocol: { registerSchemesAsPrivileged: rec('registerSchemesAsPrivileged'), handle: rec('protocol.handle') },
    Menu: { setApplicationMenu: rec('setApplicationMenu'), buildFromTemplate: (t: unknown) => t },
    BrowserWindow: { getAllWindows: () => [] },
    ipcMain: { handle: rec('ipcMain.handle') },
    safeStorage: { isEncryptionAvailable: () => false },
    shell: {},
  };
});

describe('the Electron entry point (src/main/index.ts)', () => {
  const argv = process.argv;
  beforeEach(() => {
    vi.resetModules();
    shell.calls.length = 0;
    shell.errors.length = 0;
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    process.argv = argv;
    vi.restoreAllMocks();
  });

  it('a second instance quits before wiring anything (single-instance lock, per data dir)', async () => {
    shell.packaged = true;
    shell.lock = false;
    process.argv = ['/opt/poste/poste-clinique-chu'];
    await import('../../../../src/main/index');
    expect(shell.calls).toEqual(['setPath(userData,/home/u/.config/Poste clinique CHU)', 'requestSingleInstanceLock', 'quit()']);
  });

  it('the first instance takes the lock, then wires the sandboxed app', async () => {
    shell.packaged = true;
    shell.lock = true;
    process.argv = ['/opt/poste/poste-clinique-chu'];
    await import('../../../../src/main/index');
    expect(shell.calls.slice(0, 5)).toEqual(['setPath(userData,/home/u/.config/Poste clinique CHU)', 'requestSingleInstanceLock', 'enableSandbox()', 'registerSchemesAsPrivileged(object)', 'on(web-contents-created)']);
    expect(shell.calls).toContain('whenReady');
  });

  it('the installed app given --data-dir= shows why it refuses and exits without opening anything', async () => {
    shell.packaged = true;
    shell.lock = true;
    process.argv = ['/opt/poste/poste-clinique-chu', '--data-dir=/tmp/ailleurs'];
    await import('../../../../src/main/index');
    expect(shell.errors).toEqual([
      ['Démarrage impossible', "L'option --data-dir est refusée par l'application installée : le dossier de données est fixé par la politique de l'établissement."],
    ]);
    expect(shell.calls).toEqual(['exit(number)']);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The packaging configuration, asserted as data and run where it can be: Electron's binary cannot be
 * downloaded here, so the afterPack hook flips the fuses of a file carrying Electron's fuse wire.
 */
const root = path.resolve(__dirname, '..', '..', '..', '..');
const req = createRequire(__filename);
/** The fields asserted here (electron-builder's own types are a devDependency tsc must not need). */
interface BuilderConfig {
  win: { target: { target: string }[]; signtoolOptions: Record<string, unknown> };
  linux: { target: { target: string }[] };
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  asar: boolean;
  publish: unknown;
  files: string[];
  afterPack: string;
  forceCodeSigning: boolean;
}
const builderConfig = req(path.join(root, 'electron-builder.config.cjs')) as BuilderConfig;
const { PRODUCTION_FUSES, electronExecutable } = req(path.join(root, 'scripts/packaging/fuses.cjs')) as {
  PRODUCTION_FUSES: Record<string, boolean>;
  electronExecutable: (ctx: unknown) => string;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };

const resolvable = (id: string) => {
  try {
    req.resolve(id);
    return true;
  } catch {
    return false;
  }
};
const hasFuses = resolvable('@electron/fuses');
const hasBuilder = resolvable('app-builder-lib/out/util/config/config');

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('electron-builder configuration', () => {
  it('builds Windows NSIS and MSI installers, Linux AppImage and deb, per machine', () => {
    expect(builderConfig.win.target.map((t) => t.target)).toEqual(['nsis', 'msi']);
    expect(builderConfig.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(builderConfig.nsis).toMatchObject({ perMachine: true, oneClick: false, allowToChangeInstallationDirectory: false, installerLanguages: ['fr_FR'] });
    expect(builderConfig.msi).toMatchObject({ perMachine: true });
    expect(builderConfig.asar).toBe(true);
    expect(builderConfig.publish).toBeNull();
  });

  it('packs only the built output and flips the fuses after packing', () => {
    expect(builderConfig.files).toEqual(['out/**/*', 'package.json', '!out/**/*.map', '!**/*.{ts,tsx,md}']);
    expect(builderConfig.afterPack).toBe('./scripts/packaging/after-pack.cjs');
    expect(typeof req(path.join(root, builderConfig.afterPack))).toBe('function');
  });

  it('takes code signing from the environment only: no certificate, password or key in the repository', () => {
    const text = readFileSync(path.join(root, 'electron-builder.config.cjs'), 'utf8');
    expect(text).not.toMatch(/certificatePassword|certificateFile|cscKeyPassword|cscLink\s*:/);
    expect(builderConfig.forceCodeSigning).toBe(false);
    expect(builderConfig.win.signtoolOptions.sign).toBeUndefined();
    const withEnv = (env: Record<string, string>) => {
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        delete req.cache[req.resolve(path.join(root, 'electron-builder.config.cjs'))];
        return req(path.join(root, 'electron-builder.config.cjs')) as BuilderConfig;
      } finally {
        for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
        delete req.cache[req.resolve(path.join(root, 'electron-builder.config.cjs'))];
      }
    };
    const signed = withEnv({ WORKSTATION_SIGN_COMMAND: '/opt/hsm/sign', WORKSTATION_REQUIRE_SIGNING: '1', WORKSTATION_SIGN_PUBLISHER: 'CHU de Test' });
    expect(signed.forceCodeSigning).toBe(true);
    expect(signed.win.signtoolOptions).toMatchObject({ sign: './scripts/packaging/sign-windows.cjs', publisherName: ['CHU de Test'], signingHashAlgorithms: ['sha256'] });
  });

  it.skipIf(!hasBuilder)("passes electron-builder's own schema validation (and the schema catches a bad key)", async () => {
    const { validateConfiguration } = req('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
    const { DebugLogger } = req('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(builderConfig, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...builderConfig, nsis: { ...builderConfig.nsis, perMachin: true } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration/);
  }, 30_000);

  it('npm run dist packages with electron-builder; npm start runs the built app, dev:electron the dev mode', () => {
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.config.cjs --publish never');
    expect(pkg.scripts['dev:electron']).toBe('electron-vite dev');
    expect(pkg.scripts.start).toBe('node scripts/start.cjs');
    const start = readFileSync(path.join(root, 'scripts/start.cjs'), 'utf8');
    expect(start).not.toMatch(/'electron-vite', 'dev'/);
    expect(start).toContain("['electron-vite', 'build'");
    expect(start).toContain("WORKSTATION_PRODUCTION: '1'");
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['electron-builder', '@electron/fuses']));
  });
});

describe('Electron fuses', () => {
  it('turns off run-as-node, NODE_OPTIONS and --inspect; turns on cookie encryption, asar integrity, asar only', () => {
    expect(PRODUCTION_FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
      LoadBrowserProcessSpecificV8Snapshot: false,
      WasmTrapHandlers: true,
    });
  });

  it('finds the packaged executable of each platform', () => {
    const ctx = (platform: string) => ({ electronPlatformName: platform, packager: { appInfo: { productFilename: 'Poste clinique CHU' }, executableName: 'poste-clinique-chu' } });
    expect(electronExecutable(ctx('win32'))).toBe('Poste clinique CHU.exe');
    expect(electronExecutable(ctx('linux'))).toBe('poste-clinique-chu');
    expect(electronExecutable(ctx('darwin'))).toBe('Poste clinique CHU.app');
  });

  it.skipIf(!hasFuses)('the afterPack hook flips every fuse of the packaged binary and reads them back', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-fuses-'));
    const appOutDir = path.join(dir, 'linux-unpacked');
    mkdirSync(appOutDir);
    // Electron's fuse wire as stock binaries ship it: sentinel, version 1, 9 fuses, all at their defaults.
    const stock = Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('110111001'), Buffer.alloc(4096, 0x90)]);
    const binary = path.join(appOutDir, 'poste-clinique-chu');
    writeFileSync(binary, stock);
    const afterPack = req(path.join(root, 'scripts/packaging/after-pack.cjs')) as (ctx: unknown) => Promise<void>;
    await afterPack({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Poste clinique CHU' }, executableName: 'poste-clinique-chu' } });
    const fuses = req('@electron/fuses') as { getCurrentFuseWire: (p: string) => Promise<Record<string, number>>; FuseV1Options: Record<string, number>; FuseState: Record<string, number> };
    const wire = await fuses.getCurrentFuseWire(binary);
    const read = Object.fromEntries(Object.keys(PRODUCTION_FUSES).map((name) => [name, wire[fuses.FuseV1Options[name]!] === fuses.FuseState.ENABLE]));
    expect(read).toEqual(PRODUCTION_FUSES);
    expect(readFileSync(binary).length).toBe(stock.length);
  });

  it.skipIf(!hasFuses)('fails the packaging when the binary has no fuse wire', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-fuses-'));
    writeFileSync(path.join(dir, 'Poste clinique CHU.exe'), Buffer.alloc(1024));
    const afterPack = req(path.join(root, 'scripts/packaging/after-pack.cjs')) as (ctx: unknown) => Promise<void>;
    await expect(afterPack({ appOutDir: dir, electronPlatformName: 'win32', arch: 1, packager: { appInfo: { productFilename: 'Poste clinique CHU' }, executableName: 'x' } })).rejects.toThrow(/sentinel/);
  });
});

import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { electronBinaryPath } = require('../../scripts/electron-binary.cjs') as { electronBinaryPath(): string | null };
const binary = electronBinaryPath();

test('the Electron app opens its window and answers through the preload bridge', async () => {
  const reason = 'Electron binary absent on this machine (it is downloaded from the internet on first use): Electron smoke test skipped.';
  if (!binary) console.log(`[electron-smoke] ${reason}`);
  test.skip(!binary, reason);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ws-electron-'));
  try {
    const app = await electron.launch({ executablePath: binary!, args: [path.resolve(__dirname, '..', '..'), `--data-dir=${dataDir}`] });
    const window = await app.firstWindow();
    await expect(window.getByTestId('workstation-name')).not.toHaveText('Connexion au poste…');
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { api?: unknown }).api)).toBe('object');
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

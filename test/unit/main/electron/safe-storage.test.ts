import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const os = vi.hoisted(() => ({ available: true }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => os.available,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    // A reversible stand-in for the OS keychain: what matters is that the file never holds the clear text.
    encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().replace('sealed:', ''), 'hex').toString(),
  },
}));

const { createSafeStorageSecretStore } = await import('../../../../src/main/electron/safe-storage');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-secrets-'));
  os.available = true;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage secret store (Electron)', () => {
  it('keeps passphrases sealed, never in clear on disk', async () => {
    const store = createSafeStorageSecretStore(dir, () => {});
    await store.set('workstation', 'phrase-secrete-du-poste');
    expect(await store.get('workstation')).toBe('phrase-secrete-du-poste');
    expect(existsSync(path.join(dir, 'workstation.pass'))).toBe(false);
    expect(readFileSync(path.join(dir, 'workstation.sealed'), 'utf8')).not.toContain('phrase-secrete');
  });

  it('seals a plain 0600 file left by an earlier start, then removes it', async () => {
    writeFileSync(path.join(dir, 'establishment.pass'), 'ancienne-phrase\n', { mode: 0o600 });
    const store = createSafeStorageSecretStore(dir, () => {});
    expect(await store.get('establishment')).toBe('ancienne-phrase');
    expect(existsSync(path.join(dir, 'establishment.pass'))).toBe(false);
    expect(await store.get('establishment')).toBe('ancienne-phrase');
  });

  it('falls back to 0600 files, and says so, where the OS has no keychain', async () => {
    os.available = false;
    const warnings: string[] = [];
    const store = createSafeStorageSecretStore(dir, (m) => warnings.push(m));
    await store.set('workstation', 'phrase');
    expect(await store.get('workstation')).toBe('phrase');
    expect(warnings).toHaveLength(1);
    expect(existsSync(path.join(dir, 'workstation.pass'))).toBe(true);
  });

  it('refuses a malformed secret name like the file store', async () => {
    const store = createSafeStorageSecretStore(dir, () => {});
    await expect(store.set('../evil', 'x')).rejects.toThrow(/Nom de secret invalide/);
  });
});

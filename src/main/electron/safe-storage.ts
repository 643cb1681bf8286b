import { safeStorage } from 'electron';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { createFileSecretStore, type SecretStore } from '../auth/secret-store';
import { writeFileAtomicSync } from '../fs/atomic-write';

/**
 * Passphrases of the workstation's software keys (journal signing key,
 * establishment certificate) sealed by the operating system's keychain through
 * Electron safeStorage: `<dir>/<name>.sealed`. A plain 0600 file left by an
 * earlier start (or by the browser host) is sealed and removed on first read.
 * Where the OS offers no keychain, the 0600 files stay the store, as in the
 * browser host, and the logger says so once.
 */
export function createSafeStorageSecretStore(dir: string, warn: (message: string) => void): SecretStore {
  const plain = createFileSecretStore(dir);
  const sealedPath = (name: string) => path.join(dir, `${name}.sealed`);
  let warned = false;
  const available = () => {
    const ok = safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
    if (!ok && !warned) {
      warned = true;
      warn('safeStorage indisponible sur ce système : les phrases secrètes restent dans des fichiers 0600.');
    }
    return ok;
  };
  const seal = async (name: string, value: string) => {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(sealedPath(name), safeStorage.encryptString(value).toString('base64') + '\n', { mode: 0o600 });
  };
  return {
    async get(name) {
      try {
        const sealed = await fsp.readFile(sealedPath(name), 'utf8');
        return safeStorage.decryptString(Buffer.from(sealed.trim(), 'base64'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const value = await plain.get(name);
      if (value !== null && available()) {
        await seal(name, value);
        await fsp.rm(path.join(dir, `${name}.pass`), { force: true });
      }
      return value;
    },
    async set(name, value) {
      if (!available()) return plain.set(name, value);
      await plain.set(name, value); // validates the name and value like every store
      await seal(name, value);
      await fsp.rm(path.join(dir, `${name}.pass`), { force: true });
    },
  };
}

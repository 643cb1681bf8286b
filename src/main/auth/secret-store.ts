import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import { AuthError } from './errors';

/**
 * Where passphrases of software-held keys live (workstation journal key,
 * establishment certificate). The file store below is the portable default;
 * the Electron shell may supply one backed by safeStorage.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
}

const SECRET_NAME = /^[a-z][a-z0-9-]{0,63}$/;

function checkName(name: string): void {
  if (!SECRET_NAME.test(name)) throw new AuthError('invalid_input', `Nom de secret invalide « ${name} ».`);
}

/** One owner-only (0600) file per secret: `<dir>/<name>.pass`. */
export function createFileSecretStore(dir: string): SecretStore {
  return {
    async get(name) {
      checkName(name);
      try {
        return (await fsp.readFile(path.join(dir, `${name}.pass`), 'utf8')).replace(/\n$/, '');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async set(name, value) {
      checkName(name);
      if (typeof value !== 'string' || value.length === 0 || value.includes('\n')) {
        throw new AuthError('invalid_input', 'Un secret doit être une chaîne non vide sur une seule ligne.');
      }
      await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path.join(dir, `${name}.pass`), value + '\n', { mode: 0o600 });
    },
  };
}

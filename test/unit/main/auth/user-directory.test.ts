import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, GENERIC_LOGIN_FAILURE } from '../../../../src/main/auth/errors';
import { DEFAULT_SCRYPT, hashPassword, passwordPolicyProblem, verifyPasswordHash } from '../../../../src/main/auth/password';
import { firstRunNeeded, openUserDirectory, usersFilePath } from '../../../../src/main/auth/user-directory';
import type { AtomicWriteFs } from '../../../../src/main/fs/atomic-write';

// Cheap scrypt for the bulk of the tests; one test checks the production parameters.
const FAST = { N: 2 ** 12, r: 8, p: 1, keyLength: 32 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'users-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function testClock() {
  let t = Date.parse('2026-11-23T08:00:00Z');
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const martin = {
  id: 'dr.martin',
  displayName: 'Dr Claire Martin',
  role: 'medecin' as const,
  units: ['Cardiologie'],
  rpps: '10005173140',
  password: 'Coeur-de-pierre-42',
};

async function expectAuthError(p: Promise<unknown>, code: string, message?: RegExp): Promise<AuthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
  if (message) expect((err as AuthError).message).toMatch(message);
  return err as AuthError;
}

describe('user directory', () => {
  it('starts empty without writing anything, then round-trips users through the file', async () => {
    expect(await firstRunNeeded(dir)).toBe(true);
    const users = await openUserDirectory(dir, { scrypt: FAST });
    expect(users.isEmpty()).toBe(true);
    expect(readdirSync(dir)).toEqual([]);

    const added = await users.add(martin);
    expect(added).toMatchObject({ id: 'dr.martin', role: 'medecin', units: ['Cardiologie'], rpps: '10005173140', disabled: false });
    expect(added).not.toHaveProperty('password');
    await users.add({ id: 'sec.bernard', displayName: 'Sophie Bernard', role: 'secretaire_medicale', units: ['Cardiologie'], password: 'Agenda-du-service-7' });

    expect(await firstRunNeeded(dir)).toBe(false);
    expect(statSync(usersFilePath(dir)).mode & 0o777).toBe(0o600);

    const reopened = await openUserDirectory(dir, { scrypt: FAST });
    expect(reopened.list().map((u) => [u.id, u.role])).toEqual([
      ['dr.martin', 'medecin'],
      ['sec.bernard', 'secretaire_medicale'],
    ]);
    expect(reopened.get('DR.MARTIN ')?.displayName).toBe('Dr Claire Martin');
    expect(await reopened.verifyPassword('dr.martin', martin.password)).toMatchObject({ id: 'dr.martin' });
    expect(await reopened.verifyPassword('dr.martin', 'Coeur-de-pierre-43')).toBeNull();
  });

  it('stores a salted scrypt hash, never the password, with the production parameters by default', async () => {
    const users = await openUserDirectory(dir);
    await users.add(martin);
    await users.add({ ...martin, id: 'dr.martin2', rpps: '10003456789', displayName: 'Dr Claire Martin bis' });
    const raw = readFileSync(usersFilePath(dir), 'utf8');
    expect(raw).not.toContain(martin.password);
    const file = JSON.parse(raw) as { users: { password: { algorithm: string; N: number; salt: string; hash: string } }[] };
    const [a, b] = file.users.map((u) => u.password);
    expect(a).toMatchObject({ algorithm: 'scrypt', N: DEFAULT_SCRYPT.N, r: 8, p: 1 });
    expect(a!.salt).not.toBe(b!.salt);
    expect(a!.hash).not.toBe(b!.hash);
    expect(Buffer.from(a!.hash, 'base64').toString('utf8')).not.toBe(martin.password);
  });

  it('verifies a hash with the parameters stored beside it', async () => {
    const h = await hashPassword('Une-phrase-assez-longue', FAST);
    expect(await verifyPasswordHash('Une-phrase-assez-longue', h)).toBe(true);
    expect(await verifyPasswordHash('Une-phrase-assez-longuE', h)).toBe(false);
    expect(await verifyPasswordHash('Une-phrase-assez-longue', { ...h, N: 2 ** 13 })).toBe(false);
  });

  it('refuses bad new users with French messages and writes nothing', async () => {
    const users = await openUserDirectory(dir, { scrypt: FAST });
    await expectAuthError(users.add({ ...martin, password: 'court' }), 'weak_password', /au moins 12 caractères/);
    await expectAuthError(users.add({ ...martin, password: 'dr.martin-Coeur-42' }), 'weak_password', /identifiant/);
    await expectAuthError(users.add({ ...martin, id: 'Dr Martin' }), 'invalid_input', /Identifiant invalide/);
    await expectAuthError(users.add({ ...martin, role: 'chirurgien' as never }), 'invalid_input', /Rôle inconnu/);
    await expectAuthError(users.add({ ...martin, rpps: undefined }), 'invalid_input', /RPPS est obligatoire/);
    await expectAuthError(users.add({ ...martin, rpps: '1234' }), 'invalid_input', /11 chiffres/);
    await expectAuthError(users.add({ ...martin, units: [] }), 'invalid_input', /au moins une unité/);
    await expectAuthError(
      users.add({ id: 'sec.x', displayName: 'X', role: 'secretaire_medicale', units: ['Cardiologie'], rpps: '10005173140', password: 'Agenda-du-service-7' }),
      'invalid_input',
      /n'a pas de numéro RPPS/,
    );
    await expectAuthError(
      users.add({ id: 'dpo.x', displayName: 'X', role: 'dpo', units: ['Cardiologie'], password: 'Registre-des-acces-1' }),
      'invalid_input',
      /aucune unité/,
    );
    // Wrong-type payload as it could arrive over the bridge.
    await expectAuthError(users.add({ ...martin, units: 'Cardiologie' as never }), 'invalid_input', /liste/);
    await expectAuthError(users.add(null as never), 'invalid_input');
    expect(readdirSync(dir)).toEqual([]);

    await users.add(martin);
    await expectAuthError(users.add(martin), 'user_exists', /déjà utilisé/);
    await expectAuthError(users.add({ ...martin, id: 'dr.autre' }), 'user_exists', /RPPS/);
    expect(users.list()).toHaveLength(1);
  });

  it('keeps the previous file intact when a write fails midway, and leaves no temp file', async () => {
    const users = await openUserDirectory(dir, { scrypt: FAST });
    await users.add(martin);
    const before = readFileSync(usersFilePath(dir), 'utf8');

    // A disk that fails after half the data: the crash happens inside the temp file.
    const failingFs: AtomicWriteFs = {
      rename: fsp.rename,
      unlink: fsp.unlink,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const handle = await fsp.open(...args);
        return Object.assign(Object.create(handle) as typeof handle, {
          writeFile: async (data: string | Uint8Array) => {
            const buf = Buffer.from(data);
            await handle.write(buf.subarray(0, buf.length >> 1));
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      }) as typeof fsp.open,
    };
    const crashing = await openUserDirectory(dir, { scrypt: FAST, fs: failingFs });
    await expect(crashing.disable('dr.martin')).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(usersFilePath(dir), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['users.json']);
    // Memory is only committed after a durable write.
    expect(crashing.get('dr.martin')?.disabled).toBe(false);

    // A process killed between write and rename leaves a stray temp file: the real file still wins.
    writeFileSync(path.join(dir, '.users.json.999.abc.tmp'), '{"format":"chu-workst');
    const again = await openUserDirectory(dir, { scrypt: FAST });
    expect(again.get('dr.martin')?.disabled).toBe(false);
  });

  it('refuses a corrupt or wrong-type file with a French error and never overwrites it', async () => {
    const file = usersFilePath(dir);
    writeFileSync(file, '{"format":"chu-workstation/users","version":1,"users":[');
    await expectAuthError(openUserDirectory(dir), 'directory_unreadable', /endommagé.*n'a pas été modifié/);
    await expectAuthError(firstRunNeeded(dir), 'directory_unreadable');

    const wrongTypes = [
      { format: 'chu-workstation/users', version: 1, users: {} },
      { format: 'chu-workstation/users', version: 2, users: [] },
      { format: 'autre-chose', version: 1, users: [] },
      [1, 2, 3],
      {
        format: 'chu-workstation/users',
        version: 1,
        users: [{ id: 'dr.x', displayName: 'X', role: 'chef', units: [], password: {}, disabled: 'non', createdAt: 'hier', updatedAt: 'hier' }],
      },
    ];
    for (const payload of wrongTypes) {
      const text = JSON.stringify(payload);
      writeFileSync(file, text);
      await expectAuthError(openUserDirectory(dir), 'directory_invalid', /contenu invalide/);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('refuses a mutation when the file was damaged by someone else meanwhile', async () => {
    const users = await openUserDirectory(dir, { scrypt: FAST });
    await users.add(martin);
    writeFileSync(usersFilePath(dir), 'garbage');
    await expectAuthError(users.disable('dr.martin'), 'directory_unreadable');
    expect(readFileSync(usersFilePath(dir), 'utf8')).toBe('garbage');
  });

  it('locks an account for 5 minutes after 5 failures, with the same answer for an unknown id', async () => {
    const clock = testClock();
    const users = await openUserDirectory(dir, { scrypt: FAST, now: clock.now });
    await users.add(martin);

    for (let i = 0; i < 4; i++) {
      expect(await users.authenticate('dr.martin', 'mauvais-mot-de-passe')).toEqual({
        ok: false,
        code: 'invalid_credentials',
        message: GENERIC_LOGIN_FAILURE,
      });
    }
    const fifth = await users.authenticate('dr.martin', 'mauvais-mot-de-passe');
    expect(fifth).toMatchObject({ ok: false, code: 'account_locked', retryAfterMs: 300_000 });
    expect(fifth.ok === false && fifth.message).toMatch(/verrouillé pendant 5 minutes/);

    // The right password is refused while locked.
    clock.advance(4 * 60_000 + 59_000);
    expect(await users.authenticate('dr.martin', martin.password)).toMatchObject({ ok: false, code: 'account_locked' });
    clock.advance(1_000);
    expect(await users.authenticate('dr.martin', martin.password)).toMatchObject({ ok: true, user: { id: 'dr.martin' } });

    // An unknown id gets exactly the same answers, lock included: nothing tells it apart.
    for (let i = 0; i < 4; i++) {
      expect(await users.authenticate('dr.inconnu', 'mauvais-mot-de-passe')).toEqual({
        ok: false,
        code: 'invalid_credentials',
        message: GENERIC_LOGIN_FAILURE,
      });
    }
    expect(await users.authenticate('dr.inconnu', 'x')).toMatchObject({ ok: false, code: 'account_locked' });
    // Wrong-type input is just a failed login.
    expect(await users.authenticate(42 as never, undefined as never)).toMatchObject({ ok: false, code: 'invalid_credentials' });
  });

  it('a success resets the failure count', async () => {
    const clock = testClock();
    const users = await openUserDirectory(dir, { scrypt: FAST, now: clock.now });
    await users.add(martin);
    for (let i = 0; i < 4; i++) await users.authenticate('dr.martin', 'faux');
    expect((await users.authenticate('dr.martin', martin.password)).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect((await users.authenticate('dr.martin', 'faux')).ok).toBe(false);
    expect((await users.authenticate('dr.martin', martin.password)).ok).toBe(true);
  });

  it('disables, re-enables and resets passwords; a disabled user cannot log in', async () => {
    const users = await openUserDirectory(dir, { scrypt: FAST });
    await users.add(martin);
    await users.add({ id: 'admin', displayName: 'Administrateur', role: 'admin', password: 'Cle-du-poste-2026' });
    expect((await users.disable('dr.martin')).disabled).toBe(true);
    expect(await users.authenticate('dr.martin', martin.password)).toMatchObject({ ok: false, code: 'user_disabled' });
    expect(await users.authenticate('dr.martin', 'faux-mot-de-passe')).toMatchObject({ ok: false, code: 'invalid_credentials' });
    await users.enable('dr.martin');
    await users.resetPassword('dr.martin', 'Nouveau-secret-2026');
    expect(await users.verifyPassword('dr.martin', martin.password)).toBeNull();
    expect(await users.verifyPassword('dr.martin', 'Nouveau-secret-2026')).not.toBeNull();
    await expectAuthError(users.resetPassword('dr.martin', 'court'), 'weak_password');
    await expectAuthError(users.resetPassword('personne', 'Nouveau-secret-2026'), 'user_unknown', /inconnu/);
    await expectAuthError(users.disable('admin'), 'invalid_input', /dernier administrateur/);
    expect((await openUserDirectory(dir, { scrypt: FAST })).get('dr.martin')?.disabled).toBe(false);
  });

  it('sees changes made by another process before mutating', async () => {
    const a = await openUserDirectory(dir, { scrypt: FAST });
    const b = await openUserDirectory(dir, { scrypt: FAST });
    await a.add(martin);
    await b.add({ id: 'inf.robert', displayName: 'Paul Robert', role: 'infirmier', units: ['Cardiologie'], password: 'Tour-de-garde-2026' });
    expect(b.list().map((u) => u.id)).toEqual(['dr.martin', 'inf.robert']);
    await a.reload();
    expect(a.list()).toHaveLength(2);
  });

  it('enrols a certificate reference', async () => {
    const users = await openUserDirectory(dir, { scrypt: FAST });
    await users.add(martin);
    const fp = 'a'.repeat(64);
    expect((await users.setCertificate('dr.martin', { fingerprint: fp, subject: 'CN=Dr Claire Martin' })).certificate?.fingerprint).toBe(fp);
    await expectAuthError(users.setCertificate('dr.martin', { fingerprint: 'xyz', subject: 'CN=x' }), 'invalid_input');
    expect((await users.setCertificate('dr.martin', null)).certificate).toBeUndefined();
  });
});

describe('password policy', () => {
  it('explains what is wrong in French', () => {
    expect(passwordPolicyProblem('abc')).toMatch(/au moins 12 caractères \(il en contient 3\)/);
    expect(passwordPolicyProblem('aaaaaaaaaaaaaaaa')).toMatch(/répété/);
    expect(passwordPolicyProblem('Bonjour-le-monde-1')).toBeNull();
  });
});

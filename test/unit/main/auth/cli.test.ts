import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUsersCli } from '../../../../src/main/auth/cli-run';
import { openUserDirectory, usersFilePath } from '../../../../src/main/auth/user-directory';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'users-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runUsersCli(args, {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin !== undefined ? [options.stdin] : []),
    env: options.env ?? {},
  });
  return { code, out, err };
}

describe('users CLI', () => {
  it('adds (password from stdin or env), lists one user per line with its role id, disables', async () => {
    let r = await run(['add', '--id', 'dr.martin', '--name', 'Dr Claire Martin', '--role', 'medecin', '--units', 'Cardiologie, Urgences', '--rpps', '10005173140', '--data-dir', dir], {
      stdin: 'Coeur-de-pierre-42\n',
    });
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/Utilisateur ajouté : dr.martin \(Médecin\)/);
    r = await run(['add', '--id', 'sec.bernard', '--name', 'Sophie Bernard', '--role', 'secretaire_medicale', '--units', 'Cardiologie', '--data-dir', dir], {
      env: { USER_PASSWORD: 'Agenda-du-service-7' },
    });
    expect(r.code).toBe(0);

    r = await run(['list', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual([
      'dr.martin\tmedecin\tDr Claire Martin\tCardiologie,Urgences\tactif',
      'sec.bernard\tsecretaire_medicale\tSophie Bernard\tCardiologie\tactif',
    ]);

    r = await run(['disable', '--id', 'sec.bernard', '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0 });
    expect((await run(['list', '--data-dir', dir])).out).toContain('sec.bernard\tsecretaire_medicale\tSophie Bernard\tCardiologie\tdésactivé');

    const users = await openUserDirectory(dir);
    expect(await users.verifyPassword('dr.martin', 'Coeur-de-pierre-42')).not.toBeNull();
    expect(readFileSync(usersFilePath(dir), 'utf8')).not.toContain('Coeur-de-pierre-42');
  });

  it('resets a password', async () => {
    await run(['add', '--id', 'admin', '--name', 'Admin', '--role', 'admin', '--data-dir', dir], { env: { USER_PASSWORD: 'Cle-du-poste-2026' } });
    const r = await run(['reset-password', '--id', 'admin', '--data-dir', dir], { stdin: 'Nouvelle-cle-2027\n' });
    expect(r.code).toBe(0);
    const users = await openUserDirectory(dir);
    expect(await users.verifyPassword('admin', 'Nouvelle-cle-2027')).not.toBeNull();
    expect((await run(['reset-password', '--id', 'personne', '--data-dir', dir], { stdin: 'Nouvelle-cle-2027\n' })).code).toBe(1);
  });

  it('exits 2 on wrong usage and never takes a password from argv', async () => {
    let r = await run(['add', '--id', 'x', '--password', 'Secret-en-clair-1', '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ne se passe pas sur la ligne de commande/);
    expect(r.err).not.toContain('Secret-en-clair-1');
    expect((await run(['list'])).err).toMatch(/--data-dir obligatoire/);
    expect((await run(['list'])).code).toBe(2);
    expect((await run(['frobnicate', '--data-dir', dir])).err).toMatch(/Commande inconnue/);
    expect((await run(['list', '--data-dir', dir, '--bogus'])).code).toBe(2);
    r = await run(['add', '--id', 'x.y', '--name', 'X', '--role', 'chirurgien', '--data-dir', dir], { stdin: 'Coeur-de-pierre-42\n' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Rôle inconnu « chirurgien »/);
    r = await run(['add', '--id', 'x.y', '--name', 'X', '--role', 'dpo', '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Secret absent : définissez USER_PASSWORD/);
  });

  it('exits 1 with the French reason when the directory refuses', async () => {
    const r = await run(['add', '--id', 'dr.x', '--name', 'Dr X', '--role', 'medecin', '--units', 'Cardiologie', '--data-dir', dir], { stdin: 'Coeur-de-pierre-42\n' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/RPPS est obligatoire/);
    expect((await run(['disable', '--id', 'inconnu', '--data-dir', dir])).code).toBe(1);
  });

  it('runs as `npm run users` (tsx entry point)', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [require.resolve('tsx/cli'), path.resolve(__dirname, '../../../../src/main/auth/cli.ts'), 'add', '--id', 'admin', '--name', 'Admin', '--role', 'admin', '--data-dir', dir],
        { env: { ...process.env, USER_PASSWORD: 'Cle-du-poste-2026' } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Utilisateur ajouté : admin/);
  });
});

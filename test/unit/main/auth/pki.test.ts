import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, initDemo } from '../../../../src/main/auth/demo';
import { AuthError } from '../../../../src/main/auth/errors';
import { openPkcs12InWorker } from '../../../../src/main/auth/cert-login';
import { stopForgeWorker } from '../../../../src/main/auth/pki/forge-client';
import { TEST_FINESS } from '../../../../src/main/auth/pki/material';
import { initPki, loadPki, pkiDir } from '../../../../src/main/auth/pki/pki';
import { ROLES, ROLE_LABELS } from '../../../../src/main/auth/roles';
import { luhnValid } from '../../../../src/main/auth/rpps';
import { createFileSecretStore } from '../../../../src/main/auth/secret-store';
import { firstRunNeeded, openUserDirectory, usersFilePath } from '../../../../src/main/auth/user-directory';

const FAST = { N: 2 ** 12, r: 8, p: 1, keyLength: 32 };
const NOW = new Date('2026-11-23T08:00:00Z');

let root: string;
let dataDir: string;

// The demo (PKI included) is generated once for the whole file: key generation is the slow part.
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pki-'));
  dataDir = path.join(root, 'data');
  const result = await initDemo(dataDir, { now: () => NOW, scrypt: FAST });
  expect(result.created).toBe(true);
});
afterAll(async () => {
  await stopForgeWorker();
  rmSync(root, { recursive: true, force: true });
});

function mode(p: string): number {
  return statSync(p).mode & 0o777;
}

async function authError(p: Promise<unknown>): Promise<AuthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

describe('demo data directory', () => {
  it('has one user per role, all enrolled with their certificate', async () => {
    const users = await openUserDirectory(dataDir);
    expect(users.list().map((u) => u.role).sort()).toEqual([...ROLES].sort());
    const units = new Set(users.list().flatMap((u) => u.units));
    expect([...units].sort()).toEqual(['Cardiologie', 'Chirurgie digestive', 'Urgences']);
    expect(await users.verifyPassword('dr.martin', DEMO_ACCOUNTS[0]!.password)).toMatchObject({ id: 'dr.martin', role: 'medecin' });
    const pki = await loadPki(dataDir);
    for (const u of users.list()) {
      const issued = pki.users.find((c) => c.id === u.id)!;
      expect(u.certificate?.fingerprint).toBe(issued.fingerprint);
      const opened = await openPkcs12InWorker(readFileSync(issued.p12Path), DEMO_ACCOUNTS.find((a) => a.id === u.id)!.pin);
      const cert = new X509Certificate(opened.certPem);
      expect(cert.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(issued.fingerprint);
      expect(cert.subject).toContain(`UID=${u.id}`);
      expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
      if (u.rpps) {
        expect(cert.subject).toContain(`serialNumber=${u.rpps}`);
        expect(luhnValid(u.rpps)).toBe(true);
      }
    }
    expect(await firstRunNeeded(dataDir)).toBe(false);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const before = readFileSync(usersFilePath(dataDir), 'utf8');
    const caBefore = readFileSync(path.join(pkiDir(dataDir), 'ca.cert.pem'), 'utf8');
    const again = await initDemo(dataDir, { scrypt: FAST });
    expect(again.created).toBe(false);
    expect(readFileSync(usersFilePath(dataDir), 'utf8')).toBe(before);
    expect(readFileSync(path.join(pkiDir(dataDir), 'ca.cert.pem'), 'utf8')).toBe(caBefore);
  });

  it('refuses to run over a PKI left without a user directory', async () => {
    const other = path.join(root, 'half');
    mkdirSync(path.join(other, 'pki'), { recursive: true });
    const err = await authError(initDemo(other, { scrypt: FAST }));
    expect(err.message).toMatch(/refuse de l'écraser/);
    expect(readdirSync(other)).toEqual(['pki']);
  });
});

describe('test PKI', () => {
  it('has a TEST root CA and an establishment certificate chained to it', async () => {
    const pki = await loadPki(dataDir);
    const ca = new X509Certificate(pki.caCertPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('CN=CHU TEST - AC racine de test');
    expect(ca.verify(ca.publicKey)).toBe(true);

    const est = new X509Certificate(pki.establishment.certPem);
    expect(est.subject).toContain('CN=CHU TEST - Établissement');
    expect(est.subject).toContain(`serialNumber=${TEST_FINESS}`);
    expect(pki.establishment.finess).toBe(TEST_FINESS);
    expect(est.checkIssued(ca) && est.verify(ca.publicKey)).toBe(true);
    expect(est.checkPrivateKey(createPrivateKey(pki.establishment.keyPem))).toBe(true);
    expect(mode(path.join(pki.dir, 'establishment.key.pem'))).toBe(0o600);
    expect(mode(path.join(pki.dir, 'ca.key.pem'))).toBe(0o600);

    // The establishment PKCS#12 loads into Node's TLS stack (DMP mutual TLS).
    const pass = await pki.readPassphrase(pki.establishment.passphraseSecret);
    expect(() => createSecureContext({ pfx: readFileSync(pki.establishment.p12Path), passphrase: pass })).not.toThrow();
    expect(() => createSecureContext({ pfx: readFileSync(pki.establishment.p12Path), passphrase: 'faux' })).toThrow();
  });

  it('has a workstation signing key in a PKCS#12 whose passphrase sits in a 0600 file', async () => {
    const pki = await loadPki(dataDir);
    const passFile = path.join(pki.dir, 'workstation.pass');
    expect(mode(passFile)).toBe(0o600);
    expect(mode(pki.workstation.p12Path)).toBe(0o600);
    const pass = await pki.readPassphrase('workstation');
    expect(readFileSync(passFile, 'utf8').trim()).toBe(pass);
    const opened = await openPkcs12InWorker(readFileSync(pki.workstation.p12Path), pass);
    const cert = new X509Certificate(pki.workstation.certPem);
    expect(opened.certPem.replace(/\r\n/g, '\n')).toBe(pki.workstation.certPem.replace(/\r\n/g, '\n'));
    expect(cert.checkPrivateKey(createPrivateKey(opened.keyPem))).toBe(true);
    expect(cert.verify(new X509Certificate(pki.caCertPem).publicKey)).toBe(true);
    expect(createPublicKey(opened.keyPem).export({ format: 'pem', type: 'spki' })).toBe(cert.publicKey.export({ format: 'pem', type: 'spki' }));
    const wrong = await authError(openPkcs12InWorker(readFileSync(pki.workstation.p12Path), 'faux'));
    expect(wrong.code).toBe('cert_bad_pin');
  });

  it('never regenerates an existing PKI', async () => {
    const err = await authError(initPki(dataDir, []));
    expect(err.code).toBe('pki_invalid');
    expect(err.message).toMatch(/jamais régénérée/);
  });

  it('reports a missing or damaged PKI in French', async () => {
    const empty = path.join(root, 'empty');
    expect((await authError(loadPki(empty))).code).toBe('pki_missing');
    const damaged = path.join(root, 'damaged');
    mkdirSync(path.join(damaged, 'pki'), { recursive: true });
    writeFileSync(path.join(damaged, 'pki', 'pki.json'), '{"format":');
    const err = await authError(loadPki(damaged));
    expect(err.code).toBe('pki_invalid');
    expect(err.message).toMatch(/endommagé/);
  });
});

describe('file secret store', () => {
  it('keeps each secret in an owner-only file and refuses odd names', async () => {
    const dir = path.join(root, 'secrets');
    const store = createFileSecretStore(dir);
    expect(await store.get('absent')).toBeNull();
    await store.set('journal', 'valeur-secrete');
    expect(await store.get('journal')).toBe('valeur-secrete');
    expect(mode(path.join(dir, 'journal.pass'))).toBe(0o600);
    await expect(store.set('../evasion', 'x')).rejects.toThrow(/Nom de secret invalide/);
    await expect(store.set('vide', '')).rejects.toThrow(/non vide/);
  });
});

describe('roles', () => {
  it('labels every role in French', () => {
    for (const r of ROLES) expect(ROLE_LABELS[r]).toMatch(/\S/);
    expect(ROLE_LABELS.secretaire_medicale).toBe('Secrétaire médicale');
  });
});

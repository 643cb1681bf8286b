import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginWithCertificate } from '../../../../src/main/auth/cert-login';
import { runUsersCli } from '../../../../src/main/auth/cli-run';
import { enrollUserCertificate } from '../../../../src/main/auth/pki/enroll';
import { AuthError } from '../../../../src/main/auth/errors';
import { stopForgeWorker } from '../../../../src/main/auth/pki/forge-client';
import { generateRsaKeyPair, issueCertificate, packPkcs12 } from '../../../../src/main/auth/pki/forge-ops';
import { TEST_CA_NAME, TEST_ORGANIZATION } from '../../../../src/main/auth/pki/material';
import { initPki, issuePersonalCertificate, loadPki, type LoadedPki } from '../../../../src/main/auth/pki/pki';
import { openUserDirectory, type UserDirectory } from '../../../../src/main/auth/user-directory';

const FAST = { N: 2 ** 12, r: 8, p: 1, keyLength: 32 };
const NOW = new Date('2026-11-23T08:00:00Z');
const YEAR = 365 * 24 * 3600 * 1000;

let dataDir: string;
let pki: LoadedPki;
let users: UserDirectory;
let martinP12: Buffer;

const martin = { userId: 'dr.martin', displayName: 'Dr Hélène Martin', units: ['Cardiologie'], rpps: '10005173140', pin: '4321' };

// One PKI for the file: keys are generated once.
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'certlogin-'));
  pki = await initPki(dataDir, [martin, { userId: 'sec.bernard', displayName: 'Sophie Bernard', units: ['Cardiologie'], pin: '9876' }], {
    now: () => NOW,
  });
  users = await openUserDirectory(dataDir, { scrypt: FAST });
  await users.add({ id: 'dr.martin', displayName: 'Dr Hélène Martin', role: 'medecin', units: ['Cardiologie'], rpps: '10005173140', password: 'Coeur-de-pierre-42' });
  await users.add({ id: 'sec.bernard', displayName: 'Sophie Bernard', role: 'secretaire_medicale', units: ['Cardiologie'], password: 'Agenda-du-service-7' });
  martinP12 = readFileSync(pki.users.find((u) => u.id === 'dr.martin')!.p12Path);
});
afterAll(async () => {
  await stopForgeWorker();
  rmSync(dataDir, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>, code: string): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
  return (err as AuthError).message;
}

function login(p12: Uint8Array, pin: string, now = NOW) {
  return loginWithCertificate({ p12, pin, caCertPem: pki.caCertPem, now, directory: users });
}

describe('certificate login', () => {
  it('logs in with a generated PKCS#12 and its PIN; the subject gives the identity', async () => {
    const { user, certificate } = await login(martinP12, '4321');
    expect(user).toMatchObject({ id: 'dr.martin', role: 'medecin', units: ['Cardiologie'] });
    expect(certificate).toMatchObject({
      commonName: 'Dr Hélène Martin',
      uid: 'dr.martin',
      serialNumber: '10005173140',
      organization: 'CHU TEST',
      organizationalUnits: ['Cardiologie'],
    });
    expect(certificate.fingerprint).toBe(pki.users.find((u) => u.id === 'dr.martin')!.fingerprint);
  });

  it('refuses a wrong PIN', async () => {
    expect(await refused(login(martinP12, '0000'), 'cert_bad_pin')).toBe('Code PIN incorrect.');
  });

  it('refuses a file that is not a PKCS#12, and wrong-type input', async () => {
    expect(await refused(login(Buffer.from(pki.caCertPem), '4321'), 'cert_unreadable')).toMatch(/PKCS#12/);
    const truncated = martinP12.subarray(0, martinP12.length >> 1);
    await refused(login(truncated, '4321'), 'cert_unreadable');
    await refused(login('pas un fichier' as never, '4321'), 'invalid_input');
    await refused(login(martinP12, 1234 as never), 'invalid_input');
    await refused(loginWithCertificate({ p12: martinP12, pin: '4321', caCertPem: '', now: NOW, directory: users }), 'pki_invalid');
  });

  it('refuses a certificate outside its validity dates', async () => {
    // The same valid certificate, checked at a date after its end, then before its start.
    expect(await refused(login(martinP12, '4321', new Date(NOW.getTime() + 4 * YEAR)), 'cert_expired')).toMatch(/a expiré le/);
    expect(await refused(login(martinP12, '4321', new Date(NOW.getTime() - 2 * 3600_000)), 'cert_not_yet_valid')).toMatch(/valable qu'à partir du 23 novembre 2026 à 08:00/);

    // A certificate issued with past validity, from the right CA.
    const expired = await issuePersonalCertificate(dataDir, { ...martin, pin: '1111' }, {
      notBefore: new Date(NOW.getTime() - 3 * YEAR),
      notAfter: new Date(NOW.getTime() - 1 * YEAR),
    });
    await users.setCertificate('dr.martin', null);
    try {
      expect(await refused(login(expired.p12, '1111'), 'cert_expired')).toMatch(/expiré.*renouveler/);
    } finally {
      await users.setCertificate('dr.martin', { fingerprint: pki.users[0]!.fingerprint, subject: pki.users[0]!.subject });
    }
  });

  it('refuses a certificate from another CA, even one with the same name', async () => {
    const foreignCaKeys = generateRsaKeyPair();
    const foreignCaPem = issueCertificate({
      profile: 'ca',
      subject: { commonName: TEST_CA_NAME, organization: TEST_ORGANIZATION, organizationalUnits: ['TEST - ne pas utiliser en production'] },
      publicKeyPem: foreignCaKeys.publicKeyPem,
      selfSignKeyPem: foreignCaKeys.privateKeyPem,
      notBefore: new Date(NOW.getTime() - YEAR),
      notAfter: new Date(NOW.getTime() + YEAR),
    });
    const keys = generateRsaKeyPair();
    const certPem = issueCertificate({
      profile: 'personal',
      subject: { commonName: 'Dr Hélène Martin', uid: 'dr.martin', serialNumber: '10005173140', organization: TEST_ORGANIZATION, organizationalUnits: ['Cardiologie'] },
      publicKeyPem: keys.publicKeyPem,
      issuer: { certPem: foreignCaPem, keyPem: foreignCaKeys.privateKeyPem },
      notBefore: new Date(NOW.getTime() - YEAR),
      notAfter: new Date(NOW.getTime() + YEAR),
    });
    // The foreign CA travels inside the file: it must not be trusted for that.
    const p12 = packPkcs12(keys.privateKeyPem, [certPem, foreignCaPem], '4321', 'dr.martin');
    expect(await refused(login(p12, '4321'), 'cert_foreign_ca')).toMatch(/autorité de certification de l'établissement/);
  });

  it('refuses a disabled user', async () => {
    await users.disable('dr.martin');
    try {
      expect(await refused(login(martinP12, '4321'), 'user_disabled')).toMatch(/désactivé/);
    } finally {
      await users.enable('dr.martin');
    }
    expect((await login(martinP12, '4321')).user.id).toBe('dr.martin');
  });

  it('refuses a valid certificate of someone unknown to this workstation', async () => {
    const stranger = await issuePersonalCertificate(dataDir, { userId: 'dr.fantome', displayName: 'Dr Fantôme', units: ['Urgences'], pin: '2222' }, {
      notBefore: new Date(NOW.getTime() - YEAR),
      notAfter: new Date(NOW.getTime() + YEAR),
    });
    expect(await refused(login(stranger.p12, '2222'), 'cert_unknown_user')).toMatch(/Dr Fantôme.*aucun utilisateur/);
  });

  it('requires the enrolled certificate once one is recorded', async () => {
    const renewed = await issuePersonalCertificate(dataDir, { ...martin, pin: '5555' }, {
      notBefore: new Date(NOW.getTime() - YEAR),
      notAfter: new Date(NOW.getTime() + YEAR),
    });
    await users.setCertificate('dr.martin', null);
    // Not enrolled: the UID and the CA are enough.
    expect((await login(renewed.p12, '5555')).user.id).toBe('dr.martin');
    await users.setCertificate('dr.martin', { fingerprint: pki.users[0]!.fingerprint, subject: pki.users[0]!.subject });
    expect(await refused(login(renewed.p12, '5555'), 'cert_not_enrolled')).toMatch(/n'est pas celui enregistré/);
    expect((await login(martinP12, '4321')).user.id).toBe('dr.martin');
  });

  it('refuses a certificate whose RPPS differs from the directory', async () => {
    const other = await issuePersonalCertificate(dataDir, { ...martin, rpps: '10003456789', pin: '6666' }, {
      notBefore: new Date(NOW.getTime() - YEAR),
      notAfter: new Date(NOW.getTime() + YEAR),
    });
    await users.setCertificate('dr.martin', null);
    try {
      expect(await refused(login(other.p12, '6666'), 'cert_invalid')).toMatch(/RPPS/);
    } finally {
      await users.setCertificate('dr.martin', { fingerprint: pki.users[0]!.fingerprint, subject: pki.users[0]!.subject });
    }
  });
});

describe('certificate enrolment', () => {
  it('issues, stores and enrols a certificate for a directory user (CLI issue-cert), which then logs in', async () => {
    const firstP12 = readFileSync(pki.users.find((u) => u.id === 'sec.bernard')!.p12Path);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let errText = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (errText += c.toString()));
    const code = await runUsersCli(['issue-cert', '--id', 'sec.bernard', '--data-dir', dataDir], {
      stdout,
      stderr,
      stdin: Readable.from([]),
      env: { USER_PIN: '13572468' },
    });
    expect({ code, errText }).toEqual({ code: 0, errText: '' });
    expect(out).toMatch(/Certificat de TEST délivré et enregistré pour sec.bernard/);

    await users.reload();
    const reloaded = await loadPki(dataDir);
    const entry = reloaded.users.find((u) => u.id === 'sec.bernard')!;
    expect(users.get('sec.bernard')?.certificate?.fingerprint).toBe(entry.fingerprint);
    expect(statSync(entry.p12Path).mode & 0o777).toBe(0o600);
    // The CLI issues with the real clock: check at the real date.
    const { user } = await login(readFileSync(entry.p12Path), '13572468', new Date());
    expect(user.id).toBe('sec.bernard');
    // The certificate issued at PKI creation was replaced and is no longer accepted.
    expect(firstP12.equals(readFileSync(entry.p12Path))).toBe(false);
    await refused(login(firstP12, '9876'), 'cert_not_enrolled');
  });

  it('refuses a short PIN and a disabled user', async () => {
    await refused(enrollUserCertificate(dataDir, users, 'dr.martin', '1234'), 'weak_password');
    await users.disable('sec.bernard');
    try {
      await refused(enrollUserCertificate(dataDir, users, 'sec.bernard', '13572468'), 'user_disabled');
    } finally {
      await users.enable('sec.bernard');
    }
  });
});

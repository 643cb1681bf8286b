import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { stopForgeWorker } from '../../../../src/main/auth/pki/forge-client';
import { createTestHost, type TestHost } from '../../../support/host';

/** The administrator's tools through the real dispatcher, as the demo admin; each change in the journal. */
let t: TestHost;
const acct = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const ctx = (clientId: string) => ({ clientId, transport: 'ipc' as const });
let admin: (m: string, i: unknown) => ReturnType<TestHost['host']['dispatch']>;

async function signIn(role: string, clientId: string) {
  const a = acct(role);
  const r = await t.host.dispatch('session.login', { userId: a.id, password: a.password }, ctx(clientId));
  expect(r.ok).toBe(true);
  return (m: string, i: unknown) => t.host.dispatch(m, i, ctx(clientId));
}
const journalled = (type: string) => t.audit.events.filter((e) => e.type === type);

beforeAll(async () => {
  t = await createTestHost();
  admin = await signIn('admin', 'admin');
}, 60_000);
afterAll(async () => {
  await t.close();
  await stopForgeWorker();
});

describe('roles and units', () => {
  it('gives a nurse a second unit, and says in French what a role cannot have', async () => {
    const r = await admin('users.assign', { id: 'inf.robert', role: 'infirmier', units: ['Cardiologie', 'Urgences'] });
    expect(r).toMatchObject({ ok: true, value: { id: 'inf.robert', role: 'infirmier', units: ['Cardiologie', 'Urgences'] } });
    expect(t.host.directory.get('inf.robert')!.units).toEqual(['Cardiologie', 'Urgences']);
    expect(journalled('users.update').at(-1)).toMatchObject({ outcome: 'success', agent: { userId: 'admin' }, entity: { id: 'inf.robert' }, detail: { role: 'infirmier', units: 'Cardiologie, Urgences' } });

    expect(await admin('users.assign', { id: 'inf.robert', role: 'medecin', units: ['Cardiologie'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Le numéro RPPS est obligatoire pour le rôle « Médecin ».' },
    });
    expect(await admin('users.assign', { id: 'dpo.leroy', role: 'dpo', units: ['Cardiologie'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('aucune unité de soins') } });
    expect(await admin('users.assign', { id: 'admin', role: 'dpo', units: [] })).toMatchObject({ ok: false, error: { message: expect.stringContaining('dernier administrateur actif') } });
    // Nothing half-written: the refused changes left the nurse as she was.
    expect(t.host.directory.get('inf.robert')).toMatchObject({ role: 'infirmier', units: ['Cardiologie', 'Urgences'] });
    expect(journalled('users.update').filter((e) => e.outcome === 'failure')).toHaveLength(3);
  });
});

describe('lockout and password', () => {
  it('unlocks an account locked by failed logins, and resets a password', async () => {
    const intern = acct('interne');
    for (let i = 0; i < 5; i++) await t.host.dispatch('session.login', { userId: intern.id, password: 'mauvais-mot-de-passe' }, ctx('intern'));
    const listed = (await admin('users.list', {})) as { ok: true; value: { id: string; locked: boolean }[] };
    expect(listed.value.find((u) => u.id === intern.id)!.locked).toBe(true);
    expect(await t.host.dispatch('session.login', { userId: intern.id, password: intern.password }, ctx('intern'))).toMatchObject({ ok: false, error: { message: expect.stringContaining('verrouillé') } });

    expect(await admin('users.unlock', { id: intern.id })).toMatchObject({ ok: true, value: { id: intern.id, locked: false } });
    expect(journalled('users.unlock').at(-1)).toMatchObject({ outcome: 'success', entity: { id: intern.id }, detail: { wasLocked: true } });
    expect((await t.host.dispatch('session.login', { userId: intern.id, password: intern.password }, ctx('intern'))).ok).toBe(true);

    expect(await admin('users.resetPassword', { id: intern.id, password: 'court' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('12 caractères') } });
    expect(await admin('users.resetPassword', { id: intern.id, password: 'Nouveau-Mot-2026-Durand' })).toMatchObject({ ok: true });
    expect((await t.host.dispatch('session.login', { userId: intern.id, password: 'Nouveau-Mot-2026-Durand' }, ctx('intern2'))).ok).toBe(true);
    expect(journalled('users.password.reset').at(-1)).toMatchObject({ outcome: 'success', entity: { id: intern.id } });
  });
});

describe('certificates', () => {
  it('issues a certificate that logs in, revokes it for good, and a new one works again', async () => {
    const issued = await admin('users.issueCertificate', { id: 'sec.bernard', pin: '246810' });
    expect(issued).toMatchObject({ ok: true, value: { fileName: 'sec.bernard.p12', user: { id: 'sec.bernard', hasCertificate: true } } });
    const p12Base64 = (issued as { ok: true; value: { p12Base64: string } }).value.p12Base64;
    expect((await t.host.dispatch('session.loginCertificate', { p12Base64, pin: '246810' }, ctx('sec1'))).ok).toBe(true);
    expect(journalled('users.certificate.issue').at(-1)).toMatchObject({ outcome: 'success', detail: { fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    expect(await admin('users.revokeCertificate', { id: 'sec.bernard' })).toMatchObject({ ok: true, value: { hasCertificate: false, revokedCertificates: 1 } });
    expect(existsSync(path.join(t.dataDir, 'pki', 'users', 'sec.bernard.p12'))).toBe(false);
    expect(await t.host.dispatch('session.loginCertificate', { p12Base64, pin: '246810' }, ctx('sec2'))).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Ce certificat a été révoqué par l\'administrateur : demandez-lui un nouveau certificat.' },
    });
    // The failed certificate login names who the certificate said it was.
    expect(journalled('auth.login').at(-1)).toMatchObject({ outcome: 'failure', detail: { method: 'certificate', attemptedId: 'sec.bernard' } });
    expect(await admin('users.revokeCertificate', { id: 'sec.bernard' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('rien à révoquer') } });

    const again = (await admin('users.issueCertificate', { id: 'sec.bernard', pin: '135790' })) as { ok: true; value: { p12Base64: string } };
    expect((await t.host.dispatch('session.loginCertificate', { p12Base64: again.value.p12Base64, pin: '135790' }, ctx('sec3'))).ok).toBe(true);
    expect(await t.host.dispatch('session.loginCertificate', { p12Base64, pin: '246810' }, ctx('sec4'))).toMatchObject({ ok: false });
    expect(await admin('users.issueCertificate', { id: 'sec.bernard', pin: '12' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('6 caractères') } });
  }, 60_000);
});

describe('refusals', () => {
  it('refuses every administration method to the other roles', async () => {
    for (const role of ['dpo', 'medecin', 'secretaire_medicale']) {
      const call = await signIn(role, `r-${role}`);
      expect(await call('users.assign', { id: 'inf.robert', role: 'infirmier', units: ['Urgences'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('users.unlock', { id: 'inf.robert' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('users.issueCertificate', { id: 'inf.robert', pin: '123456' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('users.revokeCertificate', { id: 'inf.robert' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('users.resetPassword', { id: 'inf.robert', password: 'Un-mot-de-passe-long-9' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(t.host.directory.get('inf.robert')!.units).toEqual(['Cardiologie', 'Urgences']);
  });
});

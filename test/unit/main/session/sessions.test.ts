import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PIN } from '../../../../src/main/auth/demo';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';

const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!;
const patient = { id: 'p1' };
let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ctx = (clientId = 'c1') => ({ clientId, transport: 'http' as const });

describe('sessions', () => {
  it('starts a new install on the first-run screen, which creates the admin only once', async () => {
    t = await createTestHost({ kind: 'empty' });
    expect(await t.host.dispatch('session.status', {}, ctx())).toMatchObject({ ok: true, value: { state: 'first_run' } });
    const weak = await t.host.dispatch('session.firstRun', { userId: 'admin', displayName: 'Admin', password: 'court' }, ctx());
    expect(weak).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const made = await t.host.dispatch('session.firstRun', { userId: 'admin', displayName: 'Admin du CHU', password: 'Un-mot-de-passe-tres-long' }, ctx());
    expect(made).toMatchObject({ ok: true, value: { state: 'active', user: { id: 'admin', role: 'admin' } } });
    const again = await t.host.dispatch('session.firstRun', { userId: 'admin2', displayName: 'Autre', password: 'Un-mot-de-passe-tres-long' }, ctx('c2'));
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('answers every failed login with one generic message and records it without the password', async () => {
    t = await createTestHost();
    const unknown = await t.host.dispatch('session.login', { userId: 'personne', password: 'secret-tape-ici' }, ctx());
    const wrong = await t.host.dispatch('session.login', { userId: doctor.id, password: 'secret-tape-ici' }, ctx());
    expect(unknown.ok || wrong.ok).toBe(false);
    if (!unknown.ok && !wrong.ok) expect(unknown.error.message).toBe(wrong.error.message);
    const failures = t.audit.events.filter((e) => e.type === 'auth.login' && e.outcome === 'failure');
    expect(failures).toHaveLength(2);
    expect(JSON.stringify(t.audit.events)).not.toContain('secret-tape-ici');
  });

  it('locks an account for 5 minutes after 5 failures', async () => {
    t = await createTestHost();
    for (let i = 0; i < 5; i++) await t.host.dispatch('session.login', { userId: doctor.id, password: 'mauvais-mot-de-passe' }, ctx());
    const blocked = await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx());
    expect(blocked.ok).toBe(false);
    t.clock.advance(5 * 60 * 1000 + 1);
    expect(await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx())).toMatchObject({ ok: true });
  });

  it('locks after the idle delay: no patient call passes, the lock is recorded, unlock restores', async () => {
    t = await createTestHost();
    admit(t.host.careIndex, { id: 'p1', ipp: '900000001', unit: 'Cardiologie' });
    await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx());
    expect((await t.host.dispatch('record.openChart', { patient }, ctx())).ok).toBe(true);
    t.clock.advance(4 * 60 * 1000);
    await t.host.dispatch('session.activity', {}, ctx());
    t.clock.advance(4 * 60 * 1000);
    expect((await t.host.dispatch('record.openChart', { patient }, ctx())).ok).toBe(true);
    t.clock.advance(5 * 60 * 1000);
    const locked = await t.host.dispatch('record.openChart', { patient }, ctx());
    expect(locked).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(t.audit.events.some((e) => e.type === 'auth.lock' && e.detail?.reason === 'idle')).toBe(true);
    expect(await t.host.dispatch('session.status', {}, ctx())).toMatchObject({ ok: true, value: { state: 'locked', breakGlass: [] } });
    expect(await t.host.dispatch('session.unlock', { secret: 'faux' }, ctx())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await t.host.dispatch('session.unlock', { secret: doctor.password }, ctx())).toMatchObject({ ok: true, value: { state: 'active' } });
    expect((await t.host.dispatch('record.openChart', { patient }, ctx())).ok).toBe(true);
    expect(t.audit.events.filter((e) => e.type === 'auth.unlock').map((e) => e.outcome)).toEqual(['failure', 'success']);
  });

  it('closes the session after 5 wrong unlock attempts', async () => {
    t = await createTestHost();
    await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx());
    await t.host.dispatch('session.lock', { reason: 'manual' }, ctx());
    for (let i = 0; i < 5; i++) await t.host.dispatch('session.unlock', { secret: 'faux' }, ctx());
    expect(await t.host.dispatch('session.status', {}, ctx())).toMatchObject({ ok: true, value: { state: 'anonymous' } });
  });

  it('switches user on the same workstation and records the switch', async () => {
    t = await createTestHost();
    const sec = DEMO_ACCOUNTS.find((a) => a.role === 'secretaire_medicale')!;
    await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx());
    await t.host.dispatch('session.logout', { switchUser: true }, ctx());
    await t.host.dispatch('session.login', { userId: sec.id, password: sec.password }, ctx());
    expect(await t.host.dispatch('session.status', {}, ctx())).toMatchObject({ ok: true, value: { user: { id: sec.id } } });
    expect(t.audit.events.some((e) => e.type === 'auth.switch' && e.agent?.userId === doctor.id)).toBe(true);
  });

  it('keeps sessions of two renderers apart', async () => {
    t = await createTestHost();
    await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx('a'));
    expect(await t.host.dispatch('record.openChart', { patient }, ctx('b'))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('ends a local break-glass after 4 hours and records the end', async () => {
    t = await createTestHost({ config: { lockAfterMs: 24 * 60 * 60 * 1000 } });
    const urg = DEMO_ACCOUNTS.find((a) => a.role === 'urgentiste')!;
    const outside = admit(t.host.careIndex, { id: 'p9', ipp: '900000009', unit: 'Cardiologie' });
    await t.host.dispatch('session.login', { userId: urg.id, password: urg.password }, ctx());
    const short = await t.host.dispatch('session.breakGlassStart', { patient: outside, reason: 'urgence_vitale', justification: 'court' }, ctx());
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const started = await t.host.dispatch('session.breakGlassStart', { patient: outside, reason: 'urgence_vitale', justification: 'Arrêt cardiaque, dossier cardiologique' }, ctx());
    expect(started).toMatchObject({ ok: true, value: { breakGlass: [{ patientId: 'p9', reason: 'Urgence vitale' }] } });
    for (let i = 0; i < 5; i++) {
      t.clock.advance(50 * 60 * 1000);
      await t.host.dispatch('session.activity', {}, ctx());
    }
    expect(await t.host.dispatch('record.openChart', { patient: outside }, ctx())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.audit.events.some((e) => e.type === 'security.breakglass.end' && e.detail?.ended === 'expired')).toBe(true);
  });

  it('signs in with a personal certificate and unlocks with its PIN', async () => {
    t = await createTestHost();
    const p12 = readFileSync(path.join(t.dataDir, 'pki', 'users', `${doctor.id}.p12`)).toString('base64');
    expect(await t.host.dispatch('session.loginCertificate', { p12Base64: p12, pin: '0000' }, ctx())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const ok = await t.host.dispatch('session.loginCertificate', { p12Base64: p12, pin: DEMO_PIN }, ctx());
    expect(ok).toMatchObject({ ok: true, value: { state: 'active', method: 'certificate', user: { id: doctor.id } } });
    await t.host.dispatch('session.lock', { reason: 'manual' }, ctx());
    expect(await t.host.dispatch('session.unlock', { secret: DEMO_PIN }, ctx())).toMatchObject({ ok: true, value: { state: 'active' } });
  });

  it('refuses a certificate payload that is not a PKCS#12 with a French message', async () => {
    t = await createTestHost();
    const r = await t.host.dispatch('session.loginCertificate', { p12Base64: Buffer.from('pas un certificat').toString('base64'), pin: '1234' }, ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/certificat|PKCS|fichier/i);
  });
});

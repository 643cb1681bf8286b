import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PIN } from '../../../../src/main/auth/demo';
import { LOGIN_FAILURES_FILE, openUserDirectory } from '../../../../src/main/auth/user-directory';
import type { Result } from '../../../../src/shared/bridge/result';
import { createTestHost, type TestHost } from '../../../support/host';

/**
 * The review's races, replayed through the real dispatcher: 8 parallel first runs made 8 admins; a burst
 * ran 96 password checks where lockout allows 5 and accepted a right password inside 39 wrong ones;
 * lockouts vanished at restart; wrong certificate PINs did not count; unauthenticated callers wrote one
 * journal entry each (1,466 a second).
 */
let t: TestHost | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const martin = DEMO_ACCOUNTS.find((a) => a.id === 'dr.martin')!;
const errorOf = (r: Result<unknown>) => (r.ok ? null : r.error);
const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 };

describe('first run', () => {
  it('8 concurrent first runs make exactly one administrator; the others are told one exists', async () => {
    t = await createTestHost({ kind: 'empty' });
    const host = t.host;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => host.dispatch('session.firstRun', { userId: `admin${i}`, displayName: `Admin ${i}`, password: `Mot-de-passe-solide-${i}!` }, { clientId: `page-${i}`, transport: 'http' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map(errorOf)).toEqual(Array(7).fill({ code: 'CONFLICT', message: 'Ce poste a déjà un administrateur : identifiez-vous.' }));
    expect(host.directory.list().map((u) => u.role)).toEqual(['admin']);
  }, 60_000);
});

describe('lockout', () => {
  it('a burst of 40 logins runs no more checks than failures left: the right password inside 39 wrong ones is refused', async () => {
    t = await createTestHost();
    const host = t.host;
    const passwords = Array.from({ length: 40 }, (_, i) => (i === 20 ? martin.password : `Faux-mot-de-passe-${i}`));
    const results = await Promise.all(passwords.map((password, i) => host.dispatch('session.login', { userId: martin.id, password }, { clientId: `c${i}`, transport: 'http' })));
    expect(results.some((r) => r.ok)).toBe(false);
    const messages = results.map((r) => errorOf(r)!.message);
    // Four checks fail plainly, the fifth locks the account; every other attempt was refused unchecked.
    expect(messages.filter((m) => m === 'Identifiant ou mot de passe incorrect.')).toHaveLength(4);
    expect(messages.filter((m) => m === 'Trop de tentatives échouées : ce compte est verrouillé pendant 5 minutes.')).toHaveLength(1);
    expect(messages.filter((m) => m === 'Trop de tentatives simultanées sur ce compte : patientez quelques secondes puis réessayez.')).toHaveLength(35);
    const late = await host.dispatch('session.login', { userId: martin.id, password: martin.password }, { clientId: 'late', transport: 'http' });
    expect(errorOf(late)).toEqual({ code: 'UNAUTHENTICATED', message: 'Trop de tentatives échouées : ce compte est verrouillé pendant 5 minutes.' });
  }, 60_000);

  it('failures and lockouts survive a restart, in a 0600 file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-lockout-'));
    let now = new Date('2026-11-30T08:00:00Z');
    const open = () => openUserDirectory(dir!, { scrypt: FAST, now: () => now });
    const first = await open();
    await first.add({ id: 'dr.test', displayName: 'Dr Test', role: 'infirmier', units: ['Cardiologie'], password: 'Mot-de-passe-solide-1!' });
    for (let i = 0; i < 3; i++) expect((await first.authenticate('dr.test', 'faux')).ok).toBe(false);
    // Restart: the three failures still count, two more lock the account.
    const second = await open();
    expect((await second.authenticate('dr.test', 'faux')).ok).toBe(false);
    expect(await second.authenticate('dr.test', 'faux')).toMatchObject({ ok: false, code: 'account_locked' });
    const third = await open();
    expect(third.isLocked('dr.test')).toBe(true);
    expect(await third.authenticate('dr.test', 'Mot-de-passe-solide-1!')).toMatchObject({ ok: false, code: 'account_locked', message: 'Trop de tentatives échouées : ce compte est verrouillé pendant 5 minutes.' });
    expect(statSync(path.join(dir, LOGIN_FAILURES_FILE)).mode & 0o777).toBe(0o600);
    now = new Date(now.getTime() + 5 * 60_000 + 1);
    expect((await (await open()).authenticate('dr.test', 'Mot-de-passe-solide-1!')).ok).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, LOGIN_FAILURES_FILE), 'utf8'))).toEqual({ format: 'chu-workstation/login-failures', failures: {} });
  }, 60_000);

  it('wrong certificate PINs count: the fifth blocks the card, and then the right PIN is refused too', async () => {
    t = await createTestHost();
    const host = t.host;
    const p12Base64 = readFileSync(path.join(t.dataDir, 'pki', 'users', 'dr.martin.p12')).toString('base64');
    const login = (pin: string) => host.dispatch('session.loginCertificate', { p12Base64, pin }, { clientId: 'card', transport: 'http' });
    for (let i = 0; i < 4; i++) expect(errorOf(await login('0000'))?.code).toBe('UNAUTHENTICATED');
    const fifth = errorOf(await login('0000'))!;
    expect(fifth.message).toMatch(/Trop d’échecs : cette carte est bloquée pendant 5 minutes\.$/);
    expect(errorOf(await login(DEMO_PIN))).toEqual({ code: 'UNAUTHENTICATED', message: 'Trop de tentatives échouées : cette carte est bloquée pendant 5 minutes.' });
    t.clock.advance(5 * 60_000 + 1);
    expect((await login(DEMO_PIN)).ok).toBe(true);
  }, 120_000);
});

describe('unauthenticated calls', () => {
  it('are counted per minute in one journal entry, and rate-limited per page', async () => {
    t = await createTestHost();
    const { host, audit, clock } = t;
    const call = (clientId: string) => host.dispatch('users.list', {}, { clientId, transport: 'http' });
    const fromX = [];
    for (let i = 0; i < 1000; i++) fromX.push(await call('x'));
    for (let i = 0; i < 10; i++) await call('y');
    expect(fromX.slice(0, 60).map(errorOf)).toEqual(Array(60).fill({ code: 'UNAUTHENTICATED', message: 'Veuillez vous identifier.' }));
    expect(errorOf(fromX[60]!)).toEqual({ code: 'UNAVAILABLE', message: 'Trop de requêtes sans identification depuis cette page : patientez une minute, puis identifiez-vous.' });
    expect(fromX.slice(60).every((r) => errorOf(r)?.code === 'UNAVAILABLE')).toBe(true);
    const denied = () => audit.events.filter((e) => e.type === 'access.denied');
    expect(denied()).toHaveLength(0);
    clock.advance(60_000);
    await call('y');
    expect(denied()).toHaveLength(1);
    expect(denied()[0]!.detail).toMatchObject({ reason: 'unauthenticated', count: 1010, clients: 2, rateLimited: 940, methods: 'users.list:1010' });
  }, 60_000);
});

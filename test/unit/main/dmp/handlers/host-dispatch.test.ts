import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../../src/main/auth/demo';
import { createTestHost, type TestHost } from '../../../../support/host';
import { demoPatient } from './harness';

/** The DMP methods through the real host: contract validation, authorizer, handlers, sandbox. */
let t: TestHost;
beforeAll(async () => {
  t = await createTestHost();
}, 120_000);
afterAll(() => t?.close());

const ctx = (clientId: string) => ({ clientId, transport: 'http' as const });
async function loginOn(on: TestHost, clientId: string, id: string) {
  const a = DEMO_ACCOUNTS.find((x) => x.id === id)!;
  expect((await on.host.dispatch('session.login', { userId: a.id, password: a.password }, ctx(clientId))).ok).toBe(true);
}
const login = (clientId: string, id: string) => loginOn(t, clientId, id);

describe('DMP through the host dispatch', () => {
  it('a doctor with a VALIDE authorisation lists and reads; the lock drops the grant', async () => {
    await login('h1', 'dr.martin');
    const p = demoPatient(t.host, 'autorisation-valide');
    expect(await t.host.dispatch('dmp.status', p, ctx('h1'))).toMatchObject({ ok: true, value: { authorization: 'VALIDE', access: { mode: 'normal' } } });
    const list = await t.host.dispatch('dmp.documents', { ...p, accessMode: 'normal' }, ctx('h1'));
    expect(list.ok).toBe(true);
    const entries = (list as { ok: true; value: { entries: { uniqueId: string; repositoryUniqueId: string }[] } }).value.entries;
    const doc = await t.host.dispatch('dmp.retrieve', { ...p, accessMode: 'normal', document: { uniqueId: entries[0]!.uniqueId, repositoryUniqueId: entries[0]!.repositoryUniqueId } }, ctx('h1'));
    expect(doc).toMatchObject({ ok: true, value: { encoding: 'text' } });
    await t.host.dispatch('session.lock', { reason: 'manual' }, ctx('h1'));
    const a = DEMO_ACCOUNTS.find((x) => x.id === 'dr.martin')!;
    await t.host.dispatch('session.unlock', { secret: a.password }, ctx('h1'));
    expect(await t.host.dispatch('dmp.documents', { ...p, accessMode: 'normal' }, ctx('h1'))).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
  });

  it('refuses a secretary and an unknown field', async () => {
    await login('h2', 'sec.bernard');
    const p = demoPatient(t.host, 'autorisation-valide');
    expect(await t.host.dispatch('dmp.status', p, ctx('h2'))).toMatchObject({ ok: false, error: { code: 'DMP_ROLE_FORBIDDEN' } });
    await login('h3', 'dr.martin');
    expect(await t.host.dispatch('dmp.consent', { ...p, patientInformedAndConsents: true, auto: true }, ctx('h3'))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('a host without a DMP', () => {
  it('says no DMP is configured instead of starting the test DMP', async () => {
    const bare = await createTestHost({ config: { dmp: undefined } });
    try {
      await loginOn(bare, 'h-bare', 'dr.martin');
      const p = demoPatient(bare.host, 'autorisation-valide');
      expect(await bare.host.dispatch('dmp.status', p, ctx('h-bare'))).toEqual({
        ok: false,
        error: { code: 'DMP_CONFIG_INVALID', message: 'Aucun DMP n’est configuré sur ce poste : demandez à l’administrateur de renseigner l’adresse des services DMP.' },
      });
      // Not even its data directory was created.
      expect(existsSync(path.join(bare.dataDir, 'dmp-sandbox'))).toBe(false);
    } finally {
      await bare.close();
    }
  });
});

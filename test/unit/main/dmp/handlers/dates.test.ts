import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../../src/main/auth/demo';
import type { DmpEntry } from '../../../../../src/shared/bridge/methods-dmp';
import { formatDateFr, toIsoInstant } from '../../../../../src/shared/time';
import { createTestHost, type TestHost } from '../../../../support/host';
import { demoPatient } from './harness';

const DAY = 86_400_000;
let t: TestHost;
beforeAll(async () => {
  t = await createTestHost();
}, 120_000);
afterAll(() => t?.close());

describe('dates of the demo DMP as the bridge hands them', () => {
  it('the recent imaging report carries its seeded dates in ISO 8601, read back exactly by the time module', async () => {
    const a = DEMO_ACCOUNTS.find((x) => x.id === 'dr.martin')!;
    const ctx = { clientId: 'dates', transport: 'http' as const };
    expect((await t.host.dispatch('session.login', { userId: a.id, password: a.password }, ctx)).ok).toBe(true);
    const p = demoPatient(t.host, 'autorisation-valide');
    expect(await t.host.dispatch('dmp.status', p, ctx)).toMatchObject({ ok: true, value: { authorization: 'VALIDE' } });
    const list = await t.host.dispatch('dmp.documents', { ...p, accessMode: 'normal' }, ctx);
    if (!list.ok) throw new Error(list.error.message);
    const entries = (list.value as { entries: DmpEntry[] }).entries;
    // The embedded DMP seeds its recent imaging report 6 days before the host's clock (to the second).
    const seeded = new Date(Math.floor(t.clock.now().getTime() / 1000) * 1000 - 6 * DAY);
    const serviceStart = new Date(seeded.getTime() - 3 * DAY);
    const imaging = entries.filter((e) => e.typeCode?.code === '18748-4' && e.creationTime === seeded.toISOString());
    expect(imaging).toHaveLength(1);
    const e = imaging[0]!;
    expect(e.serviceStartTime).toBe(serviceStart.toISOString());
    expect(toIsoInstant(e.serviceStartTime)).toBe(serviceStart.toISOString());
    const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });
    expect(formatDateFr(e.serviceStartTime)).toBe(paris.format(serviceStart));
  });
});

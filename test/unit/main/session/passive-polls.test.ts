import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { createTestHost, type TestHost } from '../../../support/host';

const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!;
let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
const ctx = { clientId: 'c1', transport: 'http' as const };

/** The renderer polls the replica and the sync state every few seconds: that is not the user being there. */
describe('background polls and the idle lock', () => {
  it('locks an unattended session although the renderer kept polling sync.status and sync.changes', async () => {
    t = await createTestHost();
    expect((await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx)).ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(70 * 1000);
      expect((await t.host.dispatch('sync.status', {}, ctx)).ok).toBe(true);
      expect((await t.host.dispatch('sync.outbox.list', {}, ctx)).ok).toBe(true);
      await t.host.dispatch('sync.changes', { after: 0 }, ctx);
    }
    // 4 min 40 s of polls, then 30 s more: past the 5-minute delay counted from sign-in, not from the last poll.
    t.clock.advance(30 * 1000);
    expect(await t.host.dispatch('sync.status', {}, ctx)).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await t.host.dispatch('session.status', {}, ctx)).toMatchObject({ ok: true, value: { state: 'locked' } });
  });
});

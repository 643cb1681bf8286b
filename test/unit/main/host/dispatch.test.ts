import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../../../src/main/host/clock';
import { createHost, type Host } from '../../../../src/main/host/host';
import { createMemoryLogger } from '../../../../src/main/host/logger';
import { createTestHost, type TestHost } from '../../../support/host';

let t: TestHost;
let host: Host;
let dir: string;
const ctx = { clientId: 'test', transport: 'ipc' as const };

beforeAll(async () => {
  t = await createTestHost({ config: { version: '9.9.9' } });
  host = t.host;
  dir = t.dataDir;
});
afterAll(() => t.close());

describe('host dispatch', () => {
  it('answers app.info with the configured facts', async () => {
    const r = await host.dispatch('app.info', {}, ctx);
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({ version: '9.9.9', mode: 'browser', dataDir: dir, workstationId: host.workstationId }),
    });
  });

  it('keeps the same workstation id across restarts of the same data dir', async () => {
    const again = await createHost({ dataDir: dir, mode: 'browser', clock: createTestClock(), logger: createMemoryLogger(), version: '1' });
    try {
      expect(again.workstationId).toBe(host.workstationId);
    } finally {
      // Its journal and signing worker would otherwise outlive the test.
      await again.close();
    }
  });

  it.each([
    ['unknown method', 'app.nope', {}, 'UNKNOWN_METHOD'],
    ['prototype key as method', '__proto__', {}, 'UNKNOWN_METHOD'],
    ['non-string method', 42, {}, 'UNKNOWN_METHOD'],
    ['wrong type', 'app.echo', { text: 12 }, 'INVALID_INPUT'],
    ['missing field', 'app.echo', {}, 'INVALID_INPUT'],
    ['extra field', 'app.info', { sneaky: true }, 'INVALID_INPUT'],
    ['null payload', 'app.info', null, 'INVALID_INPUT'],
    ['array payload', 'app.echo', ['x'], 'INVALID_INPUT'],
    ['oversized string', 'app.echo', { text: 'x'.repeat(5000) }, 'INVALID_INPUT'],
  ])('answers a typed error for %s, never throws', async (_label, method, input, code) => {
    const r = await host.dispatch(method, input, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(5);
    }
    // The host keeps serving after a bad call.
    expect((await host.dispatch('app.health', {}, ctx)).ok).toBe(true);
  });

  it('says which field is wrong, in French', async () => {
    const r = await host.dispatch('app.echo', { text: 5 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/champ « text »/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildApi, contract, isMethodName, METHOD_NAMES } from '../../../../src/shared/bridge/contract';
import { ROLES } from '../../../../src/shared/bridge/roles';

describe('bridge contract', () => {
  it('declares every method with schemas, access and scope', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(0);
    for (const name of METHOD_NAMES) {
      // namespace.verb, or namespace.subject.verb for the write and outbox methods (record.allergy.add, sync.outbox.list).
      expect(name).toMatch(/^[a-z]+(\.[a-z][a-zA-Z]*){1,2}$/);
      const spec = contract[name];
      expect(typeof spec.input.safeParse).toBe('function');
      expect(typeof spec.output.safeParse).toBe('function');
      expect(['none', 'patient']).toContain(spec.scope);
      if (spec.access !== 'public') for (const role of spec.access) expect(ROLES).toContain(role);
    }
  });

  it('does not treat inherited object keys as methods', () => {
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('app.info')).toBe(true);
  });

  it('builds one function per method, grouped by namespace', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(async (m, i) => {
      calls.push([m, i]);
      return { ok: true, value: null };
    });
    await api.app.echo({ text: 'x' });
    await api.app.info({});
    expect(calls).toEqual([
      ['app.echo', { text: 'x' }],
      ['app.info', {}],
    ]);
    const flat = Object.entries(api).flatMap(([ns, members]) => Object.keys(members).map((m) => `${ns}.${m}`));
    expect(flat.sort()).toEqual([...METHOD_NAMES].sort());
  });
});

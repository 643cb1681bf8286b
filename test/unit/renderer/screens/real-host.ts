import 'fake-indexeddb/auto';
import { configure } from '@testing-library/react';
import { buildApi } from '../../../../src/shared/bridge/contract';
import type { Host } from '../../../../src/main/host/host';
import { createTestHost, type TestHost } from '../../../support/host';

/**
 * The renderer's `window.api` wired to a real host (dispatcher, authorizer, sessions, journal) as
 * the Electron preload wires it: screens sign in as real demo users and get real refusals.
 * Import this module before anything from src/renderer (the bridge picks window.api on load).
 */
let current: TestHost | null = null;
const ctx = { clientId: 'renderer-test', transport: 'ipc' as const };

// Password checks are deliberately slow (scrypt) and the machine is shared: wait for outcomes
// longer than the default second, they still fail on a wrong text.
configure({ asyncUtilTimeout: 10_000 });

/** Every bridge call the screens made, in order, with what the host answered. */
export const calls: { method: string; input: unknown; ok: boolean }[] = [];

window.api = buildApi(async (method, input) => {
  if (!current) throw new Error('real-host: startHost() first');
  const r = await current.host.dispatch(method, input, ctx);
  calls.push({ method, input, ok: r.ok });
  return r;
});

export async function startHost(opts: Parameters<typeof createTestHost>[0] = {}): Promise<TestHost> {
  calls.length = 0;
  current = await createTestHost(opts);
  return current;
}

export async function stopHost(): Promise<void> {
  const t = current;
  current = null;
  await t?.close();
}

export function host(): Host {
  if (!current) throw new Error('real-host: startHost() first');
  return current.host;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBridge } from '../../../../src/main/electron/ipc';
import type { Host } from '../../../../src/main/host/host';
import { createTestHost, type TestHost } from '../../../support/host';
import { BRIDGE_CHANNEL } from '../../../../src/shared/bridge/contract';

type Invoke = (event: unknown, method: unknown, input: unknown) => Promise<unknown>;
let dir: string;
let t: TestHost;
let host: Host;
let handler: Invoke;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-ipc-'));
  t = await createTestHost({ config: { mode: 'electron' } });
  host = t.host;
  const ipcMain = { handle: (channel: string, fn: Invoke) => channel === BRIDGE_CHANNEL && (handler = fn) };
  registerBridge(ipcMain as never, host);
});
afterAll(async () => {
  // The host's journal and workers would otherwise outlive the file.
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function event(url: string, sub = false) {
  const mainFrame = { url };
  return { sender: { id: 7, mainFrame }, senderFrame: sub ? { url } : mainFrame };
}

describe('IPC bridge sender validation', () => {
  it('answers our own main frame', async () => {
    expect(await handler(event('app://workstation/index.html'), 'app.health', {})).toMatchObject({ ok: true });
  });

  it('refuses a foreign origin, a sub-frame and a missing frame', async () => {
    for (const e of [event('https://evil.example/'), event('app://workstation/index.html', true), { sender: { id: 1, mainFrame: {} }, senderFrame: null }]) {
      expect(await handler(e, 'app.health', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('validates the payload like every transport', async () => {
    expect(await handler(event('app://workstation/'), 'app.echo', { text: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses an input larger than its method accepts, before dispatching it', async () => {
    const big = await handler(event('app://workstation/'), 'app.echo', { text: 'x'.repeat(80 * 1024) });
    expect(big).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Requête trop volumineuse pour cette action (limite 64 Ko).' } });
    expect(await handler(event('app://workstation/'), 'app.echo', { text: 10n })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

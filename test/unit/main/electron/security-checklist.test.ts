import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Electron's security checklist, asserted on the real window factory with
 * electron mocked: every item of the foundation issue has its test here.
 */
const state = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; contents: FakeContents; loadedUrl?: string }[],
  openExternal: [] as string[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  privileged: [] as unknown[],
  closedDevTools: 0,
}));

interface FakeContents {
  listeners: Map<string, ((...args: unknown[]) => void)[]>;
  windowOpenHandler?: (d: { url: string }) => { action: string };
  session: FakeSession;
  on(event: string, fn: (...args: unknown[]) => void): void;
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void;
  emit(event: string, ...args: unknown[]): void;
  closeDevTools(): void;
}
interface FakeSession {
  permissionRequest?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
  permissionCheck?: () => boolean;
  devicePermission?: () => boolean;
  headers?: (details: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  beforeRequest?: { filter: { urls: string[] }; fn: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void };
}

function fakeContents(): FakeContents {
  const session: FakeSession = {};
  const c: FakeContents = {
    listeners: new Map(),
    session,
    on(event, fn) {
      c.listeners.set(event, [...(c.listeners.get(event) ?? []), fn]);
    },
    setWindowOpenHandler(fn) {
      c.windowOpenHandler = fn;
    },
    emit(event, ...args) {
      for (const fn of c.listeners.get(event) ?? []) fn(...args);
    },
    closeDevTools() {
      state.closedDevTools++;
    },
  };
  Object.assign(session, {
    setPermissionRequestHandler: (fn: FakeSession['permissionRequest']) => (session.permissionRequest = fn),
    setPermissionCheckHandler: (fn: FakeSession['permissionCheck']) => (session.permissionCheck = fn),
    setDevicePermissionHandler: (fn: FakeSession['devicePermission']) => (session.devicePermission = fn),
    webRequest: {
      onHeadersReceived: (fn: FakeSession['headers']) => (session.headers = fn),
      onBeforeRequest: (filter: { urls: string[] }, fn: NonNullable<FakeSession['beforeRequest']>['fn']) => (session.beforeRequest = { filter, fn }),
    },
  });
  return c;
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: FakeContents;
    constructor(options: Record<string, unknown>) {
      this.webContents = fakeContents();
      state.windows.push({ options, contents: this.webContents });
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      state.windows[state.windows.length - 1]!.loadedUrl = url;
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: async (url: string) => void state.openExternal.push(url) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.privileged.push(...s),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, fn),
    },
  };
});

const { createMainWindow } = await import('../../../../src/main/electron/window');
const { handleAppProtocol, registerAppScheme } = await import('../../../../src/main/electron/protocol');

function newWindow(devServerUrl?: string, production?: boolean) {
  createMainWindow({ preloadPath: '/app/out/preload/index.js', devServerUrl, title: 'Poste', ...(production ? { production } : {}) });
  return state.windows[state.windows.length - 1]!;
}

const prevented = () => {
  const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) };
  return e;
};

beforeEach(() => {
  state.windows.length = 0;
  state.openExternal.length = 0;
});

describe('Electron security checklist on the real window factory', () => {
  it('isolates the context, sandboxes the renderer, keeps Node out of it', () => {
    const prefs = newWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.js');
  });

  it('production windows have no developer tools, and close any that open (review: DevTools on)', () => {
    const w = newWindow(undefined, true);
    expect((w.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    state.closedDevTools = 0;
    w.contents.emit('devtools-opened');
    expect(state.closedDevTools).toBe(1);
    expect((newWindow().options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });

  it('keeps web security on and refuses insecure or experimental content', () => {
    const prefs = newWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('sends a strict Content-Security-Policy on every response', () => {
    const w = newWindow();
    let out: Record<string, string[]> = {};
    w.contents.session.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    const csp = out['Content-Security-Policy']![0]!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('serves the app from the custom app:// protocol, restricted to the renderer folder', async () => {
    const w = newWindow();
    expect(w.loadedUrl).toBe('app://workstation/index.html');
    registerAppScheme();
    expect(state.privileged).toContainEqual(expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }));
    handleAppProtocol('/nonexistent/renderer');
    const handler = state.protocolHandlers.get('app')!;
    expect((await handler(new Request('app://workstation/..%2f..%2fetc/passwd'))).status).toBe(400);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('blocks navigation away from the app', () => {
    const w = newWindow();
    for (const event of ['will-navigate', 'will-redirect']) {
      const foreign = prevented();
      w.contents.emit(event, foreign, 'https://evil.example/');
      expect(foreign.defaultPrevented).toBe(true);
      const own = prevented();
      w.contents.emit(event, own, 'app://workstation/index.html');
      expect(own.defaultPrevented).toBe(false);
    }
    const frame = Object.assign(prevented(), { url: 'https://evil.example/frame' });
    w.contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
  });

  it('denies window.open; only allow-listed links reach the system browser', () => {
    const w = newWindow();
    expect(w.contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(w.contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(w.contents.windowOpenHandler!({ url: 'https://www.monespacesante.fr/aide' })).toEqual({ action: 'deny' });
    expect(state.openExternal).toEqual(['https://www.monespacesante.fr/aide']);
  });

  it('denies every permission request', () => {
    const w = newWindow();
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      w.contents.session.permissionRequest!({}, p, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(w.contents.session.permissionCheck!()).toBe(false);
    expect(w.contents.session.devicePermission!()).toBe(false);
  });

  it('allows no <webview>', () => {
    const w = newWindow();
    expect((w.options.webPreferences as Record<string, unknown>).webviewTag).toBe(false);
    const e = prevented();
    w.contents.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });

  it('loads no remote content: every http(s)/ws request is cancelled', () => {
    const w = newWindow();
    const { filter, fn } = w.contents.session.beforeRequest!;
    expect(filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
    let cancel: boolean | undefined;
    fn({ url: 'https://cdn.example/lib.js' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
  });

  it('in development, trusts only the electron-vite dev server origin', () => {
    const w = newWindow('http://localhost:5173');
    let cancel: boolean | undefined;
    w.contents.session.beforeRequest!.fn({ url: 'http://localhost:5173/src/main.tsx' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(false);
    w.contents.session.beforeRequest!.fn({ url: 'http://localhost:9999/x' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
  });
});

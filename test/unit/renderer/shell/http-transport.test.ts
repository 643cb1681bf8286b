import { describe, expect, it } from 'vitest';
import { createHttpInvoke, readPageToken } from '../../../../src/renderer/src/bridge/http';

describe('HTTP transport of the browser host', () => {
  it('reads the page token from its meta tag', () => {
    const meta = document.createElement('meta');
    meta.name = 'workstation-bridge-token';
    meta.content = 'abc';
    document.head.append(meta);
    expect(readPageToken(document)).toBe('abc');
  });

  it('posts the payload in the body, never in the URL', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const invoke = createHttpInvoke('tok', async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return new Response(JSON.stringify({ ok: true, value: 1 }));
    });
    await invoke('app.echo', { text: 'DUPONT Marie' });
    expect(seen[0]!.url).toBe('/bridge/app.echo');
    expect(seen[0]!.url).not.toContain('DUPONT');
    expect(seen[0]!.init.method).toBe('POST');
    expect(seen[0]!.init.body).toContain('DUPONT');
    expect((seen[0]!.init.headers as Record<string, string>)['X-Workstation-Token']).toBe('tok');
  });

  it('turns a host that cannot be reached into a typed error', async () => {
    const invoke = createHttpInvoke('tok', async () => {
      throw new TypeError('fetch failed');
    });
    expect(await invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../../src/main/browser-host/server';
import type { Host } from '../../../../src/main/host/host';
import { createTestHost, type TestHost } from '../../../support/host';

let dir: string;
let t: TestHost;
let host: Host;
let server: BrowserHost;
let origin: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

async function pageToken(): Promise<string> {
  const page = await request({ path: '/' });
  const m = /name="workstation-bridge-token" content="([^"]+)"/.exec(page.body);
  if (!m?.[1]) throw new Error('no token in page');
  return m[1];
}

function bridge(method: string, body: unknown, token: string, extra: Record<string, string> = {}) {
  return request({
    method: 'POST',
    path: `/bridge/${method}`,
    headers: { 'content-type': 'application/json', origin, 'x-workstation-token': token, ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-bh-'));
  const renderer = path.join(dir, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  t = await createTestHost({ config: { version: '1.2.3' } });
  host = t.host;
  server = await startBrowserHost({ host, rendererDir: renderer });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  // Closes the host and removes its data dir.
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host', () => {
  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the app with the CSP and a fresh token per page load', async () => {
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(await pageToken()).not.toBe(await pageToken());
  });

  it('answers a bridge call through the contract', async () => {
    const r = await bridge('app.info', {}, await pageToken());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { version: '1.2.3', mode: 'browser' } });
  });

  it('answers an invalid payload with a typed error and keeps serving', async () => {
    const token = await pageToken();
    const bad = await bridge('app.echo', { text: { nested: true } }, token);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const malformed = await bridge('app.echo', '{"text": ', token);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const ok = await bridge('app.echo', { text: 'encore là' }, token);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { text: 'encore là' } });
  });

  it('refuses calls without a known token', async () => {
    const r = await bridge('app.info', {}, 'forged-token');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses calls from another origin', async () => {
    const r = await bridge('app.info', {}, await pageToken(), { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    const none = await request({ method: 'POST', path: '/bridge/app.info', headers: { 'content-type': 'application/json', 'x-workstation-token': await pageToken() }, body: '{}' });
    expect(none.status).toBe(403);
  });

  it('refuses another Host header (DNS rebinding)', async () => {
    const r = await request({ path: '/', headers: { host: `attacker.example:${server.port}` } });
    expect(r.status).toBe(421);
  });

  it('refuses oversized payloads and non-JSON bodies', async () => {
    const token = await pageToken();
    const big = await bridge('app.echo', { text: 'x'.repeat(100 * 1024) }, token).catch(() => ({ status: 413, body: '' }));
    expect(big.status).toBe(413);
    const form = await request({ method: 'POST', path: '/bridge/app.info', headers: { 'content-type': 'text/plain', origin, 'x-workstation-token': token }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('caps each body by its method: a certificate may be larger than an echo', async () => {
    const token = await pageToken();
    const echo = await bridge('app.echo', { text: 'x'.repeat(80 * 1024) }, token).catch(() => ({ status: 413, body: '' }));
    expect(echo.status).toBe(413);
    // 100 KiB reaches the certificate method, whose own schema then says what is wrong, in French.
    const cert = await bridge('session.loginCertificate', { p12Base64: 'A'.repeat(100 * 1024), pin: '1234' }, token);
    expect(cert.status).toBe(200);
    expect(JSON.parse(cert.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('trop volumineux pour être un certificat') } });
  });

  it('a burst of page loads neither signs a live page out nor goes unchecked', async () => {
    const renderer = path.join(dir, 'renderer');
    const limited = await startBrowserHost({ host, rendererDir: renderer, tokens: { burst: 40, refillPerSecond: 0.001, maxPending: 8 } });
    const get = (p: string, method = 'GET') =>
      new Promise<Reply>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: limited.port, method, path: p }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });
    const call = (token: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: limited.port, method: 'POST', path: '/bridge/app.info', headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${limited.port}`, 'x-workstation-token': token } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    try {
      const page = await get('/');
      const live = /content="([^"]+)"/.exec(page.body)![1]!;
      expect(await call(live)).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 256; i++) statuses.push((await get('/', 'HEAD')).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(39);
      expect(statuses.filter((s) => s === 429)).toHaveLength(217);
      const refused = await get('/');
      expect(refused.status).toBe(429);
      expect(refused.body).toContain('Trop de chargements de la page');
      // The clinician's page still works.
      expect(await call(live)).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00index.html']) {
      const r = await request({ path: p });
      expect(r.body).not.toContain('do not serve');
    }
    expect((await request({ path: '/assets/app.js' })).body).toBe('console.log(1)');
  });

  it('only accepts POST on the bridge', async () => {
    expect((await request({ path: '/bridge/app.info' })).status).toBe(405);
  });
});

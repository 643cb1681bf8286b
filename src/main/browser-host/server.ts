import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOKEN_HEADER, TOKEN_META } from '../../shared/bridge/browser-host';
import { maxInputBytes } from '../../shared/bridge/contract';
import { fail, type Result } from '../../shared/bridge/result';
import type { Host } from '../host/host';
import { SECURITY_HEADERS } from '../security/csp';
import { mimeType, resolveInside } from '../security/static-files';
import { createTokenRegistry, type TokenRegistryOptions } from './tokens';

export interface BrowserHostOptions {
  host: Host;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Page-token limits (tests shorten them); the bridge's body caps come from the contract, per method. */
  tokens?: TokenRegistryOptions;
}

export interface BrowserHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the renderer and the bridge over loopback HTTP, for tests, demos and
 * machines without the Electron runtime. Each page load is handed a fresh random
 * token (in a meta tag): it identifies that page as a bridge client, and a
 * request without a known token, from another origin or for another Host
 * (DNS rebinding) is refused. Bridge payloads travel in POST bodies only, so no
 * patient data ever appears in a URL, and each method's body is capped by its contract entry.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const { host, rendererDir } = opts;
  const tokens = createTokenRegistry(opts.tokens);
  let allowedHosts: string[] = [];

  const indexTemplate = await readFile(resolveInside(rendererDir, '/index.html')!, 'utf8').catch(() => {
    throw new Error(`Interface introuvable dans ${rendererDir} : lancez « npm run build » d'abord.`);
  });

  function sendJson(res: http.ServerResponse, status: number, body: Result<unknown>) {
    const data = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
    res.end(data);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    const file = resolveInside(rendererDir, pathname);
    if (!file) {
      res.writeHead(400, SECURITY_HEADERS).end();
      return;
    }
    const isIndex = file.endsWith('/index.html') || !/\.[a-z0-9]+$/i.test(pathname);
    if (isIndex) {
      // Client-side routes fall back to the app shell; each load gets its own token.
      const token = tokens.mint();
      if (!token) {
        res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : 'Trop de chargements de la page en peu de temps : patientez quelques secondes puis rechargez.');
        return;
      }
      const html = indexTemplate.replace('</head>', `<meta name="${TOKEN_META}" content="${token}"></head>`);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': mimeType(file), 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch {
      res.writeHead(404, SECURITY_HEADERS).end();
    }
  }

  async function serveBridge(req: http.IncomingMessage, res: http.ServerResponse, method: string) {
    // Same-origin only: a page elsewhere in the user's browser cannot drive the bridge.
    if (req.headers.origin !== `http://${req.headers.host}`) {
      sendJson(res, 403, fail('FORBIDDEN', 'Origine refusée.'));
      req.resume();
      return;
    }
    const token = req.headers[TOKEN_HEADER.toLowerCase()];
    const clientId = typeof token === 'string' ? tokens.use(token) : undefined;
    if (!clientId) {
      sendJson(res, 403, fail('UNAUTHENTICATED', 'Session du navigateur inconnue : rechargez la page.'));
      req.resume();
      return;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, fail('INVALID_INPUT', 'Format de requête non pris en charge (JSON attendu).'));
      req.resume();
      return;
    }
    const maxBody = maxInputBytes(method);
    if (Number(req.headers['content-length'] ?? 0) > maxBody) {
      sendJson(res, 413, fail('INVALID_INPUT', tooLargeMessage(maxBody)));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk as Buffer);
    }
    if (tooLarge) {
      sendJson(res, 413, fail('INVALID_INPUT', tooLargeMessage(maxBody)));
      req.destroy();
      return;
    }
    let input: unknown;
    try {
      input = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      sendJson(res, 400, fail('INVALID_INPUT', 'Requête illisible (JSON mal formé).'));
      return;
    }
    const result = await host.dispatch(method, input, { clientId, transport: 'http' });
    sendJson(res, 200, result);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421, SECURITY_HEADERS).end();
      req.resume();
      return;
    }
    const handle = async () => {
      if (url.pathname.startsWith('/bridge/')) {
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST', ...SECURITY_HEADERS }).end();
          return;
        }
        await serveBridge(req, res, url.pathname.slice('/bridge/'.length));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
        return;
      }
      await serveStatic(req, res, url.pathname);
    };
    handle().catch((err: unknown) => {
      host.config.logger.error('browser host request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendJson(res, 500, fail('INTERNAL', 'Erreur interne du poste.'));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tooLargeMessage(limit: number): string {
  return `Requête trop volumineuse pour cette action (limite ${Math.round(limit / 1024)} Ko).`;
}

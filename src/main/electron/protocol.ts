import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { SECURITY_HEADERS } from '../security/csp';
import { mimeType, resolveInside } from '../security/static-files';
import { APP_HOST, APP_SCHEME } from './origins';

/** Must run before app 'ready': app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves only files of the built renderer folder, with the security headers. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response(null, { status: 404 });
    const file = resolveInside(rendererDir, url.pathname);
    if (!file) return new Response(null, { status: 400 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { 'Content-Type': mimeType(file), ...SECURITY_HEADERS } });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

import type { MethodName } from '../../../shared/bridge/contract';
import { TOKEN_HEADER, TOKEN_META } from '../../../shared/bridge/browser-host';
import { fail, type Result } from '../../../shared/bridge/result';

const STORED_TOKEN = 'workstation-bridge-token';

export function readPageToken(doc: Document): string {
  return doc.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? '';
}

/**
 * The page keeps its bridge token across reloads of the same tab (sessionStorage),
 * as an Electron window keeps its session when it reloads; a token the host no
 * longer knows (host restarted) is replaced by the fresh one of this page load.
 */
export function createTokenSource(doc: Document, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {
  const fresh = readPageToken(doc);
  let current = storage?.getItem(STORED_TOKEN) || fresh;
  storage?.setItem(STORED_TOKEN, current);
  return {
    get: () => current,
    /** Falls back to this page's own token; false when there is nothing else to try. */
    reset(): boolean {
      if (current === fresh) return false;
      current = fresh;
      storage?.setItem(STORED_TOKEN, current);
      return true;
    },
  };
}

/**
 * HTTP transport of the browser host: POST /bridge/<method>, JSON body, the
 * page's token in a header. Payloads never go in the URL. A host that cannot be
 * reached answers a typed UNAVAILABLE error like any other failure.
 */
export function createHttpInvoke(token: string | { get(): string; reset(): boolean }, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  const source = typeof token === 'string' ? { get: () => token, reset: () => false } : token;
  return async function invoke(method: MethodName, input: unknown): Promise<Result<unknown>> {
    for (;;) {
      let response: Response;
      try {
        response = await fetchImpl(`/bridge/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: source.get() },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch {
        return fail('UNAVAILABLE', 'Le service local du poste ne répond pas. Vérifiez qu’il est lancé, puis réessayez.');
      }
      let result: Result<unknown>;
      try {
        result = (await response.json()) as Result<unknown>;
      } catch {
        return fail('INTERNAL', `Réponse illisible du service local (HTTP ${response.status}).`);
      }
      // A stored token from before a host restart: retry once with this page's own token.
      if (response.status === 403 && !result.ok && result.error.code === 'UNAUTHENTICATED' && source.reset()) continue;
      return result;
    }
  };
}

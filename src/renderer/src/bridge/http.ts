import type { MethodName } from '../../../shared/bridge/contract';
import { fail, type Result } from '../../../shared/bridge/result';

export const TOKEN_META = 'workstation-bridge-token';

export function readPageToken(doc: Document): string {
  return doc.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? '';
}

/**
 * HTTP transport of the browser host: POST /bridge/<method>, JSON body, the
 * page's token in a header. Payloads never go in the URL. A host that cannot be
 * reached answers a typed UNAVAILABLE error like any other failure.
 */
export function createHttpInvoke(token: string, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  return async function invoke(method: MethodName, input: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await fetchImpl(`/bridge/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Workstation-Token': token },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      return fail('UNAVAILABLE', 'Le service local du poste ne répond pas. Vérifiez qu’il est lancé, puis réessayez.');
    }
    try {
      return (await response.json()) as Result<unknown>;
    } catch {
      return fail('INTERNAL', `Réponse illisible du service local (HTTP ${response.status}).`);
    }
  };
}

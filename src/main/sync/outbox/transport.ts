import http from 'node:http';
import https from 'node:https';
import type { HospitalConnection } from '../config';

export interface FhirAnswer {
  status: number;
  body: unknown;
}

/** A request that never reached an answer: refused, reset, timed out. Transient by nature. */
export class NetworkError extends Error {}

export interface FhirTransport {
  request(method: 'GET' | 'POST' | 'PUT', relPath: string, body?: unknown, headers?: Record<string, string>): Promise<FhirAnswer>;
}

/**
 * JSON over HTTP(S) to the hospital's FHIR endpoint, with the establishment certificate for mutual TLS or a bearer
 * token when configured. A timeout aborts the socket: the server may still apply the request, which is why every
 * create is conditional.
 */
export function createFhirTransport(connection: HospitalConnection, opts: { timeoutMs?: number } = {}): FhirTransport {
  const base = new URL(connection.baseUrl.endsWith('/') ? connection.baseUrl : connection.baseUrl + '/');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const tls = connection.tls;
  const agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...(tls ? { cert: tls.certPem, key: tls.keyPem, ...(tls.caPem ? { ca: tls.caPem } : {}) } : {}) }) : new http.Agent({ keepAlive: true });
  return {
    async request(method, relPath, body, headers = {}) {
      const url = new URL(relPath.replace(/^\//, ''), base);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      const auth = connection.token ? { Authorization: `Bearer ${await connection.token()}` } : {};
      return new Promise<FhirAnswer>((resolve, reject) => {
        const req = (url.protocol === 'https:' ? https : http).request(
          url,
          {
            method,
            agent,
            headers: { Accept: 'application/fhir+json', ...(payload ? { 'Content-Type': 'application/fhir+json', 'Content-Length': String(payload.length) } : {}), ...auth, ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', (e) => reject(new NetworkError(e.message)));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                parsed = text;
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new NetworkError(`pas de réponse du serveur hospitalier en ${Math.round(timeoutMs / 1000)} s`)));
        req.on('error', (e) => reject(e instanceof NetworkError ? e : new NetworkError(e.message)));
        req.end(payload);
      });
    },
  };
}

import http from 'node:http';
import https from 'node:https';
import type { HospitalConnection } from './config';

/** A failure talking to the hospital server, with its French message and whether trying again may help. */
export class FhirError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout' | 'http' | 'too-large' | 'invalid',
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface FhirClientOptions {
  /** No byte for this long (connect included) → the request fails with a timeout. */
  timeoutMs?: number;
  /** Largest JSON response accepted. */
  maxResponseBytes?: number;
  /** Largest NDJSON line (one resource). */
  maxLineBytes?: number;
  /** Attempts for a request that is safe to repeat (GET, export kick-off). */
  attempts?: number;
  /** First backoff; doubled each attempt, with jitter. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send again after a failure (GET, conditional or idempotent writes). GET is by default. */
  retry?: boolean;
}

export interface FhirResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'requête refusée',
  401: 'authentification refusée (certificat ou jeton)',
  403: 'accès refusé au poste',
  404: 'ressource introuvable',
  408: 'délai dépassé côté serveur',
  409: 'conflit',
  410: 'ressource supprimée',
  412: 'version périmée (modifiée entre-temps)',
  422: 'ressource invalide',
  429: 'trop de requêtes',
  500: 'erreur interne',
  502: 'passerelle en erreur',
  503: 'service indisponible',
  504: 'passerelle sans réponse',
};
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connexion refusée',
  ECONNRESET: 'connexion interrompue',
  EPIPE: 'connexion interrompue',
  ENOTFOUND: 'nom de serveur inconnu',
  EAI_AGAIN: 'nom de serveur non résolu',
  EHOSTUNREACH: 'hôte injoignable',
  ENETUNREACH: 'réseau injoignable',
  ETIMEDOUT: 'délai de connexion dépassé',
};

function diagnosticsOf(json: unknown): string | undefined {
  const issue = (json as { resourceType?: string; issue?: { diagnostics?: string; details?: { text?: string } }[] } | null)?.issue?.[0];
  const text = issue?.diagnostics ?? issue?.details?.text;
  return typeof text === 'string' ? text.slice(0, 300) : undefined;
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function httpError(status: number, json: unknown, headers: http.IncomingHttpHeaders): FhirError {
  const what = STATUS_TEXT[status] ?? 'réponse inattendue';
  const detail = diagnosticsOf(json);
  return new FhirError(`Le serveur hospitalier a répondu ${status} (${what})${detail ? ` : ${detail}` : '.'}`, 'http', RETRYABLE_STATUS.has(status), status, retryAfterMs(headers['retry-after']));
}

export type FhirClient = ReturnType<typeof createFhirClient>;

/**
 * FHIR R4 over HTTP(S) to the hospital: mutual TLS with the establishment certificate or a bearer token, an idle
 * timeout, bounded responses, French errors, retries (with backoff, honouring Retry-After) only for requests
 * that are safe to repeat, and links followed only on the server's own origin (the certificate and token go nowhere else).
 */
export function createFhirClient(connection: HospitalConnection, options: FhirClientOptions = {}) {
  const base = new URL(connection.baseUrl.replace(/\/+$/, '') + '/');
  const secure = base.protocol === 'https:';
  if (!secure && base.protocol !== 'http:') throw new FhirError(`Adresse du serveur hospitalier invalide : ${connection.baseUrl} (http ou https attendu).`, 'invalid', false);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const maxLine = options.maxLineBytes ?? 40 * 1024 * 1024;
  const attempts = options.attempts ?? 4;
  const backoff = options.backoffMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 6, ...(connection.tls ? { cert: connection.tls.certPem, key: connection.tls.keyPem, ...(connection.tls.caPem ? { ca: connection.tls.caPem } : {}) } : {}) })
    : new http.Agent({ keepAlive: true, maxSockets: 6 });

  function resolve(pathOrUrl: string): URL {
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\/+/, ''), base);
    if (url.origin !== base.origin) throw new FhirError(`Lien refusé : ${url.origin} n’est pas le serveur hospitalier configuré (${base.origin}).`, 'invalid', false);
    return url;
  }

  /** One HTTP exchange; the response body is handed to `consume` (bounded JSON, or a line stream). */
  async function exchange<T>(method: string, url: URL, opts: RequestOptions, consume: (res: http.IncomingMessage) => Promise<T>): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/fhir+json', ...opts.headers };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body), 'utf8');
      headers['Content-Type'] ??= 'application/fhir+json';
      headers['Content-Length'] = String(payload.length);
    }
    if (connection.token) headers.Authorization = `Bearer ${await connection.token()}`;
    return new Promise<T>((done, fail) => {
      const req = (secure ? https : http).request(url, { method, headers, agent }, (res) => {
        consume(res).then(done, (err: unknown) => {
          res.destroy();
          fail(err);
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new FhirError(`Le serveur hospitalier n’a pas répondu dans les ${Math.round(timeoutMs / 1000)} s.`, 'timeout', true)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof FhirError) return fail(err);
        const what = NETWORK_TEXT[err.code ?? ''] ?? err.code ?? err.message;
        fail(new FhirError(`Serveur hospitalier injoignable (${what}) : ${base.origin}.`, 'network', true));
      });
      req.end(payload);
    });
  }

  async function readJson(res: http.IncomingMessage): Promise<FhirResponse> {
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown = null;
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new FhirError(`Réponse illisible du serveur hospitalier (JSON invalide, statut ${res.statusCode}).`, 'invalid', false);
      }
    }
    const status = res.statusCode ?? 0;
    if (status >= 400) throw httpError(status, json, res.headers);
    return { status, headers: res.headers, json };
  }

  function tooLarge(): FhirError {
    return new FhirError(`Réponse du serveur hospitalier trop volumineuse (plus de ${Math.round(maxBytes / 1024 / 1024)} Mo).`, 'too-large', false);
  }

  /** Runs `once` again after a retryable failure while attempts remain, waiting backoff × 2^n with jitter, or Retry-After. */
  async function withRetry<T>(retry: boolean, once: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (err) {
        if (!(err instanceof FhirError) || !err.retryable || !retry || attempt >= attempts) throw err;
        const wait = err.retryAfterMs ?? backoff * 2 ** (attempt - 1) * (0.5 + Math.random());
        await sleep(Math.min(wait, 30_000));
      }
    }
  }

  async function request(method: string, pathOrUrl: string, opts: RequestOptions = {}): Promise<FhirResponse> {
    const url = resolve(pathOrUrl);
    return withRetry(opts.retry ?? method === 'GET', () => exchange(method, url, opts, readJson));
  }

  /**
   * Streams an NDJSON file line by line into `onResource` (awaited: backpressure). A retry after a cut resumes
   * past the lines already delivered, so none is handed over twice by this call.
   */
  async function streamNdjson(pathOrUrl: string, onResource: (resource: Record<string, unknown>) => Promise<void> | void): Promise<number> {
    const url = resolve(pathOrUrl);
    let delivered = 0;
    await withRetry(true, () =>
      exchange('GET', url, { headers: { Accept: 'application/fhir+ndjson' } }, async (res) => {
        if ((res.statusCode ?? 0) >= 400) return void (await readJson(res));
        let index = 0;
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        const line = async (buf: Buffer) => {
          const text = buf.toString('utf8').trim();
          if (!text) return;
          if (index++ < delivered) return;
          let resource: unknown;
          try {
            resource = JSON.parse(text);
          } catch {
            throw new FhirError(`Fichier d’export illisible (ligne ${index} : JSON invalide).`, 'invalid', false);
          }
          await onResource(resource as Record<string, unknown>);
          delivered++;
        };
        for await (const chunk of res as AsyncIterable<Buffer>) {
          let from = 0;
          for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
            pending.push(chunk.subarray(from, nl));
            await line(Buffer.concat(pending));
            pending = [];
            pendingBytes = 0;
            from = nl + 1;
          }
          pendingBytes += chunk.length - from;
          if (pendingBytes > maxLine) throw new FhirError(`Fichier d’export refusé : une ressource dépasse ${Math.round(maxLine / 1024 / 1024)} Mo.`, 'too-large', false);
          if (from < chunk.length) pending.push(chunk.subarray(from));
        }
        if (!res.complete) throw new FhirError('Téléchargement de l’export interrompu (connexion coupée).', 'network', true);
        if (pending.length) await line(Buffer.concat(pending));
      }),
    );
    return delivered;
  }

  return {
    baseUrl: base.href.replace(/\/$/, ''),
    request,
    streamNdjson,
    sleep,
    close: () => agent.destroy(),
  };
}

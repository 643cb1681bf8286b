import http from 'node:http';
import https from 'node:https';
import { DmpError } from './errors';
import { DEFAULT_MAX_XML_BYTES } from './xml';

export interface TransportOptions {
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Establishment certificate and key for mutual TLS (https endpoints only). */
  tls?: { certPem: string; keyPem: string; caPems?: string[] };
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface Transport {
  post(url: string, body: Buffer, contentType: string, soapAction: string): Promise<HttpResponse>;
  close(): void;
}

/** HTTP(S) POST with connect/whole-call timeouts, a response size cap and mTLS. */
export function createTransport(opts: TransportOptions = {}): Transport {
  const connectTimeout = opts.connectTimeoutMs ?? 5_000;
  const callTimeout = opts.callTimeoutMs ?? 30_000;
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_XML_BYTES;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    ...(opts.tls ? { cert: opts.tls.certPem, key: opts.tls.keyPem, ...(opts.tls.caPems ? { ca: opts.tls.caPems } : {}) } : {}),
  });

  function post(url: string, body: Buffer, contentType: string, soapAction: string): Promise<HttpResponse> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(new DmpError('DMP_CONFIG_INVALID', "L'adresse du DMP configurée est invalide."));
    }
    const isHttps = target.protocol === 'https:';
    if (!isHttps && target.protocol !== 'http:') {
      return Promise.reject(new DmpError('DMP_CONFIG_INVALID', "L'adresse du DMP doit commencer par https:// (ou http:// pour le DMP de test local)."));
    }
    if (isHttps && !opts.tls) {
      return Promise.reject(new DmpError('DMP_CONFIG_INVALID', "Le certificat d'établissement n'est pas configuré : la connexion sécurisée au DMP est impossible."));
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (e: DmpError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(callTimer);
        clearTimeout(connectTimer);
        req.destroy();
        reject(e);
      };
      const lib = isHttps ? https : http;
      const req = lib.request(target, {
        method: 'POST',
        agent: isHttps ? httpsAgent : httpAgent,
        headers: {
          'Content-Type': contentType,
          'Content-Length': String(body.length),
          // SOAP 1.2 carries the action in Content-Type; SOAPAction kept for SOAP 1.1-minded proxies.
          SOAPAction: `"${soapAction}"`,
        },
      });
      let connectTimer: NodeJS.Timeout | undefined;
      const callTimer = setTimeout(
        () => fail(new DmpError('DMP_TIMEOUT', `Le DMP n'a pas répondu dans le délai de ${Math.round(callTimeout / 1000)} s. Réessayez ; si le problème persiste, le service DMP est peut-être indisponible.`)),
        callTimeout,
      );
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(
          () => fail(new DmpError('DMP_UNREACHABLE', `Connexion au DMP impossible en ${Math.round(connectTimeout / 1000)} s. Vérifiez la connexion réseau de l'établissement.`)),
          connectTimeout,
        );
        socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
          fail(new DmpError('DMP_CONNECTION_RESET', 'La connexion avec le DMP a été interrompue. Réessayez.', { cause: e }));
        } else if (e.code?.startsWith('ERR_TLS') || e.code?.startsWith('ERR_SSL') || e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || e.code === 'CERT_HAS_EXPIRED') {
          fail(new DmpError('DMP_UNREACHABLE', "La connexion sécurisée au DMP a échoué (certificat refusé). Vérifiez le certificat d'établissement.", { cause: e }));
        } else {
          fail(new DmpError('DMP_UNREACHABLE', 'Le DMP est injoignable. Vérifiez la connexion réseau de l\'établissement puis réessayez.', { cause: e }));
        }
      });
      req.on('response', (res) => {
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > maxBytes) {
          fail(new DmpError('DMP_RESPONSE_TOO_LARGE', `La réponse du DMP dépasse la taille maximale acceptée (${Math.round(maxBytes / 1024 / 1024)} Mo) : elle a été rejetée.`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            fail(new DmpError('DMP_RESPONSE_TOO_LARGE', `La réponse du DMP dépasse la taille maximale acceptée (${Math.round(maxBytes / 1024 / 1024)} Mo) : elle a été rejetée.`));
            return;
          }
          chunks.push(c);
        });
        res.on('aborted', () => fail(new DmpError('DMP_CONNECTION_RESET', 'La connexion avec le DMP a été interrompue pendant la réponse. Réessayez.')));
        res.on('error', () => fail(new DmpError('DMP_CONNECTION_RESET', 'La connexion avec le DMP a été interrompue pendant la réponse. Réessayez.')));
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) {
            fail(new DmpError('DMP_CONNECTION_RESET', 'La connexion avec le DMP a été interrompue pendant la réponse. Réessayez.'));
            return;
          }
          settled = true;
          clearTimeout(callTimer);
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
        });
      });
      req.end(body);
    });
  }

  return {
    post,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

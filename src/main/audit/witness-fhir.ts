import http from 'node:http';
import https from 'node:https';
import type { Checkpoint } from './checkpoint';
import type { ConsistencyProof } from './proofs';
import type { WitnessPort, WitnessRecord } from './witness';
import type { HospitalConnection } from '../sync/config';

/**
 * Checkpoints are witnessed as FHIR `Basic` resources: no FHIR resource is "a signed tree head"
 * (AuditEvent records an event, Provenance needs targets it would point at), and Basic is FHIR's
 * own resource for such content: a code saying what it is, identifiers to find it (one per journal
 * origin, one per checkpoint for an idempotent conditional create), and extensions carrying the
 * signed note and the consistency proof verbatim, so an auditor can check the chain from the server alone.
 */
export const WITNESS_SYSTEM = 'urn:chu-workstation:journal';
const ORIGIN_ID = `${WITNESS_SYSTEM}:origin`;
const CHECKPOINT_ID = `${WITNESS_SYSTEM}:checkpoint`;
const EXT = 'urn:chu-workstation:journal:checkpoint#';
const TIMEOUT_MS = 15_000;
const MAX_PAGES = 1000;

type Extension = { url: string; valueString?: string; valueInteger?: number; valueBase64Binary?: string; valueInstant?: string; extension?: Extension[] };
type Json = Record<string, unknown>;

function toBasic(record: WitnessRecord): Json {
  const cp = record.checkpoint;
  const ext: Extension[] = [
    { url: EXT + 'origin', valueString: cp.origin },
    { url: EXT + 'index', valueInteger: cp.index },
    { url: EXT + 'treeSize', valueInteger: cp.treeSize },
    { url: EXT + 'rootHash', valueBase64Binary: cp.rootHash },
    { url: EXT + 'time', valueString: cp.time },
    { url: EXT + 'keyId', valueString: cp.keyId },
    { url: EXT + 'prev', valueString: cp.prev },
    { url: EXT + 'signature', valueBase64Binary: cp.signature },
  ];
  const c = record.consistency;
  if (c) {
    ext.push({
      url: EXT + 'consistency',
      extension: [
        { url: 'size1', valueInteger: c.size1 },
        { url: 'size2', valueInteger: c.size2 },
        { url: 'root1', valueBase64Binary: c.root1 },
        { url: 'root2', valueBase64Binary: c.root2 },
        ...c.proof.map((h) => ({ url: 'proof', valueBase64Binary: h })),
      ],
    });
  }
  return {
    resourceType: 'Basic',
    identifier: [
      { system: ORIGIN_ID, value: cp.origin },
      { system: CHECKPOINT_ID, value: `${cp.origin}:${cp.index}` },
    ],
    code: { coding: [{ system: WITNESS_SYSTEM, code: 'checkpoint', display: 'Point de contrôle signé du journal d’audit' }] },
    created: cp.time.slice(0, 10),
    extension: ext,
  };
}

/** The checkpoint a Basic carries, or null when it is not a well-formed one. */
export function checkpointFromBasic(resource: Json): Checkpoint | null {
  const ext = (resource.extension as Extension[] | undefined) ?? [];
  const get = (name: string): Extension | undefined => ext.find((e) => e.url === EXT + name);
  const str = (name: string): string | undefined => get(name)?.valueString ?? get(name)?.valueBase64Binary;
  const int = (name: string): number | undefined => get(name)?.valueInteger;
  const cp = {
    index: int('index'),
    origin: str('origin'),
    treeSize: int('treeSize'),
    rootHash: str('rootHash'),
    time: str('time'),
    keyId: str('keyId'),
    prev: str('prev'),
    signature: str('signature'),
  };
  return Object.values(cp).every((v) => v !== undefined) ? (cp as Checkpoint) : null;
}

export function consistencyFromBasic(resource: Json): ConsistencyProof | null {
  const parts = ((resource.extension as Extension[] | undefined) ?? []).find((e) => e.url === EXT + 'consistency')?.extension;
  if (!parts) return null;
  const one = (u: string): Extension | undefined => parts.find((p) => p.url === u);
  return {
    size1: one('size1')?.valueInteger ?? 0,
    size2: one('size2')?.valueInteger ?? 0,
    root1: one('root1')?.valueBase64Binary ?? '',
    root2: one('root2')?.valueBase64Binary ?? '',
    proof: parts.filter((p) => p.url === 'proof').map((p) => p.valueBase64Binary ?? ''),
  };
}

/** One JSON request with the connection's TLS client certificate and bearer token, bounded in time. */
async function request(conn: HospitalConnection, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const token = conn.token ? await conn.token() : undefined;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method,
        timeout: TIMEOUT_MS,
        headers: {
          Accept: 'application/fhir+json',
          ...(payload ? { 'Content-Type': 'application/fhir+json', 'Content-Length': String(payload.length) } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(conn.tls ? { cert: conn.tls.certPem, key: conn.tls.keyPem, ...(conn.tls.caPem ? { ca: conn.tls.caPem } : {}) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Json) : {} });
          } catch {
            reject(new Error(`réponse illisible du serveur hospitalier (HTTP ${res.statusCode})`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('délai dépassé')));
    req.on('error', reject);
    req.end(payload);
  });
}

function failure(status: number, json: Json): Error {
  const issue = (json.issue as { diagnostics?: string }[] | undefined)?.[0]?.diagnostics;
  return new Error(`HTTP ${status}${issue ? ` : ${issue}` : ''}`);
}

/** The witness on the hospital's FHIR server (the connection the sync engine uses). */
export function createFhirWitnessPort(conn: HospitalConnection): WitnessPort {
  const base = conn.baseUrl.replace(/\/+$/, '');
  return {
    async submit(record) {
      const ifNoneExist = `identifier=${encodeURIComponent(`${CHECKPOINT_ID}|${record.checkpoint.origin}:${record.checkpoint.index}`)}`;
      const { status, json } = await request(conn, 'POST', `${base}/Basic`, toBasic(record), { 'If-None-Exist': ifNoneExist });
      if (status !== 200 && status !== 201) throw failure(status, json);
    },
    async latest(origin) {
      // Every record of the origin, highest index kept: a replayed older record cannot hide a newer one.
      let url: string | undefined = `${base}/Basic?identifier=${encodeURIComponent(`${ORIGIN_ID}|${origin}`)}&_count=500`;
      let best: Checkpoint | null = null;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const { status, json }: { status: number; json: Json } = await request(conn, 'GET', url);
        if (status !== 200) throw failure(status, json);
        for (const e of (json.entry as { resource?: Json }[] | undefined) ?? []) {
          const cp = e.resource ? checkpointFromBasic(e.resource) : null;
          if (cp && cp.origin === origin && (!best || cp.index > best.index)) best = cp;
        }
        url = (json.link as { relation?: string; url?: string }[] | undefined)?.find((l) => l.relation === 'next')?.url;
      }
      return best;
    },
  };
}

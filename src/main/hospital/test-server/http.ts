import type http from 'node:http';
import { getStatus, isResourceType } from '@medplum/core';
import type { FhirRequest, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { BadExportRequest, bulkJobReply, exportRequest, sendFile, type BulkReply } from './bulk-http';
import type { Exporter } from './export';
import type { FaultBox } from './faults';
import { frenchOutcome, outcome } from './outcome';
import type { HospitalRepository } from './repository';
import type { ServerStore } from './store';

export const BASE_PATH = '/fhir/R4';
/** Largest body accepted: a transaction of a few documents with their PDF (base64) fits; 10× that does not. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_COUNT = 20;
const MAX_COUNT = 10_000;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface ServerContext {
  repo: HospitalRepository;
  router: FhirRouter;
  store: ServerStore;
  exporter: Exporter;
  faults: FaultBox;
  baseUrl(): string;
  controls: { latencyMs: number; failRate: number };
  stats: { requests: number; busyMs: number };
  /** Runs router calls one at a time: a transaction's undo never races another write. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** After each write: the caller compacts when the log has grown. */
  afterWrite(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly body: OperationOutcome) {
    super(body.issue?.[0]?.diagnostics ?? String(status));
  }
}

const bad = (message: string): HttpError => new HttpError(400, outcome('invalid', message));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': FHIR_JSON } : {}), 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The body, bounded: past the cap the request is refused (413) without reading the rest. */
async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, outcome('too-costly', `Requête trop volumineuse (${declared} octets ; maximum ${MAX_BODY_BYTES}).`));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, outcome('too-costly', `Requête trop volumineuse (maximum ${MAX_BODY_BYTES} octets).`));
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function parseJsonBody(req: http.IncomingMessage, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && type !== 'application/json' && type !== 'application/fhir+json' && type !== 'application/json-patch+json') {
    throw new HttpError(415, outcome('not-supported', `Type de contenu non pris en charge : ${type} (application/fhir+json attendu).`));
  }
  if (!raw.length) throw bad('Corps de requête vide : une ressource FHIR (JSON) est attendue.');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8')) as unknown;
  } catch (e) {
    throw bad(`Corps de requête illisible : JSON invalide (${(e as Error).message}).`);
  }
  if (nestedDeeperThan(value, MAX_DEPTH)) throw bad(`Corps de requête refusé : imbrication de plus de ${MAX_DEPTH} niveaux (aucune ressource FHIR n’en a autant).`);
  return value;
}

/** FHIR resources nest a few dozen levels at most; Medplum's recursive copies would overflow the stack far deeper. */
const MAX_DEPTH = 100;

function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** What the path says the body must be; refuses with French messages before Medplum sees it. */
function checkBody(method: string, segments: string[], body: unknown): void {
  if (method === 'PATCH') return;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('Le corps doit être une ressource FHIR (un objet JSON).');
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string' || !isResourceType(resourceType)) throw bad(`Type de ressource absent ou inconnu dans le corps : ${String(resourceType)}.`);
  if (segments.length === 0) {
    const type = (body as { type?: unknown }).type;
    if (resourceType !== 'Bundle' || (type !== 'batch' && type !== 'transaction')) throw bad('À la racine, seul un Bundle de type batch ou transaction est accepté.');
    return;
  }
  if (segments[1] === '_search') return;
  if (resourceType !== segments[0]) throw bad(`Type de ressource incorrect : ${segments[0]} attendu, ${resourceType} reçu.`);
  if (method === 'PUT' && segments.length === 2 && (body as { id?: unknown }).id !== segments[1]) {
    throw bad(`L’identifiant du corps (${String((body as { id?: unknown }).id)}) ne correspond pas à celui de l’URL (${segments[1]}).`);
  }
}

/** Searches get a page size (the memory repository would otherwise return every match) and absolute links. */
function pageQuery(search: URLSearchParams): { offset: number; count: number } {
  const count = Math.min(Number(search.get('_count') ?? DEFAULT_COUNT) || DEFAULT_COUNT, MAX_COUNT);
  const offset = Math.max(Number(search.get('_offset') ?? 0) || 0, 0);
  search.set('_count', String(count));
  return { offset, count };
}

function addLinks(bundle: Bundle, ctx: ServerContext, rel: string, search: URLSearchParams, page: { offset: number; count: number }): void {
  const url = (offset: number): string => {
    const q = new URLSearchParams(search);
    q.set('_offset', String(offset));
    return `${ctx.baseUrl()}${rel}?${q.toString()}`;
  };
  bundle.link = [{ relation: 'self', url: url(page.offset) }];
  if (page.offset + page.count < (bundle.total ?? 0)) bundle.link.push({ relation: 'next', url: url(page.offset + page.count) });
}

function resourceHeaders(ctx: ServerContext, status: number, r: Resource): Record<string, string> {
  const vid = r.meta?.versionId;
  if (!vid || r.resourceType === 'Bundle') return {};
  const headers: Record<string, string> = { ETag: `W/"${vid}"` };
  if (r.meta?.lastUpdated) headers['Last-Modified'] = new Date(r.meta.lastUpdated).toUTCString();
  if (status === 201) headers.Location = `${ctx.baseUrl()}/${r.resourceType}/${r.id}/_history/${vid}`;
  return headers;
}

/** One REST interaction through Medplum's router; writes reach the log before the answer. */
async function handleRest(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, rel: string, search: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  const segments = rel.split('/').filter(Boolean);
  if (!METHODS.includes(method)) throw new HttpError(405, outcome('not-supported', `Méthode non prise en charge : ${method}.`));
  if (segments[0] && !segments[0].startsWith('$') && !isResourceType(segments[0])) throw new HttpError(404, outcome('not-found', `Type de ressource inconnu : ${segments[0]}.`));
  const raw = await readBody(req);
  let body: unknown;
  const isSearch = (method === 'GET' && segments.length <= 1) || (method === 'POST' && segments[1] === '_search');
  if (method === 'POST' && segments[1] === '_search') {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) search.append(k, v);
  } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    body = parseJsonBody(req, raw);
    checkBody(method, segments, body);
  }
  const page = isSearch ? pageQuery(search) : undefined;
  const path = method === 'POST' && segments[1] === '_search' ? `/${segments[0]}` : rel;
  const qs = search.toString();
  const request: FhirRequest = {
    method: (method === 'POST' && segments[1] === '_search' ? 'GET' : method) as HttpMethod,
    url: path + (qs ? `?${qs}` : ''),
    pathname: '',
    body,
    params: {},
    query: {},
    headers: req.headers,
    config: { transactions: true },
  };
  const [result, resource] = await ctx.serial(async () => {
    const answer = await ctx.router.handleRequest(request, ctx.repo);
    await ctx.store.append(ctx.repo.takeChanges());
    return answer;
  });
  if (method !== 'GET') await ctx.afterWrite();
  const status = getStatus(result);
  if (!resource || status >= 400) return sendJson(res, status, frenchOutcome(status, result));
  if (page && resource.resourceType === 'Bundle') addLinks(resource, ctx, path, search, page);
  sendJson(res, status, resource, resourceHeaders(ctx, status, resource));
}

async function handleBulk(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, segments: string[], search: URLSearchParams, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  let reply: BulkReply;
  if (segments[segments.length - 1] === '$export' && (method === 'GET' || method === 'POST')) {
    const level = segments.length === 1 ? 'system' : 'patient';
    const body = method === 'POST' ? parseJsonBody(req, await readBody(req)) : undefined;
    try {
      const job = ctx.exporter.kickOff(exportRequest(level, method, search, body, url.toString()));
      reply = { status: 202, headers: { 'Content-Location': `${ctx.baseUrl()}/$export-status/${job.id}` } };
    } catch (e) {
      if (e instanceof BadExportRequest) throw bad(e.message);
      throw e;
    }
  } else {
    reply = await bulkJobReply(ctx.exporter, ctx.baseUrl(), method, segments);
  }
  if (reply.file) return sendFile(res, reply.file);
  sendJson(res, reply.status, reply.json, reply.headers);
}

function isBulk(segments: string[]): boolean {
  const last = segments[segments.length - 1] ?? '';
  if (last === '$export') return segments.length === 1 || (segments.length === 2 && segments[0] === 'Patient');
  return segments[0] === '$export-status' || segments[0] === '$export-file';
}

/** Faults, latency and random failures come first, like a network or a busy server would. */
async function injected(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
  const rule = ctx.faults.take(path);
  if (rule?.kind === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (rule?.kind === 'fail') {
    sendJson(res, rule.status, outcome('transient', `Panne simulée du serveur hospitalier de test (${rule.status}).`));
    return true;
  }
  if (rule?.kind === 'hang') await sleep(rule.ms);
  if (ctx.controls.latencyMs > 0) await sleep(ctx.controls.latencyMs);
  if (ctx.controls.failRate > 0 && Math.random() < ctx.controls.failRate) {
    sendJson(res, 503, outcome('transient', 'Serveur hospitalier de test momentanément indisponible (panne aléatoire).'), { 'Retry-After': '1' });
    return true;
  }
  return false;
}

export function createRequestHandler(ctx: ServerContext): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    ctx.stats.requests++;
    void (async () => {
      const url = new URL(req.url ?? '/', ctx.baseUrl());
      if (await injected(ctx, req, res, url.pathname + url.search)) return;
      const started = performance.now();
      try {
        if (url.pathname !== BASE_PATH && !url.pathname.startsWith(BASE_PATH + '/')) throw new HttpError(404, outcome('not-found', `Chemin inconnu : ${url.pathname} (point d’accès FHIR : ${BASE_PATH}).`));
        const rel = url.pathname.slice(BASE_PATH.length);
        const segments = rel.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
        if (segments.length === 1 && segments[0] === 'metadata' && req.method === 'GET') return sendJson(res, 200, capabilityStatement());
        if (isBulk(segments)) await handleBulk(ctx, req, res, segments, url.searchParams, url);
        else await handleRest(ctx, req, res, rel, url.searchParams);
      } catch (e) {
        if (res.headersSent) res.destroy();
        else if (e instanceof HttpError) sendJson(res, e.status, e.body, e.status === 413 ? { Connection: 'close' } : {});
        else sendJson(res, 500, outcome('exception', `Erreur interne du serveur hospitalier de test : ${(e as Error).message}`));
      } finally {
        ctx.stats.busyMs += performance.now() - started;
      }
    })();
  };
}

function capabilityStatement(): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'Serveur hospitalier de test (Medplum fhir-router)' },
    rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }], operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }] }],
  };
}

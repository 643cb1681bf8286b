import { createReadStream } from 'node:fs';
import type http from 'node:http';
import { isResourceType } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { ExportRequest, Exporter } from './export';
import { outcome } from './outcome';

export class BadExportRequest extends Error {}

const NDJSON_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
const ACCEPTED = new Set(['_type', '_since', '_outputFormat', 'patient']);

interface RawParams {
  types: string[];
  since?: string;
  format?: string;
  patients?: string[];
}

/** POST kick-off body: a Parameters resource (_type, _since, _outputFormat, patient references). */
function fromParameters(body: unknown): RawParams {
  const p = body as { resourceType?: unknown; parameter?: unknown };
  if (!p || typeof p !== 'object' || p.resourceType !== 'Parameters') throw new BadExportRequest('Le corps d’un export en POST doit être une ressource Parameters.');
  const params = Array.isArray(p.parameter) ? (p.parameter as Record<string, unknown>[]) : [];
  const raw: RawParams = { types: [] };
  for (const param of params) {
    const name = String(param.name);
    if (!ACCEPTED.has(name)) throw new BadExportRequest(`Paramètre d’export non pris en charge : ${name}.`);
    if (name === 'patient') {
      const ref = (param.valueReference as { reference?: unknown } | undefined)?.reference;
      if (typeof ref !== 'string') throw new BadExportRequest('Le paramètre patient attend une référence (valueReference).');
      (raw.patients ??= []).push(ref);
    } else {
      const value = param.valueString ?? param.valueInstant ?? param.valueDateTime;
      if (typeof value !== 'string') throw new BadExportRequest(`Le paramètre ${name} attend une valeur texte.`);
      if (name === '_type') raw.types.push(...value.split(','));
      else if (name === '_since') raw.since = value;
      else raw.format = value;
    }
  }
  return raw;
}

function fromQuery(search: URLSearchParams): RawParams {
  for (const key of search.keys()) {
    if (key === 'patient') throw new BadExportRequest('Le paramètre patient s’envoie en POST, dans une ressource Parameters.');
    if (!ACCEPTED.has(key)) throw new BadExportRequest(`Paramètre d’export non pris en charge : ${key}.`);
  }
  const since = search.get('_since');
  const format = search.get('_outputFormat');
  return { types: search.getAll('_type').flatMap((t) => t.split(',')), ...(since !== null ? { since } : {}), ...(format !== null ? { format } : {}) };
}

/** Validates a kick-off; French messages for everything a client can get wrong. */
export function exportRequest(level: 'system' | 'patient', method: string, search: URLSearchParams, body: unknown, requestUrl: string): ExportRequest {
  const raw = method === 'POST' ? fromParameters(body) : fromQuery(search);
  if (raw.format !== undefined && !NDJSON_FORMATS.includes(raw.format)) throw new BadExportRequest(`Format de sortie non pris en charge : ${raw.format} (NDJSON seulement).`);
  const types = raw.types.map((t) => t.trim()).filter(Boolean);
  for (const t of types) if (!isResourceType(t)) throw new BadExportRequest(`Type de ressource inconnu : ${t}.`);
  const request: ExportRequest = { level, requestUrl, ...(types.length ? { types: [...new Set(types)] } : {}) };
  if (raw.since !== undefined) {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw.since) ? Date.parse(raw.since) : NaN;
    if (Number.isNaN(ms)) throw new BadExportRequest(`Date _since invalide : ${raw.since} (instant FHIR attendu, p. ex. 2026-01-31T12:00:00Z).`);
    request.since = new Date(ms).toISOString();
  }
  if (raw.patients) {
    if (level !== 'patient') throw new BadExportRequest('Le paramètre patient ne vaut que pour Patient/$export.');
    request.patients = raw.patients.map((ref) => {
      const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
      if (!m) throw new BadExportRequest(`Référence de patient invalide : ${ref} (attendu Patient/<id>).`);
      return m[1]!;
    });
  }
  return request;
}

export interface BulkReply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  file?: string;
}

/** Status polling, manifest, file download and cancellation of an export job. */
export async function bulkJobReply(exporter: Exporter, baseUrl: string, method: string, segments: string[]): Promise<BulkReply> {
  const notFound = (what: string): BulkReply => ({ status: 404, json: outcome('not-found', what) satisfies OperationOutcome });
  const [kind, id, name] = segments;
  if (kind === '$export-file' && method === 'GET' && id && name) {
    const file = exporter.file(id, name);
    return file ? { status: 200, file } : notFound('Fichier d’export introuvable.');
  }
  if (kind !== '$export-status' || !id || segments.length !== 2) return notFound('Ressource introuvable.');
  if (method === 'DELETE') return (await exporter.cancel(id)) ? { status: 202 } : notFound('Export introuvable.');
  if (method !== 'GET') return { status: 405, json: outcome('not-supported', 'Méthode non prise en charge.') };
  const job = exporter.job(id);
  if (!job) return notFound('Export introuvable (terminé et supprimé, ou jamais demandé).');
  if (job.status === 'running') return { status: 202, headers: { 'X-Progress': `${job.done} ressources écrites`, 'Retry-After': '1' } };
  if (job.status === 'failed') return { status: 500, json: outcome('exception', `L’export a échoué : ${job.error ?? 'erreur inconnue'}.`) };
  return {
    status: 200,
    json: {
      transactionTime: job.transactionTime,
      request: job.request.requestUrl,
      requiresAccessToken: false,
      output: job.output.map((o) => ({ type: o.type, url: `${baseUrl}/$export-file/${job.id}/${o.name}`, count: o.count })),
      error: [],
    },
  };
}

export function sendFile(res: http.ServerResponse, file: string): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}

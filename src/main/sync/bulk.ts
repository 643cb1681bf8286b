import { FhirError, type FhirClient } from './client';

export interface FhirBundle {
  resourceType: 'Bundle';
  entry?: { resource?: Record<string, unknown> }[];
  link?: { relation: string; url: string }[];
}

function asBundle(json: unknown): FhirBundle {
  const b = json as FhirBundle | null;
  if (!b || b.resourceType !== 'Bundle') throw new FhirError('Réponse de recherche du serveur hospitalier invalide (Bundle attendu).', 'invalid', false);
  return b;
}

export function nextLink(bundle: FhirBundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}

/** One search page, then each `next` page in turn (links stay on the server's origin: the client checks). */
export async function* searchPages(client: FhirClient, path: string): AsyncGenerator<FhirBundle> {
  let url: string | undefined = path;
  while (url) {
    const bundle = asBundle((await client.request('GET', url)).json);
    yield bundle;
    url = nextLink(bundle);
  }
}

export async function searchPage(client: FhirClient, path: string): Promise<FhirBundle> {
  return asBundle((await client.request('GET', path)).json);
}

export interface ExportManifest {
  transactionTime: string;
  output: { type: string; url: string; count?: number }[];
}

export interface ExportKickOff {
  /** System level (every patient) or Patient level (the Patient compartment, optionally a list of patients). */
  level: 'system' | 'patient';
  types: string[];
  since?: string;
  patients?: string[];
}

/**
 * FHIR Bulk Data export: kick-off (GET, or POST Parameters when patients are named), poll the status URL
 * honouring Retry-After, and the manifest once done. `onProgress` hears the server's X-Progress line.
 */
export async function bulkExport(client: FhirClient, request: ExportKickOff, onProgress?: (text: string) => void): Promise<ExportManifest> {
  const path = request.level === 'system' ? '$export' : 'Patient/$export';
  const prefer = { Prefer: 'respond-async', Accept: 'application/fhir+json' };
  let kick;
  if (request.patients) {
    const parameter: Record<string, unknown>[] = [{ name: '_type', valueString: request.types.join(',') }];
    if (request.since) parameter.push({ name: '_since', valueInstant: request.since });
    for (const id of request.patients) parameter.push({ name: 'patient', valueReference: { reference: `Patient/${id}` } });
    // A repeated kick-off only starts a second job whose result is the same: safe to retry.
    kick = await client.request('POST', path, { body: { resourceType: 'Parameters', parameter }, headers: prefer, retry: true });
  } else {
    const q = new URLSearchParams({ _type: request.types.join(',') });
    if (request.since) q.set('_since', request.since);
    kick = await client.request('GET', `${path}?${q}`, { headers: prefer });
  }
  const location = kick.headers['content-location'];
  if (kick.status !== 202 || typeof location !== 'string') {
    throw new FhirError(`Le serveur hospitalier n’a pas lancé l’export (statut ${kick.status}, Content-Location absent).`, 'invalid', false);
  }
  for (;;) {
    const res = await client.request('GET', location, { headers: { Accept: 'application/json' } });
    if (res.status === 200) {
      const manifest = res.json as ExportManifest | null;
      if (!manifest || typeof manifest.transactionTime !== 'string' || !Array.isArray(manifest.output)) {
        throw new FhirError('Manifeste d’export du serveur hospitalier invalide.', 'invalid', false);
      }
      return manifest;
    }
    const progress = res.headers['x-progress'];
    if (typeof progress === 'string') onProgress?.(progress);
    const after = Number(res.headers['retry-after']);
    await client.sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 1000);
  }
}

import { createHash } from 'node:crypto';
import { mapPatient } from '../../../shared/fhir/map';
import { patientSchema } from '../../../shared/fhir/schemas';
import { ifNoneExist } from '../../../shared/fhir/systems';
import { allergyToFhir, noteToFhir, patientToFhir, problemToFhir, stayToFhir, treatmentToFhir, type FhirJson, type Refs } from '../../../shared/fhir/to-fhir';
import type { PatientRow } from '../../../shared/record/types';
import { RESOURCE_OF, type CreateOp, type OutboxItem, type ServerId, type UpdateOp } from './types';

/** A push that cannot succeed as it is (a reference to a patient the server never got…): failed, with its reason. */
export class PermanentError extends Error {}

/**
 * The bundle-internal name of an entry. Not the `urn:uuid:` of its identifier: servers rewrite every string equal
 * to an entry's fullUrl into the resource's new reference, identifier values included (Medplum does), which would
 * turn the identifier a retry searches by into something else. A derived UUID keeps both apart.
 */
export function fullUrlOf(localId: string): string {
  const h = createHash('sha256').update(`bundle-entry:${localId}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** References of a bundle: server ids learned earlier, `urn:uuid:` for what the same bundle creates, else the row id. */
export function bundleRefs(ids: Record<string, ServerId>, creating: ReadonlySet<string>): Refs {
  const ref = (type: string) => (id: string) => {
    const known = ids[id];
    if (known) return `${known.type}/${known.id}`;
    return creating.has(id) ? fullUrlOf(id) : `${type}/${id}`;
  };
  return { patient: ref('Patient'), encounter: ref('Encounter') };
}

function createResource(op: CreateOp, refs: Refs, now: Date): FhirJson {
  const opts = { refs, uuid: op.row.id };
  switch (op.table) {
    case 'patients':
      return patientToFhir(op.row, opts);
    case 'stays':
      return stayToFhir(op.row, { ...opts, now });
    case 'allergies':
      return allergyToFhir(op.row, opts);
    case 'treatments':
      return treatmentToFhir(op.row, opts);
    case 'problems':
      return problemToFhir(op.row, opts);
    case 'notes':
      return noteToFhir(op.row, opts);
  }
}

/** The server's resource with this workstation's change applied: fields the row does not hold are kept as they are. */
export function applyUpdate(current: Record<string, unknown>, op: UpdateOp, refs: Refs): Record<string, unknown> {
  const mine = patientToFhir(op.row, { refs });
  const next: Record<string, unknown> = { ...current };
  const others = ((current.link as { type?: string }[] | undefined) ?? []).filter((l) => l.type !== 'replaced-by');
  const link = [...others, ...((mine.link as unknown[] | undefined) ?? [])];
  if (link.length > 0) next.link = link;
  else delete next.link;
  return next;
}

/** Whether the server's current resource already says what the update wanted (the answer to an earlier try was lost). */
export function alreadyApplied(current: Record<string, unknown>, op: UpdateOp, refs: Refs): boolean {
  const want = JSON.stringify((patientToFhir(op.row, { refs }).link as unknown[] | undefined) ?? []);
  const have = JSON.stringify(((current.link as { type?: string }[] | undefined) ?? []).filter((l) => l.type === 'replaced-by'));
  return want === have;
}

export function patientRowOf(resource: Record<string, unknown>, rowId: string, ipp: string, now: number): PatientRow | null {
  const parsed = patientSchema.safeParse(resource);
  if (!parsed.success) return null;
  try {
    return mapPatient(parsed.data, rowId, ipp, now);
  } catch {
    return null;
  }
}

export interface BuiltBundle {
  bundle: { resourceType: 'Bundle'; type: 'transaction'; entry: unknown[] };
  /** Per entry: the local row id it concerns. */
  localIds: string[];
}

/**
 * The FHIR transaction of one outbox item: each create conditional on its `urn:uuid:` identifier (a retry after a
 * lost answer finds the first copy instead of making a second), each update guarded by If-Match.
 */
export function buildBundle(item: OutboxItem, ids: Record<string, ServerId>, now: Date, current: Map<string, Record<string, unknown>>): BuiltBundle {
  const creating = new Set(item.ops.filter((o) => o.op === 'create' && !ids[o.row.id]).map((o) => o.row.id));
  const refs = bundleRefs(ids, creating);
  const entry: unknown[] = [];
  const localIds: string[] = [];
  for (const op of item.ops) {
    const type = RESOURCE_OF[op.table];
    if (op.op === 'create') {
      const resource = createResource(op, refs, now);
      entry.push({ fullUrl: fullUrlOf(op.row.id), resource, request: { method: 'POST', url: type, ifNoneExist: ifNoneExist(op.row.id) } });
    } else {
      const target = ids[op.row.id] ?? { type, id: op.row.id };
      const version = op.baseVersion ?? ids[op.row.id]?.version;
      if (!version) throw new PermanentError('version du serveur inconnue pour cette identité : modification impossible sans risque d’écraser une autre.');
      const base = current.get(op.row.id);
      if (!base) throw new PermanentError('identité introuvable sur le serveur hospitalier.');
      const resource = { ...applyUpdate(base, op, refs), resourceType: type, id: target.id };
      delete (resource as { meta?: unknown }).meta;
      entry.push({ fullUrl: `${type}/${target.id}`, resource, request: { method: 'PUT', url: `${type}/${target.id}`, ifMatch: `W/"${version}"` } });
    }
    localIds.push(op.row.id);
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry }, localIds };
}

/** Server id and version of each entry of a transaction-response (location `Type/id/_history/vid`, or the resource). */
export function readResponse(body: unknown, localIds: string[], types: string[]): Record<string, ServerId> {
  const entries = (body as { entry?: { response?: { location?: string; etag?: string }; resource?: { id?: string; meta?: { versionId?: string } } }[] })?.entry ?? [];
  if (entries.length !== localIds.length) throw new Error(`réponse de transaction inattendue (${entries.length} entrées pour ${localIds.length})`);
  const out: Record<string, ServerId> = {};
  entries.forEach((e, i) => {
    const loc = /^(?:.*\/)?([A-Za-z]+)\/([^/]+)(?:\/_history\/([^/]+))?$/.exec(e.response?.location ?? '');
    const id = e.resource?.id ?? loc?.[2];
    const version = e.resource?.meta?.versionId ?? loc?.[3] ?? /"([^"]+)"/.exec(e.response?.etag ?? '')?.[1];
    if (!id) throw new Error('réponse de transaction sans identifiant de ressource');
    out[localIds[i]!] = { type: types[i]!, id, ...(version ? { version } : {}) };
  });
  return out;
}

/** The French reason an OperationOutcome gives, or the HTTP status. */
export function outcomeText(status: number, body: unknown): string {
  const issue = (body as { issue?: { details?: { text?: string }; diagnostics?: string }[] })?.issue?.[0];
  const text = issue?.details?.text ?? issue?.diagnostics;
  return text ? `${text} (HTTP ${status})` : `réponse HTTP ${status} du serveur hospitalier`;
}

import { exchangeableIns } from '../../shared/ins/identity-status';
import { DEFAULT_IPP_SYSTEM } from '../../shared/ins/oids';
import { MappingError, ippOf, mapPatient } from '../../shared/fhir/map';
import { encounterSchema, patientSchema, type FhirReference } from '../../shared/fhir/schemas';
import { ENCOUNTER_STATUSES, type CareEncounter, type CareIndex } from '../care/index';

/**
 * Feeds main's care index from FHIR that main itself read or generated (a prepared file of its data
 * dir, the demo population), until the sync engine feeds it from the hospital server. Patient ids are
 * the renderer importer's row ids for the same data (`pat-<IPP>`), so the id a chart call names is the
 * one indexed here. Never fed from anything the renderer sends.
 */

/** The row id the renderer's importer gives a new patient of this IPP (src/renderer/src/db/import/references.ts). */
export const importedPatientId = (ipp: string) => `pat-${ipp}`;

const STATUSES = new Set<string>(ENCOUNTER_STATUSES);

type Entry = { fullUrl?: string; resource: unknown };

/** The resources of a Bundle (JSON) or of NDJSON text; anything else feeds nothing. */
export function resourcesOfText(text: string): Entry[] {
  try {
    const json = JSON.parse(text) as { resourceType?: unknown; entry?: unknown };
    if (json?.resourceType === 'Bundle' && Array.isArray(json.entry)) return json.entry as Entry[];
    return json?.resourceType ? [{ resource: json }] : [];
  } catch {
    const out: Entry[] = [];
    for (const line of text.split('\n')) {
      try {
        if (line.trim()) out.push({ resource: JSON.parse(line) });
      } catch {
        // A bad line is the importer's to report; the index takes the good ones.
      }
    }
    return out;
  }
}

function unitOf(e: { serviceProvider?: FhirReference | undefined; location?: { location: FhirReference }[] | undefined }): string | undefined {
  return e.serviceProvider?.display ?? e.location?.[0]?.location.display;
}

/**
 * Indexes the Patients (IPP, INS only for a qualified identity, as the importer maps it) and the
 * Encounters (unit, period, status) of one lot. Encounters find their patient within the lot (by
 * `Patient/<id>` or fullUrl) or by an IPP identifier. Returns how many of each were indexed.
 */
export function indexFhirEntries(index: CareIndex, entries: readonly Entry[], now: Date): { patients: number; encounters: number } {
  const patientByKey = new Map<string, string>();
  let patients = 0;
  let encounters = 0;
  for (const entry of entries) {
    const parsed = patientSchema.safeParse(entry?.resource);
    if (!parsed.success) continue;
    const ipp = ippOf(parsed.data, DEFAULT_IPP_SYSTEM);
    if (!ipp || !/^[A-Za-z0-9-]{1,40}$/.test(ipp)) continue;
    const id = importedPatientId(ipp);
    try {
      const row = mapPatient(parsed.data, id, ipp, now.getTime());
      const ins = exchangeableIns(row);
      index.putPatient({ id, ipp, ...(ins ? { ins } : {}) });
    } catch (err) {
      if (err instanceof MappingError) continue;
      throw err;
    }
    patients++;
    if (parsed.data.id) patientByKey.set(`Patient/${parsed.data.id}`, id);
    if (entry.fullUrl) patientByKey.set(entry.fullUrl, id);
  }
  const patientOf = (ref: FhirReference): string | undefined => {
    if (ref.identifier?.value && (!ref.identifier.system || ref.identifier.system === DEFAULT_IPP_SYSTEM)) return importedPatientId(ref.identifier.value);
    const r = ref.reference ?? '';
    return patientByKey.get(r) ?? patientByKey.get(/(Patient\/[A-Za-z0-9.-]{1,64})$/.exec(r)?.[1] ?? '');
  };
  for (const [i, entry] of entries.entries()) {
    const parsed = encounterSchema.safeParse(entry?.resource);
    if (!parsed.success) continue;
    const e = parsed.data;
    const patientId = patientOf(e.subject);
    const unit = unitOf(e);
    if (!patientId || !unit) continue;
    const encounter: CareEncounter = {
      id: e.id ? `Encounter/${e.id}` : (entry.fullUrl ?? `${patientId}#${i}`),
      patientId,
      unit,
      status: STATUSES.has(e.status) ? (e.status as CareEncounter['status']) : 'unknown',
      ...(e.period?.start ? { start: e.period.start } : {}),
      ...(e.period?.end ? { end: e.period.end } : {}),
    };
    index.putEncounter(encounter);
    encounters++;
  }
  return { patients, encounters };
}

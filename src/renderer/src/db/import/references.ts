import { normaliseNir } from '../../../../shared/ins/nir';
import { insOidFromSystem } from '../../../../shared/ins/oids';
import type { RecordDb } from '../database';
import type { PatientRow } from '../types';
import type { FhirEncounter, FhirPatient, FhirReference } from '../../../../shared/fhir/schemas';
import { MappingError, ippOf, isIpp, mapPatient, rowId } from '../../../../shared/fhir/map';
import type { IssueLog } from './report';
import type { Parsed } from './validate';

type BundlePatient = { index: number; p: FhirPatient; ipp: string; fullUrl?: string };
type Units = { units: Set<string>; current?: string };

/** How entries find their patient and stay rows, whether in this lot or already on the workstation. */
export interface References {
  resolvePatient(ref: FhirReference | undefined): string | undefined;
  /** Why a reference that resolves to no one is ambiguous (two lot patients share its id), if that is why. */
  ambiguity(ref: FhirReference | undefined): string | undefined;
  resolveStay(ref: FhirReference | undefined): string | undefined;
  /** Mapped Patient rows by entry index. */
  patientRowAt: Map<number, PatientRow>;
  existingByIpp: Map<string, PatientRow>;
  /** Units seen in the lot's stays, by patient row id. */
  unitsOf: Map<string, Units>;
}

export function subjectOf(item: Parsed): FhirReference | undefined {
  const d = item.data as { subject?: FhirReference; patient?: FhirReference };
  return d.subject ?? d.patient;
}

export function describeRef(ref: FhirReference | undefined): string {
  if (!ref) return 'aucune référence';
  return (ref.reference ?? (ref.identifier ? `${ref.identifier.system ?? ''}|${ref.identifier.value ?? ''}` : 'référence vide')).slice(0, 120);
}

export function keysOf(data: { id?: string; identifier?: { system?: string; value?: string }[]; masterIdentifier?: { system?: string; value?: string } }, item: Parsed) {
  const identifier = data.masterIdentifier?.value ? data.masterIdentifier : data.identifier?.find((i) => i.value);
  const keys: Parameters<typeof rowId>[2] = { fallback: item.fullUrl ?? JSON.stringify(item.data) };
  if (identifier) keys.identifier = identifier;
  if (data.id) keys.id = data.id;
  return keys;
}

/** The keys a literal reference may name a lot patient by, in order: the reference itself (a fullUrl), then `Patient/id`. */
function refKeys(ref: FhirReference | undefined): string[] {
  const r = ref?.reference;
  if (!r) return [];
  const m = /(?:^|\/)(Patient\/[A-Za-z0-9.-]{1,64})(?:\/_history\/.*)?$/.exec(r);
  return m && m[1] !== r ? [r, m[1]!] : [r];
}

function identifierOfRef(ref: FhirReference | undefined): { system?: string; value: string } | undefined {
  if (!ref) return undefined;
  if (ref.identifier?.value) return ref.identifier.system ? { system: ref.identifier.system, value: ref.identifier.value } : { value: ref.identifier.value };
  const m = /^Patient\?identifier=(?:([^|]*)\|)?(.+)$/.exec(ref.reference ?? '');
  if (!m) return undefined;
  const system = m[1] ? decodeURIComponent(m[1]) : undefined;
  const value = decodeURIComponent(m[2]!);
  return system ? { system, value } : { value };
}

/** Patients of the lot with a usable IPP, the IPP deciding the row id; the others are rejected and dropped from `parsed`. */
function collectBundlePatients(parsed: (Parsed | undefined)[], ippSystem: string, issues: IssueLog): { patients: BundlePatient[]; ipps: Set<string> } {
  const patients: BundlePatient[] = [];
  const seenIpp = new Map<string, number>();
  for (const item of parsed) {
    if (item?.type !== 'Patient') continue;
    const p = item.data as FhirPatient;
    const ipp = ippOf(p, ippSystem);
    const drop = (reason: string) => {
      issues.reject(item.index, 'Patient', reason);
      parsed[item.index] = undefined;
    };
    if (!ipp) {
      drop("patient sans IPP (identifiant de type PI) : impossible de l'intégrer au dossier hospitalier");
      continue;
    }
    if (!/^[A-Za-z0-9-]{1,40}$/.test(ipp)) {
      drop('IPP mal formé (lettres, chiffres et tirets, 40 caractères au maximum)');
      continue;
    }
    if (seenIpp.has(ipp)) {
      drop(`IPP ${ipp} en double dans le lot (déjà à l'entrée ${seenIpp.get(ipp)})`);
      continue;
    }
    seenIpp.set(ipp, item.index);
    patients.push(item.fullUrl ? { index: item.index, p, ipp, fullUrl: item.fullUrl } : { index: item.index, p, ipp });
  }
  return { patients, ipps: new Set(seenIpp.keys()) };
}

/** Local rows for the lot's IPPs and for patients outside the lot referenced by identifier, read in one transaction. */
async function loadLocalPatients(db: RecordDb, parsed: readonly (Parsed | undefined)[], ipps: Set<string>) {
  const wantIpp = new Set<string>(ipps);
  const wantIns = new Set<string>();
  for (const item of parsed) {
    if (!item || item.type === 'Patient' || item.type === 'Binary') continue;
    const ident = identifierOfRef(subjectOf(item));
    if (!ident) continue;
    if (insOidFromSystem(ident.system)) wantIns.add(normaliseNir(ident.value));
    else wantIpp.add(ident.value);
  }
  const [byIppRows, byInsRows] = await db.transaction('r', db.patients, () =>
    Promise.all([
      wantIpp.size ? db.patients.where('ipp').anyOf([...wantIpp]).toArray() : Promise.resolve([] as PatientRow[]),
      wantIns.size ? db.patients.where('insNir').anyOf([...wantIns]).toArray() : Promise.resolve([] as PatientRow[]),
    ]),
  );
  return {
    existingByIpp: new Map(byIppRows.map((r) => [r.ipp, r])),
    existingByIns: new Map(byInsRows.filter((r) => r.insNir && !r.linkedTo).map((r) => [r.insNir!, r])),
  };
}

/** Stay row ids, known before mapping the procedures and documents that point to them, and units per patient. */
function indexStays(parsed: readonly (Parsed | undefined)[], resolvePatient: References['resolvePatient']) {
  const stayIdByKey = new Map<string, string>();
  const unitsOf = new Map<string, Units>();
  for (const item of parsed) {
    if (item?.type !== 'Encounter') continue;
    const e = item.data as FhirEncounter;
    const patientId = resolvePatient(e.subject);
    if (!patientId) continue;
    const id = rowId('sej', 'Encounter', keysOf(e, item), patientId);
    if (e.id) stayIdByKey.set(`Encounter/${e.id}`, id);
    if (item.fullUrl) stayIdByKey.set(item.fullUrl, id);
    const unit = e.serviceProvider?.display ?? e.location?.[0]?.location.display;
    if (unit) {
      const u = unitsOf.get(patientId) ?? { units: new Set<string>() };
      u.units.add(unit);
      if (e.status === 'in-progress' || (e.period?.start && !e.period.end && e.status !== 'finished')) u.current = unit;
      unitsOf.set(patientId, u);
    }
  }
  const resolveStay = (ref: FhirReference | undefined) => {
    const r = ref?.reference;
    if (!r) return undefined;
    const m = /(Encounter\/[A-Za-z0-9.-]{1,64})$/.exec(r);
    return stayIdByKey.get(r) ?? (m ? stayIdByKey.get(m[1]!) : undefined);
  };
  return { resolveStay, unitsOf };
}

type Owner = { id: string; index: number; ipp: string };

/** Local patients already holding one of the lot's INS (merged rows point elsewhere and hold nothing). */
async function loadInsHolders(db: RecordDb, rows: Iterable<PatientRow>): Promise<Map<string, PatientRow>> {
  const nirs = [...new Set([...rows].flatMap((r) => (r.insNir ? [r.insNir] : [])))];
  if (nirs.length === 0) return new Map();
  const holders = await db.patients.where('insNir').anyOf(nirs).toArray();
  return new Map(holders.filter((r) => r.insNir && !r.linkedTo).map((r) => [r.insNir!, r]));
}

/**
 * Why a lot patient cannot be registered: one FHIR id or fullUrl for two people makes every reference to it
 * ambiguous (the later one is refused and the key answers no one), and one INS is one person, in the lot and in
 * the local record alike (identity vigilance decides, not an import).
 */
function identityConflict(
  m: { index: number; ipp: string; id: string; row: PatientRow; keys: string[] },
  owners: { byKey: Map<string, Owner>; byIns: Map<string, Owner> },
  insHolders: Map<string, PatientRow>,
  ambiguous: Set<string>,
): string | undefined {
  for (const key of m.keys) {
    const owner = owners.byKey.get(key);
    if (owner && owner.id !== m.id) {
      ambiguous.add(key);
      return `identifiant ${key} déjà porté par un autre patient du lot (entrée ${owner.index}, IPP ${owner.ipp}) : les références à cet identifiant sont ambiguës`;
    }
  }
  const nir = m.row.insNir;
  if (!nir) return undefined;
  const inLot = owners.byIns.get(nir);
  if (inLot && inLot.id !== m.id) return `INS déjà porté par un autre patient du lot (entrée ${inLot.index}, IPP ${inLot.ipp}) : un INS désigne une seule personne`;
  const local = insHolders.get(nir);
  if (local && local.id !== m.id) {
    return `INS déjà porté par un autre patient du dossier (IPP ${local.ipp}) : le rapprochement relève de l'identitovigilance, pas d'un import`;
  }
  return undefined;
}

/**
 * Phase 2: patient rows mapped (an existing local row with the same IPP is updated in place) and
 * every way an entry can name its patient or stay resolved to a row id.
 */
export async function resolveReferences(
  db: RecordDb,
  parsed: (Parsed | undefined)[],
  issues: IssueLog,
  ippSystem: string,
  nowMs: number,
): Promise<References> {
  const bundle = collectBundlePatients(parsed, ippSystem, issues);
  const { existingByIpp, existingByIns } = await loadLocalPatients(db, parsed, bundle.ipps);
  const refuse = (index: number, reason: string) => {
    // A refused patient is not registered: resources pointing to it are reported too.
    issues.reject(index, 'Patient', reason);
    parsed[index] = undefined;
  };

  const mapped: { index: number; ipp: string; id: string; row: PatientRow; keys: string[] }[] = [];
  for (const { index, p, ipp, fullUrl } of bundle.patients) {
    const id = existingByIpp.get(ipp)?.id ?? `pat-${ipp}`;
    try {
      const keys = [...(p.id ? [`Patient/${p.id}`] : []), ...(fullUrl ? [fullUrl] : [])];
      mapped.push({ index, ipp, id, row: mapPatient(p, id, ipp, nowMs), keys });
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      refuse(index, e.message);
    }
  }
  const insHolders = await loadInsHolders(db, mapped.map((m) => m.row));

  const owners = { byKey: new Map<string, Owner>(), byIns: new Map<string, Owner>() };
  const ambiguous = new Set<string>();
  const patientIdByIpp = new Map<string, string>();
  const patientRowAt = new Map<number, PatientRow>();
  for (const m of mapped) {
    const conflict = identityConflict(m, owners, insHolders, ambiguous);
    if (conflict) {
      refuse(m.index, conflict);
      continue;
    }
    const owner = { id: m.id, index: m.index, ipp: m.ipp };
    patientRowAt.set(m.index, m.row);
    patientIdByIpp.set(m.ipp, m.id);
    for (const key of m.keys) owners.byKey.set(key, owner);
    if (m.row.insNir) owners.byIns.set(m.row.insNir, owner);
  }
  const patientIdByKey = new Map([...owners.byKey].map(([key, o]) => [key, o.id]));
  const patientIdByIns = new Map([...owners.byIns].map(([nir, o]) => [nir, o.id]));

  const resolvePatient = (ref: FhirReference | undefined): string | undefined => {
    if (!ref) return undefined;
    const ident = identifierOfRef(ref);
    if (ident) {
      if (insOidFromSystem(ident.system)) {
        const nir = normaliseNir(ident.value);
        return patientIdByIns.get(nir) ?? existingByIns.get(nir)?.id;
      }
      if (ident.system === undefined || isIpp({ system: ident.system }, ippSystem)) {
        return patientIdByIpp.get(ident.value) ?? existingByIpp.get(ident.value)?.id;
      }
      return undefined;
    }
    const key = matchedKey(ref);
    return key && !ambiguous.has(key) ? patientIdByKey.get(key) : undefined;
  };
  // The first key the lot knows decides; an ambiguous one answers no one rather than the first holder.
  const matchedKey = (ref: FhirReference | undefined) => refKeys(ref).find((k) => ambiguous.has(k) || patientIdByKey.has(k));
  const ambiguity = (ref: FhirReference | undefined): string | undefined => {
    const key = identifierOfRef(ref) ? undefined : matchedKey(ref);
    return key && ambiguous.has(key) ? `référence ambiguë : ${key} désigne deux patients différents dans le lot` : undefined;
  };

  const { resolveStay, unitsOf } = indexStays(parsed, resolvePatient);
  return { resolvePatient, ambiguity, resolveStay, patientRowAt, existingByIpp, unitsOf };
}

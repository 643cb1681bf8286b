/**
 * Main's care index: who the hospital's patients are (IPP, and INS for a qualified identity) and
 * where they stay (encounters: unit, period, status). Main decides every patient access from it,
 * never from what a bridge call claims; it is fed only with what main itself received or wrote.
 */

export interface PatientIdentity {
  id: string;
  ipp: string;
  /** "NIR@OID", only for a qualified identity. */
  ins?: string;
}

export const ENCOUNTER_STATUSES = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'] as const;

export interface CareEncounter {
  id: string;
  patientId: string;
  unit: string;
  start?: string;
  end?: string;
  status: (typeof ENCOUNTER_STATUSES)[number];
}

export interface CareIndex {
  putPatient(p: PatientIdentity): void;
  /** Forgets the patient and its encounters (a patient main no longer knows has no care relationship). */
  removePatient(id: string): void;
  putEncounter(e: CareEncounter): void;
  removeEncounter(id: string): void;
  identity(patientId: string): PatientIdentity | null;
  /** The patient holding this IPP, if main knows one. */
  idByIpp(ipp: string): string | null;
  /** Current stay, stay ended < windowDays ago, or planned admission, in one of these units. */
  inCare(patientId: string, units: readonly string[], now: Date): boolean;
  patientsInCare(units: readonly string[] | 'all', now: Date): string[];
  encountersOf(patientId: string): CareEncounter[];
  snapshot(): unknown; // persisted by B with the replica; restore via createCareIndex({ windowDays, from })
  readonly windowDays: number;
  readonly size: { patients: number; encounters: number };
}

const DAY_MS = 86_400_000;
/** A stay in one of these states, without an end, is a current stay or a planned admission. */
const OPEN_STATUSES = new Set<CareEncounter['status']>(['planned', 'arrived', 'triaged', 'in-progress', 'onleave']);
const VOID_STATUSES = new Set<CareEncounter['status']>(['cancelled', 'entered-in-error']);

/**
 * How one encounter counts for care, decided once when it is put: never (cancelled, in error, no
 * date), always (open, no end), or until its end + the window. Unparseable dates count as absent.
 */
type Standing = { kind: 'never' } | { kind: 'open' } | { kind: 'ended'; endMs: number };

function standingOf(e: CareEncounter): Standing {
  if (VOID_STATUSES.has(e.status)) return { kind: 'never' };
  const end = e.end ? Date.parse(e.end) : NaN;
  if (Number.isFinite(end)) return { kind: 'ended', endMs: end };
  if (OPEN_STATUSES.has(e.status)) return { kind: 'open' };
  // Finished or unknown without an end: its start is the last date we know of.
  const start = e.start ? Date.parse(e.start) : NaN;
  return Number.isFinite(start) ? { kind: 'ended', endMs: start } : { kind: 'never' };
}

/** Per unit: open encounters, and ended ones bucketed by day of end so a query reads only the window's days. */
interface UnitSlots {
  open: Map<string, string>;
  endedByDay: Map<number, Map<string, string>>;
}

interface Entry {
  e: CareEncounter;
  standing: Standing;
}

export interface CareIndexSnapshot {
  format: 'care-index/1';
  patients: [id: string, ipp: string, ins: string | null][];
  encounters: [id: string, patientId: string, unit: string, start: string | null, end: string | null, status: CareEncounter['status']][];
}

const STATUS_SET = new Set<string>(ENCOUNTER_STATUSES);

function readSnapshot(from: unknown): CareIndexSnapshot {
  const bad = () => new Error('Index de prise en charge illisible : l’instantané enregistré est corrompu ; il sera reconstruit depuis le serveur hospitalier.');
  const s = from as Partial<CareIndexSnapshot> | null;
  if (!s || s.format !== 'care-index/1' || !Array.isArray(s.patients) || !Array.isArray(s.encounters)) throw bad();
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  const opt = (v: unknown) => v === null || typeof v === 'string';
  for (const p of s.patients) if (!Array.isArray(p) || !str(p[0]) || !str(p[1]) || !opt(p[2])) throw bad();
  for (const e of s.encounters) {
    if (!Array.isArray(e) || !str(e[0]) || !str(e[1]) || !str(e[2]) || !opt(e[3]) || !opt(e[4]) || !STATUS_SET.has(e[5] as string)) throw bad();
  }
  return s as CareIndexSnapshot;
}

export function createCareIndex(opts: { windowDays: number; from?: unknown }): CareIndex {
  const { windowDays } = opts;
  if (!Number.isFinite(windowDays) || windowDays < 0) throw new Error(`Durée de prise en charge invalide : ${windowDays} jours.`);
  const windowMs = windowDays * DAY_MS;
  const patients = new Map<string, PatientIdentity>();
  const byIpp = new Map<string, string>();
  const encounters = new Map<string, Entry>();
  const byPatient = new Map<string, Set<string>>();
  const units = new Map<string, UnitSlots>();

  const slotsOf = (unit: string) => {
    let s = units.get(unit);
    if (!s) units.set(unit, (s = { open: new Map(), endedByDay: new Map() }));
    return s;
  };

  function unlink(entry: Entry) {
    const { e, standing } = entry;
    const ids = byPatient.get(e.patientId);
    ids?.delete(e.id);
    if (ids?.size === 0) byPatient.delete(e.patientId);
    const slots = units.get(e.unit);
    if (!slots) return;
    if (standing.kind === 'open') slots.open.delete(e.id);
    if (standing.kind === 'ended') {
      const day = Math.floor(standing.endMs / DAY_MS);
      const bucket = slots.endedByDay.get(day);
      bucket?.delete(e.id);
      if (bucket?.size === 0) slots.endedByDay.delete(day);
    }
  }

  function link(e: CareEncounter) {
    const standing = standingOf(e);
    const entry: Entry = { e: { ...e }, standing };
    encounters.set(e.id, entry);
    let ids = byPatient.get(e.patientId);
    if (!ids) byPatient.set(e.patientId, (ids = new Set()));
    ids.add(e.id);
    if (standing.kind === 'open') slotsOf(e.unit).open.set(e.id, e.patientId);
    if (standing.kind === 'ended') {
      const day = Math.floor(standing.endMs / DAY_MS);
      const slots = slotsOf(e.unit);
      let bucket = slots.endedByDay.get(day);
      if (!bucket) slots.endedByDay.set(day, (bucket = new Map()));
      bucket.set(e.id, e.patientId);
    }
  }

  /** Strictly less than the window since the end: 29 days opens, 30 and more do not (with the default 30). */
  const counts = (s: Standing, nowMs: number) => s.kind === 'open' || (s.kind === 'ended' && nowMs - s.endMs < windowMs);

  const index: CareIndex = {
    windowDays,
    get size() {
      return { patients: patients.size, encounters: encounters.size };
    },
    putPatient(p) {
      const old = patients.get(p.id);
      if (old && byIpp.get(old.ipp) === p.id) byIpp.delete(old.ipp);
      patients.set(p.id, { id: p.id, ipp: p.ipp, ...(p.ins ? { ins: p.ins } : {}) });
      byIpp.set(p.ipp, p.id);
    },
    removePatient(id) {
      const old = patients.get(id);
      if (old && byIpp.get(old.ipp) === id) byIpp.delete(old.ipp);
      patients.delete(id);
      for (const encId of [...(byPatient.get(id) ?? [])]) index.removeEncounter(encId);
    },
    putEncounter(e) {
      const old = encounters.get(e.id);
      if (old) unlink(old);
      link(e);
    },
    removeEncounter(id) {
      const old = encounters.get(id);
      if (!old) return;
      unlink(old);
      encounters.delete(id);
    },
    identity(patientId) {
      const p = patients.get(patientId);
      return p ? { ...p } : null;
    },
    idByIpp(ipp) {
      return byIpp.get(ipp) ?? null;
    },
    inCare(patientId, wanted, now) {
      const nowMs = now.getTime();
      for (const encId of byPatient.get(patientId) ?? []) {
        const { e, standing } = encounters.get(encId)!;
        if (wanted.includes(e.unit) && counts(standing, nowMs)) return true;
      }
      return false;
    },
    patientsInCare(wanted, now) {
      const nowMs = now.getTime();
      const firstDay = Math.floor((nowMs - windowMs) / DAY_MS);
      const found = new Set<string>();
      for (const unit of wanted === 'all' ? units.keys() : new Set(wanted)) {
        const slots = units.get(unit);
        if (!slots) continue;
        for (const patientId of slots.open.values()) found.add(patientId);
        for (const [day, bucket] of slots.endedByDay) {
          if (day < firstDay) continue;
          for (const [encId, patientId] of bucket) if (!found.has(patientId) && counts(encounters.get(encId)!.standing, nowMs)) found.add(patientId);
        }
      }
      return [...found];
    },
    encountersOf(patientId) {
      return [...(byPatient.get(patientId) ?? [])].map((id) => ({ ...encounters.get(id)!.e }));
    },
    snapshot(): CareIndexSnapshot {
      return {
        format: 'care-index/1',
        patients: [...patients.values()].map((p) => [p.id, p.ipp, p.ins ?? null]),
        encounters: [...encounters.values()].map(({ e }) => [e.id, e.patientId, e.unit, e.start ?? null, e.end ?? null, e.status]),
      };
    },
  };

  if (opts.from !== undefined) {
    const snap = readSnapshot(opts.from);
    for (const [id, ipp, ins] of snap.patients) index.putPatient({ id, ipp, ...(ins ? { ins } : {}) });
    for (const [id, patientId, unit, start, end, status] of snap.encounters) {
      index.putEncounter({ id, patientId, unit, status, ...(start ? { start } : {}), ...(end ? { end } : {}) });
    }
  }
  return index;
}

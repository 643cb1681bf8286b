import { tokensMatch } from '../../../shared/text/normalise';
import { parsePatientQuery, type PatientQuery } from '../../../shared/text/query';
import { recordEvent, type RecordAuditEvent } from './audit';
import type { RecordDb } from './database';
import type { PatientRow } from './types';

export interface SearchResult {
  query: PatientQuery;
  /** At most `limit` patients; ordering: recent first, otherwise by name. */
  patients: PatientRow[];
  /** True when more matches exist beyond `limit`. */
  more: boolean;
  /** The query (never the results) for the audit journal. */
  audit: RecordAuditEvent;
}

export const DEFAULT_SEARCH_LIMIT = 50;

// Every string a prefix can extend to stays below this in IndexedDB key order.
const MAX_CHAR = '\uffff';

/** Name search uses the longest token on the index (fewest candidates) and filters by the others. */
function indexToken(tokens: string[]): string {
  return tokens.reduce((a, b) => (b.length > a.length ? b : a));
}

// One collator for every comparison: localeCompare with a locale builds one per call, which
// made sorting 200 rows cost ~13 ms (most of a frame) instead of ~0.1 ms.
const NAME_COLLATOR = new Intl.Collator('fr', { sensitivity: 'base' });

const nameKey = (p: PatientRow) => `${p.usedFamilyName ?? p.birthFamilyName} ${p.birthGivenNames}`;

/** Sorts by displayed name, building each row's key once. */
function sortByName(rows: PatientRow[]): void {
  const keys = new Map(rows.map((r) => [r, nameKey(r)]));
  rows.sort((a, b) => NAME_COLLATOR.compare(keys.get(a)!, keys.get(b)!));
}

function matches(q: PatientQuery & { kind: 'name' }, p: PatientRow): boolean {
  return tokensMatch(p.tokens, q.tokens) && (!q.birthDate || p.birthDate === q.birthDate);
}

function searchAudit(input: string, q: PatientQuery): RecordAuditEvent {
  return recordEvent('record.patient.search', 'E', undefined, undefined, { query: input.slice(0, 100), kind: q.kind });
}

/**
 * One search box: name prefixes, IPP, INS, dd/mm/yyyy, or recent patients when empty.
 * Always bounded: each branch reads at most limit+1 matching rows from one index range.
 */
export async function searchPatients(db: RecordDb, input: string, limit = DEFAULT_SEARCH_LIMIT): Promise<SearchResult> {
  const q = parsePatientQuery(input);
  const take = limit + 1;
  let rows: PatientRow[];
  switch (q.kind) {
    case 'recent':
      rows = await db.patients.orderBy('lastOpenedAt').reverse().limit(take).toArray();
      break;
    case 'ipp':
      rows = await db.patients.where('ipp').startsWith(q.prefix).limit(take).toArray();
      break;
    case 'ins':
      rows = await db.patients.where('insNir').startsWith(q.prefix).limit(take).toArray();
      break;
    case 'birthDate':
      rows = await db.patients.where('birthDate').equals(q.date).limit(take).toArray();
      break;
    case 'name': {
      const first = indexToken(q.tokens);
      const range = db.patients.where('tokens').between(first, first + MAX_CHAR, true, true);
      if (q.tokens.length === 1 && !q.birthDate) {
        // Plain range: getAll() in one call. A patient can hold two tokens with the same prefix
        // (jean, jeanpierre), so dedupe and fall back to a cursor if that cost us rows.
        // Read take rows first: a duplicate inside one window is rare on a large index (a
        // patient's two tokens sit far apart), and rows read is what a lookup costs.
        // Dexie collections are mutable (limit() narrows in place): a fresh one per read.
        const fresh = () => db.patients.where('tokens').between(first, first + MAX_CHAR, true, true);
        let batch = await fresh().limit(take).toArray();
        rows = dedupe(batch);
        if (rows.length < take && batch.length === take) {
          batch = await fresh().limit(take * 2).toArray();
          rows = dedupe(batch);
          if (rows.length < take && batch.length === take * 2) rows = await fresh().distinct().limit(take).toArray();
        }
      } else {
        rows = await range
          .filter((p) => matches(q, p))
          .distinct()
          .limit(take)
          .toArray();
      }
      break;
    }
  }
  const more = rows.length > limit;
  const patients = rows.slice(0, limit);
  if (q.kind === 'name') sortByName(patients);
  return { query: q, patients, more, audit: searchAudit(input, q) };
}

function dedupe(rows: PatientRow[]): PatientRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Walks a cursor collecting up to `take` distinct matching rows. */
function collect(source: IDBIndex, range: IDBKeyRange | null, direction: IDBCursorDirection, take: number, keep: (p: PatientRow) => boolean): Promise<PatientRow[]> {
  return new Promise((resolve, reject) => {
    const out: PatientRow[] = [];
    const seen = new Set<string>();
    const req = source.openCursor(range, direction);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor || out.length >= take) return resolve(out);
      const p = cursor.value as PatientRow;
      if (!seen.has(p.id) && keep(p)) {
        seen.add(p.id);
        out.push(p);
      }
      if (out.length >= take) return resolve(out);
      cursor.continue();
    };
  });
}

/**
 * The same lookups with the raw IndexedDB API on the same database and indexes, for the
 * benchmark's comparison. `idb` is the open database (e.g. `db.backendDB()`).
 */
export async function rawSearchPatients(
  idb: IDBDatabase,
  input: string,
  limit = DEFAULT_SEARCH_LIMIT,
  keyRange: typeof IDBKeyRange = IDBKeyRange,
): Promise<PatientRow[]> {
  const q = parsePatientQuery(input);
  const take = limit + 1;
  const store = idb.transaction('patients', 'readonly').objectStore('patients');
  let rows: PatientRow[];
  switch (q.kind) {
    case 'recent':
      rows = await collect(store.index('lastOpenedAt'), null, 'prev', take, () => true);
      break;
    case 'ipp':
      rows = await request(store.index('ipp').getAll(keyRange.bound(q.prefix, q.prefix + MAX_CHAR), take));
      break;
    case 'ins':
      rows = await request(store.index('insNir').getAll(keyRange.bound(q.prefix, q.prefix + MAX_CHAR), take));
      break;
    case 'birthDate':
      rows = await request(store.index('birthDate').getAll(keyRange.only(q.date), take));
      break;
    case 'name': {
      const first = indexToken(q.tokens);
      const range = keyRange.bound(first, first + MAX_CHAR);
      if (q.tokens.length === 1 && !q.birthDate) {
        let batch = (await request(store.index('tokens').getAll(range, take))) as PatientRow[];
        rows = dedupe(batch);
        if (rows.length < take && batch.length === take) {
          batch = (await request(store.index('tokens').getAll(range, take * 2))) as PatientRow[];
          rows = dedupe(batch);
          if (rows.length < take && batch.length === take * 2) rows = await collect(store.index('tokens'), range, 'next', take, () => true);
        }
      } else {
        rows = await collect(store.index('tokens'), range, 'next', take, (p) => matches(q, p));
      }
      break;
    }
  }
  const patients = rows.slice(0, limit);
  if (q.kind === 'name') sortByName(patients);
  return patients;
}

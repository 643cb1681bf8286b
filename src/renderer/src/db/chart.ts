import { recordEvent, type RecordAuditEvent } from './audit';
import type { RecordDb } from './database';
import type {
  AllergyRow,
  DocumentContentRow,
  DocumentRow,
  IdentityLinkRow,
  NoteRow,
  ObservationRow,
  PatientRow,
  ProblemRow,
  ProcedureRow,
  StayRow,
  TreatmentRow,
} from './types';

export interface Chart {
  patient: PatientRow;
  /** Provisional identities linked to this patient: their rows are included below. */
  linkedIdentities: PatientRow[];
  identityLinks: IdentityLinkRow[];
  /** Sorted by start, newest first. */
  stays: StayRow[];
  /** Metadata only, newest first; content through loadDocumentContent. */
  documents: DocumentRow[];
  allergies: AllergyRow[];
  treatments: TreatmentRow[];
  problems: ProblemRow[];
  procedures: ProcedureRow[];
  /** Sorted by code then date (ready for per-analyte trends). */
  observations: ObservationRow[];
  notes: NoteRow[];
  /** The stay without an end, if any. */
  currentStay?: StayRow;
  audit: RecordAuditEvent;
}

const byDesc = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0);

/** Everything of one patient (and of provisional identities linked to it) in one read transaction. */
export async function loadChart(db: RecordDb, patientId: string): Promise<Chart | undefined> {
  return db.transaction(
    'r',
    [db.patients, db.identityLinks, db.stays, db.documents, db.allergies, db.treatments, db.problems, db.procedures, db.observations, db.notes],
    async () => {
      const patient = await db.patients.get(patientId);
      if (!patient) return undefined;
      const identityLinks = await db.identityLinks.where('realId').equals(patientId).toArray();
      const linkedIdentities = (await db.patients.bulkGet(identityLinks.map((l) => l.provisionalId))).filter(
        (p): p is PatientRow => p !== undefined,
      );
      const ids = [patientId, ...linkedIdentities.map((p) => p.id)];
      // One equals() range per id: Dexie reads it with a single getAll, whereas anyOf walks a
      // cursor with one round trip to the IndexedDB backend per row (slow chart opening).
      const of = async <T>(table: { where(i: string): { equals(k: string): { toArray(): Promise<T[]> } } }) =>
        (await Promise.all(ids.map((id) => table.where('patientId').equals(id).toArray()))).flat();
      const [stays, documents, allergies, treatments, problems, procedures, observations, notes] = await Promise.all([
        of<StayRow>(db.stays),
        of<DocumentRow>(db.documents),
        of<AllergyRow>(db.allergies),
        of<TreatmentRow>(db.treatments),
        of<ProblemRow>(db.problems),
        of<ProcedureRow>(db.procedures),
        of<ObservationRow>(db.observations),
        of<NoteRow>(db.notes),
      ]);
      stays.sort(byDesc((s) => s.start));
      documents.sort(byDesc((d) => d.date));
      notes.sort(byDesc((n) => n.createdAt));
      observations.sort((a, b) => (a.code === b.code ? (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) : a.code < b.code ? -1 : 1));
      const chart: Chart = {
        patient,
        linkedIdentities,
        identityLinks,
        stays,
        documents,
        allergies,
        treatments,
        problems,
        procedures,
        observations,
        notes,
        audit: recordEvent('record.chart.open', 'R', patient, { type: 'Patient', id: patient.id }),
      };
      const current = stays.find((s) => !s.end);
      if (current) chart.currentStay = current;
      return chart;
    },
  );
}

/** One document's content (CDA string, text or PDF bytes) with its audit event. */
export async function loadDocumentContent(
  db: RecordDb,
  documentId: string,
): Promise<{ document: DocumentRow; content: DocumentContentRow | undefined; audit: RecordAuditEvent } | undefined> {
  return db.transaction('r', db.documents, db.documentContents, db.patients, async () => {
    const document = await db.documents.get(documentId);
    if (!document) return undefined;
    const [content, patient] = await Promise.all([db.documentContents.get(documentId), db.patients.get(document.patientId)]);
    return {
      document,
      content,
      audit: recordEvent('record.document.read', 'R', patient, { type: 'DocumentReference', id: documentId }, { typeCode: document.typeCode }),
    };
  });
}

/** One analyte's series in date order, through the [patientId+code+date] index. */
export function observationSeries(db: RecordDb, patientId: string, code: string): Promise<ObservationRow[]> {
  return db.observations
    .where('[patientId+code+date]')
    .between([patientId, code, ''], [patientId, code, '\uffff'])
    .toArray();
}

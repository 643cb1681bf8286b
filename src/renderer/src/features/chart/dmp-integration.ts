import type { DmpEntry, DmpIdentity } from '../../../../shared/bridge/methods-dmp';
import { documentTypeLabel } from '../../../../shared/loinc-labels';
import { base64ToBytesOrThrow } from '../../../../shared/text/base64';
import { toIsoInstant } from '../../../../shared/time';
import type { DocumentContentRow, DocumentRow, PatientRow } from '../../db/types';
import type { DmpIntegration } from '../dmp';
import { recordDb } from '../patients';

/** What the DMP checks the INS against: the identity status and strict traits of the local record. */
export function dmpIdentity(p: PatientRow): DmpIdentity {
  return {
    status: p.identityStatus,
    ...(p.birthFamilyName ? { birthFamilyName: p.birthFamilyName } : {}),
    ...(p.birthGivenNames ? { givenNames: p.birthGivenNames } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
    sex: p.sex,
  };
}

/** The clinical date of a DMP entry (its exam, else its creation), ISO 8601; null when unreadable, never "now". */
export function dmpEntryDate(e: DmpEntry): string | null {
  return toIsoInstant(e.serviceStartTime ?? e.creationTime);
}

/**
 * "Intégrer au dossier": the one explicit way a DMP document becomes part of the
 * local record (main has already journalled it). Idempotent by the document's
 * XDS uniqueId; document and content are written in one transaction.
 */
export async function integrateDmpDocument(doc: DmpIntegration): Promise<void> {
  const db = recordDb();
  const id = `dmp-${doc.document.uniqueId}`.slice(0, 200);
  const isCda = doc.document.encoding === 'text';
  const data: string | Uint8Array = isCda ? doc.document.content : base64ToBytesOrThrow(doc.document.content);
  const typeCode = doc.entry.typeCode?.code ?? '';
  const date = dmpEntryDate(doc.entry);
  if (!date) throw new Error('Ce document du DMP n’a pas de date lisible : il n’a pas été intégré au dossier.');
  const row: DocumentRow = {
    id,
    patientId: doc.patient.ref.id,
    typeCode,
    typeLabel: documentTypeLabel(typeCode, doc.entry.typeCode?.display),
    title: `${doc.entry.title} (DMP)`,
    ...(doc.entry.author ? { author: doc.entry.author } : {}),
    date,
    status: 'validated',
    contentKind: isCda ? 'cda' : 'pdf',
    mimeType: doc.document.mimeType,
    size: doc.document.size,
  };
  const content: DocumentContentRow = { id, patientId: row.patientId, kind: row.contentKind, data };
  await db.transaction('rw', db.documents, db.documentContents, async () => {
    await db.documents.put(row);
    await db.documentContents.put(content);
  });
}

import { describe, expect, it } from 'vitest';
import { createCareIndex } from '../../../../src/main/care';
import { createBatch } from '../../../../src/main/sync/ingest';
import { noteToFhir } from '../../../../src/shared/fhir/to-fhir';

/** A note written at one workstation reaches the others as a note, not as a document to open. */
describe('ingest of bedside notes pulled from the hospital', () => {
  it('maps a text/plain progress note back to a note row, other documents staying documents', () => {
    const rejects: string[] = [];
    const batch = createBatch({ care: createCareIndex({ windowDays: 30 }), now: () => Date.parse('2026-11-30T08:00:00Z'), onReject: (_t, id, r) => rejects.push(`${id}: ${r}`) });
    const note = { ...noteToFhir({ id: 'n1', patientId: 'p1', author: 'Dr Durand', text: 'Patient algique, réévaluer à 14 h.', createdAt: '2026-11-30T07:55:00Z' }), id: 'srv-note-1' };
    expect(batch.add(note, () => true)).toBe('p1');
    const { batch: out } = batch.take();
    expect(rejects).toEqual([]);
    expect(out.upserts.notes).toEqual([{ id: 'srv-note-1', patientId: 'p1', author: 'Dr Durand', text: 'Patient algique, réévaluer à 14 h.', createdAt: '2026-11-30T07:55:00Z' }]);
    expect(out.upserts.documents).toBeUndefined();
  });
});

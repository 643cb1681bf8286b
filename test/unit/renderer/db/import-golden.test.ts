import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { freshRecordDb } from './helpers';
import type { RecordDb } from '../../../../src/renderer/src/db/database';
import { importFhirBundle, importNdjson } from '../../../../src/renderer/src/db/import';
import { ROW_TABLES } from '../../../../src/renderer/src/db/types';
import { generateBundles } from '../../../../src/shared/seed/generate';

// Recorded before importEntries was split by phase: the whole database after two imports
// (the second updating patients of the first and pointing at them by identifier), the reports
// and the progress calls must stay byte-identical.
let db: RecordDb;
afterEach(() => db?.close());

const now = new Date('2025-07-01T09:30:00Z');

function seeded(total: number, seed: number) {
  return [...generateBundles(total, { seed, perBundle: total, documentsPerPatient: 3 })][0]!.bundle;
}

async function dump(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const t of ROW_TABLES) out[t] = await db.table(t).toArray();
  return out;
}

describe('import golden output', () => {
  it('writes the same rows, reports and progress as before the split', async () => {
    db = freshRecordDb('import-golden');
    const bundle = seeded(40, 5);
    const entry = bundle.entry as unknown[];
    // Broken entries among the good ones: each phase has something to reject or skip.
    entry.splice(3, 0, { resource: { resourceType: 'List', id: 'l1', status: 'current', mode: 'working' } });
    entry.splice(10, 0, { resource: { resourceType: 'Patient', id: 'noipp', name: [{ family: 'Sans' }] } });
    entry.splice(20, 0, { resource: { resourceType: 'Observation', id: 'orphan', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/nobody' } } });
    entry.splice(25, 0, { resource: { resourceType: 'Observation', status: 12 } });
    entry.splice(30, 0, { notAResource: true });
    const progress: [number, number][] = [];
    const first = await importFhirBundle(db, bundle, { chunkSize: 37, now, onProgress: (d, t) => progress.push([d, t]) });

    // Second lot, NDJSON: the same patients again (updated in place) and stays pointing at them by IPP and INS.
    const again = seeded(10, 5).entry.map((e) => e.resource);
    // Patient 0 of seed 5 has an INS (checked by the J45 assertion below).
    const ins = (again[0] as unknown as { identifier: { system: string; value: string }[] }).identifier.find((i) => i.system.includes('1.2.250'))!;
    again.push({
      resourceType: 'Encounter',
      id: 'by-ipp',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { identifier: { system: 'urn:chu-demo:ipp', value: '100000005' } },
      period: { start: '2025-06-01T08:00:00Z', end: '2025-06-01T10:00:00Z' },
      serviceProvider: { display: 'Consultation externe' },
    });
    again.push({
        resourceType: 'Condition',
        id: 'by-ins',
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J45', display: 'Asthme' }] },
        subject: { reference: `Patient?identifier=${encodeURIComponent(ins.system)}|${ins.value}` },
      });
    const text = again.map((r) => JSON.stringify(r)).join('\n') + '\n{not json\n';
    const second = await importNdjson(db, text, { chunkSize: 50, now, onProgress: (d, t) => progress.push([d, t]) });

    const hash = createHash('sha256').update(JSON.stringify({ first, second, progress, rows: await dump() })).digest('hex');
    expect({ rejected: first.rejected.length, skipped: first.skipped.length, patients: first.patients }).toEqual({ rejected: 4, skipped: 1, patients: 40 });
    expect(second.rejected.map((r) => r.reason)).toEqual(['ligne JSON illisible']);
    const byIpp = (await db.stays.toArray()).filter((s) => s.unit === 'Consultation externe');
    expect(byIpp.map((s) => s.patientId)).toEqual(['pat-100000005']);
    const byIns = (await db.problems.toArray()).filter((p) => p.code === 'J45');
    expect(byIns.map((p) => p.patientId)).toEqual(['pat-100000001']);
    expect(hash).toBe('849ee6c9d71504435914a7b69bc2d541d8a53617518df1467f207c52e58b14b6');
  });
});

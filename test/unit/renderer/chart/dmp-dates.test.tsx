import 'fake-indexeddb/auto';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { entry } from '../dmp/fake-dmp';

const { integrateDmpDocument } = await import('../../../../src/renderer/src/features/chart/dmp-integration');
const { DmpAlertsStrip } = await import('../../../../src/renderer/src/features/chart/DmpAlertsStrip');
const { recordDb } = await import('../../../../src/renderer/src/features/patients/record-db');

/**
 * The demo's recent imaging report as the bridge hands it (ISO 8601, see dmp-bridge/dates.test.ts):
 * seeded 6 days before a host clock of 2026-11-23T08:00Z, its service starting 3 days earlier.
 */
const imaging = entry({
  title: "Compte rendu d'imagerie",
  typeCode: { code: '18748-4', display: "CR d'imagerie médicale" },
  creationTime: '2026-11-17T08:00:00.000Z',
  serviceStartTime: '2026-11-14T08:00:00.000Z',
  serviceStopTime: '2026-11-17T08:00:00.000Z',
});

describe('dates of DMP documents in the chart', () => {
  it('an integrated DMP document keeps the date of its exam, not the day it was integrated', async () => {
    const patient = { ref: { id: 'pat-dates' }, identity: { status: 'PROV' as const, sex: 'M' as const }, displayName: 'Jean DUPONT' };
    await integrateDmpDocument({ patient, entry: imaging, document: { uniqueId: imaging.uniqueId, mimeType: 'text/xml', encoding: 'text', content: '<ClinicalDocument/>', size: 19 }, seq: 1 });
    const row = await recordDb().documents.get(`dmp-${imaging.uniqueId}`);
    expect(row?.date).toBe('2026-11-14T08:00:00.000Z');
  });

  it('the "Examen récent (DMP)" alert reads the exam date in French', () => {
    render(<DmpAlertsStrip alerts={{ available: true, loading: false, allergies: [], treatments: [], recentExams: [imaging] }} />);
    expect(screen.getByTestId('dmp-alerts').textContent).toContain('Examen récent (DMP) : Compte rendu d’imagerie médicale du 14/11/2026');
  });
});

import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { reviewsPath } from '../../../../src/main/dpo/review-store';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';
import { pdfText } from '../../../support/pdf-text';

/** The DPO's tools through the real dispatcher, as the demo DPO, over the real signed journal. */
let t: TestHost;
const acct = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const ctx = (clientId: string) => ({ clientId, transport: 'ipc' as const });
const inUnit = { id: 'p1' };
// Born in Haute-Corse: the NIR's department is 2B.
const corsican = { id: 'p2', ins: '185022B12345691@1.2.250.1.213.1.4.10' };

async function signIn(role: string, clientId: string) {
  const a = acct(role);
  const r = await t.host.dispatch('session.login', { userId: a.id, password: a.password }, ctx(clientId));
  expect(r.ok).toBe(true);
  return (m: string, i: unknown) => t.host.dispatch(m, i, ctx(clientId));
}

beforeAll(async () => {
  t = await createTestHost({ journal: true });
  // Main's care index: p1 in care in Cardiologie, p2 in the emergency unit.
  admit(t.host.careIndex, { id: 'p1', ipp: '100000097', ins: '252077101484208@1.2.250.1.213.1.4.10', unit: 'Cardiologie' });
  admit(t.host.careIndex, { id: 'p2', ipp: '100000098', ins: corsican.ins, unit: 'Urgences' });
  // A mistyped login, then a doctor's day: one chart in her unit, one under break-glass opened twice.
  await t.host.dispatch('session.login', { userId: 'Dr.Martinez', password: 'pas-le-bon-mot' }, ctx('doc'));
  const doc = await signIn('medecin', 'doc');
  expect((await doc('record.openChart', { patient: inUnit })).ok).toBe(true);
  expect((await doc('session.breakGlassStart', { patient: { id: corsican.id }, reason: 'urgence_vitale', justification: 'Patient inconscient, antécédents nécessaires' })).ok).toBe(true);
  expect((await doc('record.openChart', { patient: { id: corsican.id } })).ok).toBe(true);
  expect((await doc('record.reportAccess', { patient: { id: corsican.id }, event: 'record.labs.view' })).ok).toBe(true);
  expect((await doc('session.breakGlassEnd', { patientId: corsican.id })).ok).toBe(true);
}, 60_000);
afterAll(() => t.close());

type Entries = { ok: true; value: { entries: { type: string; outcome: string; agent?: { userId: string }; detail?: Record<string, unknown> }[]; total: number } };

describe('journal search', () => {
  it('finds a patient by INS typed with spaces, by the 13-character NIR, and by the patients a name search found', async () => {
    const dpo = await signIn('dpo', 'dpo-search');
    const bySpacedIns = (await dpo('audit.query', { patient: '1 85 02 2B 123 456 91' })) as Entries;
    expect(bySpacedIns.value.entries.map((e) => e.type).reverse()).toEqual(['security.breakglass.start', 'chart.open', 'record.labs.view', 'security.breakglass.end']);
    const byNir13 = (await dpo('audit.query', { patient: '185022b123456' })) as Entries;
    expect(byNir13.value.total).toBe(4);
    const byIpp = (await dpo('audit.query', { patient: '100000097' })) as Entries;
    expect(byIpp.value.entries.map((e) => e.type)).toEqual(['chart.open']);
    const byNameMatches = (await dpo('audit.query', { patients: [{ ipp: '100000097' }, { ins: '185022B12345691' }] })) as Entries;
    expect(byNameMatches.value.total).toBe(5);
    expect(await dpo('audit.query', { patients: [{ ins: 'pas-un-nir' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('INS invalide') } });
  });

  it('finds a user by part of the login or the name, any case, and a failed login by the identifier typed', async () => {
    const dpo = await signIn('dpo', 'dpo-user');
    const byName = (await dpo('audit.query', { user: 'claire mar' })) as Entries;
    expect(byName.value.total).toBeGreaterThanOrEqual(6);
    expect(byName.value.entries.every((e) => e.agent?.userId === 'dr.martin')).toBe(true);
    const failed = (await dpo('audit.query', { user: 'martinez', type: 'auth.*' })) as Entries;
    expect(failed.value.entries).toHaveLength(1);
    expect(failed.value.entries[0]).toMatchObject({ type: 'auth.login', outcome: 'failure', detail: { attemptedId: 'Dr.Martinez', method: 'password' } });
    expect(failed.value.entries[0]!.agent).toBeUndefined();
  });

  it('refuses the journal to every other role', async () => {
    for (const role of ['medecin', 'admin', 'infirmier']) {
      const call = await signIn(role, `other-${role}`);
      expect(await call('audit.query', { user: 'martin' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('audit.breakGlassEpisodes', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('audit.reviewEpisode', { episodeId: 'local-1', status: 'revu', comment: '' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});

describe('review of exceptional accesses', () => {
  it('groups a break-glass into one episode, records each review in a 0600 file and in the journal', async () => {
    const dpo = await signIn('dpo', 'dpo-review');
    const list = await dpo('audit.breakGlassEpisodes', {});
    expect(list).toMatchObject({ ok: true, value: { total: 1, counts: { a_revoir: 1, revu: 0, justifie: 0, escalade: 0 } } });
    const ep = (list as { ok: true; value: { episodes: Record<string, unknown>[] } }).value.episodes[0]!;
    expect(ep).toMatchObject({
      kind: 'local',
      status: 'a_revoir',
      agent: { userId: 'dr.martin' },
      patient: { ipp: '100000098', ins: corsican.ins },
      purpose: { code: 'bris_de_glace_local', reason: 'urgence_vitale', justification: 'Patient inconscient, antécédents nécessaires' },
      end: { ended: 'manual' },
      accessCount: 2,
    });
    expect((ep.accesses as { type: string }[]).map((a) => a.type)).toEqual(['chart.open', 'record.labs.view']);

    const id = ep.id as string;
    expect(await dpo('audit.reviewEpisode', { episodeId: id, status: 'justifie', comment: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Indiquez en commentaire ce qui justifie cet accès.' },
    });
    expect(await dpo('audit.reviewEpisode', { episodeId: 'local-424242', status: 'revu', comment: '' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dpo('audit.reviewEpisode', { episodeId: id, status: 'revu', comment: '' })).toMatchObject({ ok: true, value: { status: 'revu' } });
    const done = await dpo('audit.reviewEpisode', { episodeId: id, status: 'justifie', comment: 'Appel du SAMU confirmé par le cadre de garde.' });
    expect(done).toMatchObject({ ok: true, value: { status: 'justifie', reviews: [{ status: 'revu' }, { status: 'justifie', comment: 'Appel du SAMU confirmé par le cadre de garde.', reviewer: { userId: 'dpo.leroy', name: 'Nathalie Leroy' } }] } });
    expect(await dpo('audit.breakGlassEpisodes', { status: 'a_revoir' })).toMatchObject({ ok: true, value: { total: 0, episodes: [], counts: { a_revoir: 0, justifie: 1 } } });

    const file = reviewsPath(t.dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).episodes[id].map((r: { status: string }) => r.status)).toEqual(['revu', 'justifie']);
    const journalled = await t.host.journal.query({ type: 'journal.review' });
    expect(journalled.entries.map((e) => [e.detail?.['status'], e.patient?.ipp, e.agent?.userId])).toEqual([
      ['revu', '100000098', 'dpo.leroy'],
      ['justifie', '100000098', 'dpo.leroy'],
    ]);
  });
});

describe('patient access report', () => {
  it('names the patient, says every action in French and keeps every cell whole', async () => {
    const dpo = await signIn('dpo', 'dpo-report');
    const r = await dpo('audit.accessReport', { patient: { ins: '185022B12345691' }, identity: { name: 'Jean-Baptiste SANTONI', birthDate: '1985-02-14' } });
    expect(r).toMatchObject({ ok: true, value: { accesses: 4, fileName: 'acces-dossier-100000098.pdf' } });
    const text = (await pdfText(Buffer.from((r as { ok: true; value: { pdfBase64: string } }).value.pdfBase64, 'base64'))).replace(/\s+/g, ' ');
    expect(text).toContain('Patient : Jean-Baptiste SANTONI, né(e) le 14/02/1985');
    expect(text).toContain('IPP 100000098 — INS (NIR) 1 85 02 2B 123 456 91');
    expect(text).toContain('Début d’accès exceptionnel (bris de glace)');
    expect(text).toContain('Consultation des résultats de biologie');
    // The justification is printed whole, wrapped over lines, not cut with an ellipsis.
    expect(text).toContain('« Patient inconscient, antécédents nécessaires »');
    expect(text).not.toMatch(/\b(dmp|record|security|auth|journal|chart|users)\.[a-z_]/);
    expect(text).not.toContain('…');
  });

  it('refuses a report to a clinician', async () => {
    const doc = await signIn('medecin', 'doc-report');
    expect(await doc('audit.accessReport', { patient: '100000098' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { freshRecordDb } from '../db/helpers';
import type { RecordDb } from '../../../../src/renderer/src/db/database';
import type { NoteRow, PatientRow, RecordRows } from '../../../../src/renderer/src/db/types';
import { createSyncClient, putRows, type FeedBatch, type FetchChanges, type SyncClient } from '../../../../src/renderer/src/sync';
import { bytesToBase64 } from '../../../../src/shared/text/base64';

let db: RecordDb;
let client: SyncClient | null = null;
afterEach(async () => {
  await client?.stop();
  client = null;
  db?.close();
});

function patient(i: number, ipp = String(100000 + i)): PatientRow {
  return {
    id: `p${i}`,
    ipp,
    birthFamilyName: 'DURAND',
    birthGivenNames: 'Anne',
    sex: 'F',
    identityStatus: 'PROV',
    tokens: ['durand', 'anne'],
    units: [],
    createdAt: 0,
    updatedAt: 0,
  };
}

function note(i: number, patientId: string, text = `note ${i}`): NoteRow {
  return { id: `n${i}`, patientId, author: 'Dr Martin', text, createdAt: '2026-11-30T08:00:00.000Z' };
}

/**
 * Main's side of the feed as the bridge method answers it: batches in seq order, pages cut at
 * maxRows (never less than one batch), for one epoch that a test may rebuild.
 */
function feedLog() {
  let epoch = 'E1';
  let batches: FeedBatch[] = [];
  const calls: { after: number; seqAtCall: number }[] = [];
  let failNext: string | null = null;
  const rowsOf = (b: FeedBatch) =>
    Object.values(b.upserts).reduce((n, l) => n + (l?.length ?? 0), 0) + Object.values(b.deletes ?? {}).reduce((n, l) => n + (l?.length ?? 0), 0);
  return {
    calls,
    append(upserts: RecordRows, deletes?: FeedBatch['deletes']) {
      const seq = (batches.at(-1)?.seq ?? 0) + 1;
      // Each page is a fresh copy, as a transport delivers it (the client decodes content in place).
      batches.push(JSON.parse(JSON.stringify({ seq, upserts, ...(deletes ? { deletes } : {}) })) as FeedBatch);
      return seq;
    },
    rebuild(newEpoch: string) {
      epoch = newEpoch;
      batches = [];
    },
    failOnce(message: string) {
      failNext = message;
    },
    fetcher(seqNow: () => number): FetchChanges {
      return async ({ after, maxRows = 5000 }) => {
        calls.push({ after, seqAtCall: seqNow() });
        await new Promise((r) => setTimeout(r, 1));
        if (failNext) {
          const message = failNext;
          failNext = null;
          return { ok: false, error: { code: 'UNAVAILABLE', message } } as never;
        }
        const page: FeedBatch[] = [];
        let rows = 0;
        for (const b of batches) {
          if (b.seq <= after) continue;
          if (page.length > 0 && rows + rowsOf(b) > maxRows) break;
          page.push(JSON.parse(JSON.stringify(b)) as FeedBatch);
          rows += rowsOf(b);
        }
        return { ok: true, value: { epoch, head: batches.at(-1)?.seq ?? 0, batches: page } };
      };
    },
  };
}

function startClient(log: ReturnType<typeof feedLog>, maxRows = 5000): SyncClient {
  const c: SyncClient = createSyncClient({ db, fetchChanges: log.fetcher(() => c.state().seq), maxRows, idlePollMs: 20, retryMs: 20, now: () => 1_700_000_000_000 });
  client = c;
  return c;
}

describe('sync client', () => {
  it('fills an empty cache page by page, fetching the next page while it writes the current one', async () => {
    db = freshRecordDb();
    const log = feedLog();
    for (let b = 0; b < 10; b++) {
      const patients = Array.from({ length: 30 }, (_, i) => patient(b * 30 + i));
      log.append({ patients, notes: patients.map((p, i) => note(b * 30 + i, p.id)) });
    }
    const c = startClient(log, 120);
    await c.syncNow();
    expect(await db.patients.count()).toBe(300);
    expect(await db.notes.where('patientId').equals('p42').count()).toBe(1);
    expect(await db.syncState.get('feed')).toEqual({ id: 'feed', epoch: 'E1', seq: 10, appliedAt: 1_700_000_000_000 });
    expect(c.state()).toMatchObject({ epoch: 'E1', seq: 10, head: 10, caughtUp: true, rowsApplied: 600, error: null });
    // 120 rows a page = 2 batches: pages after 0, 2, 4, 6, 8. Each next page was asked before the
    // current one was written (the client's seq at call time is one page behind).
    expect(log.calls.map((x) => x.after)).toEqual([0, 2, 4, 6, 8]);
    expect(log.calls.map((x) => x.seqAtCall)).toEqual([0, 0, 2, 4, 6]);
  });

  it('resumes from the stored cursor and applies deletes in batch order', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1), patient(2)], notes: [note(1, 'p1'), note(2, 'p2')] });
    await startClient(log).syncNow();
    await client!.stop();
    log.append({ notes: [note(3, 'p1')] }, { notes: ['n1'] });
    log.append({ notes: [note(4, 'p2')] });
    log.append({}, { notes: ['n4'], patients: ['p2'] });
    const again = startClient(log);
    await again.syncNow();
    expect(log.calls.at(-1)!.after).toBe(1);
    expect((await db.notes.toArray()).map((n) => n.id).sort()).toEqual(['n2', 'n3']);
    expect(await db.patients.get('p2')).toBeUndefined();
    expect((await db.syncState.get('feed'))?.seq).toBe(4);
  });

  it('wipes the cache and restarts at 0 when main’s replica has a new epoch', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1), patient(2)] });
    log.append({ notes: [note(1, 'p1')] });
    const c = startClient(log);
    await c.syncNow();
    log.rebuild('E2');
    log.append({ patients: [patient(3)] });
    log.append({ patients: [patient(4)] });
    log.append({ notes: [note(9, 'p4')] });
    await c.syncNow();
    // Asked after 2 in the old epoch, got E2: asked again from 0, wiped, then wrote E2's rows only.
    expect(log.calls.slice(-2).map((x) => x.after)).toEqual([2, 0]);
    expect((await db.patients.toArray()).map((p) => p.id)).toEqual(['p3', 'p4']);
    expect((await db.notes.toArray()).map((n) => n.id)).toEqual(['n9']);
    expect(await db.syncState.get('feed')).toMatchObject({ epoch: 'E2', seq: 3 });
  });

  it('decodes PDF content sent as base64 into bytes', async () => {
    db = freshRecordDb();
    const log = feedLog();
    const pdf = new Uint8Array([37, 80, 68, 70, 45, 49, 46, 55, 0, 255]);
    log.append({
      documentContents: [
        { id: 'd1', patientId: 'p1', kind: 'pdf', data: { base64: bytesToBase64(pdf) } as never },
        { id: 'd2', patientId: 'p1', kind: 'cda', data: '<ClinicalDocument/>' },
      ],
    });
    await startClient(log).syncNow();
    const stored = await db.documentContents.get('d1');
    expect(stored?.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(stored!.data as Uint8Array)).toEqual(Array.from(pdf));
    expect((await db.documentContents.get('d2'))?.data).toBe('<ClinicalDocument/>');
  });

  it('refuses a page with unreadable content whole: nothing written, cursor unchanged, French message', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1)] });
    log.append({ patients: [patient(2)], documentContents: [{ id: 'd1', patientId: 'p2', kind: 'pdf', data: { base64: 'pas du base64 !' } as never }] });
    const c = startClient(log);
    await c.syncNow();
    expect(c.state().error).toBe('Contenu du document d1 illisible (base64 invalide) : le lot n’est pas appliqué.');
    expect(await db.patients.count()).toBe(0);
    expect(await db.syncState.get('feed')).toBeUndefined();
  });

  it('a page IndexedDB refuses leaves neither rows nor cursor behind', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1)] });
    await startClient(log).syncNow();
    // A row without its key: the put fails and the transaction aborts.
    log.append({ patients: [patient(2)], notes: [{ ...note(5, 'p2'), id: undefined } as never] });
    await client!.syncNow();
    expect(client!.state().error).toMatch(/./);
    expect((await db.patients.toArray()).map((p) => p.id)).toEqual(['p1']);
    expect((await db.syncState.get('feed'))?.seq).toBe(1);
  });

  it('keeps the cursor on a bridge failure, says why, and catches up on the next poll', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1)] });
    log.failOnce('Service local du poste injoignable.');
    const c = startClient(log);
    const seen: { error: string | null; seq: number }[] = [];
    c.subscribe((s) => seen.push({ error: s.error, seq: s.seq }));
    c.start();
    await expect.poll(() => c.state().seq).toBe(1);
    expect(seen).toContainEqual({ error: 'Service local du poste injoignable.', seq: 0 });
    expect(c.state().error).toBeNull();
    // Caught up, it keeps polling: a batch appended later arrives by itself.
    log.append({ notes: [note(7, 'p1', 'arrivée plus tard')] });
    await expect.poll(async () => (await db.notes.get('n7'))?.text).toBe('arrivée plus tard');
  });

  it('stops polling on stop (sign-out, lock)', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1)] });
    const c = startClient(log);
    c.start();
    await expect.poll(() => c.state().caughtUp).toBe(true);
    await c.stop();
    const n = log.calls.length;
    log.append({ patients: [patient(2)] });
    await new Promise((r) => setTimeout(r, 100));
    expect(log.calls.length).toBe(n);
    expect(await db.patients.get('p2')).toBeUndefined();
    expect(c.state().running).toBe(false);
  });

  it('two identities may share an IPP in the cache (the server decides uniqueness)', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1, '555'), patient(2, '555')] });
    await startClient(log).syncNow();
    expect(await db.patients.where('ipp').equals('555').count()).toBe(2);
  });

  it('puts the rows of a local write at once without moving the cursor; their feed batch later is harmless', async () => {
    db = freshRecordDb();
    const log = feedLog();
    log.append({ patients: [patient(1)] });
    await startClient(log).syncNow();
    // Main answered a write with its rows and seq 3; batch 2 (another workstation's) is not here yet.
    log.append({ notes: [note(2, 'p1', 'poste B')] });
    const written = note(3, 'p1', 'écrite ici');
    expect(await putRows(db, { notes: [written] })).toBe(1);
    expect(await db.notes.get('n3')).toEqual(written);
    expect((await db.syncState.get('feed'))?.seq).toBe(1);
    log.append({ notes: [written] });
    await client!.syncNow();
    expect((await db.notes.toArray()).map((n) => n.text).sort()).toEqual(['poste B', 'écrite ici']);
    expect((await db.syncState.get('feed'))?.seq).toBe(3);
  });
});

import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReplicaStore } from '../../../../src/main/sync/replica/store';
import type { PatientRow } from '../../../../src/shared/record/types';

function patient(id: string, name = 'DUPONT'): PatientRow {
  return { id, ipp: `ipp-${id}`, birthFamilyName: name, birthGivenNames: 'Jean', sex: 'M', identityStatus: 'PROV', tokens: [name.toLowerCase()], units: [], createdAt: 1, updatedAt: 1 };
}

const dirOf = () => path.join(mkdtempSync(path.join(tmpdir(), 'replica-')), 'replica');

describe('replica store', () => {
  it('appends batches with consecutive seqs, reads them back by seq and keeps the latest row by id', async () => {
    const dir = dirOf();
    const store = await openReplicaStore(dir);
    expect(store.head()).toBe(0);
    expect(await store.append({ upserts: { patients: [patient('a'), patient('b')] } })).toBe(1);
    expect(await store.append({ upserts: { patients: [patient('a', 'MARTIN')] } })).toBe(2);
    expect(await store.append({ upserts: {}, deletes: { patients: ['b'] } })).toBe(3);
    expect((await store.read(0, 5000)).map((b) => b.seq)).toEqual([1, 2, 3]);
    // maxRows bounds a read, but one batch is always returned whole.
    expect((await store.read(0, 1)).map((b) => b.seq)).toEqual([1]);
    expect((await store.read(1, 2)).map((b) => b.seq)).toEqual([2, 3]);
    expect(await store.read(3, 10)).toEqual([]);
    expect((await store.get('patients', 'a'))?.birthFamilyName).toBe('MARTIN');
    expect(await store.get('patients', 'b')).toBeUndefined();
    await store.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'log.ndjson')).mode & 0o777).toBe(0o600);
  });

  it('keeps PDF bytes as bytes through the log, and the epoch, versions and cursors across a reopen', async () => {
    const dir = dirOf();
    const store = await openReplicaStore(dir);
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    await store.append(
      { upserts: { documentContents: [{ id: 'd1', patientId: 'a', kind: 'pdf', data: pdf }] } },
      { versions: { 'DocumentReference/d1': '3' }, cursors: { DocumentReference: '2026-11-30T01:00:00.000Z' } },
    );
    const epoch = store.epoch;
    await store.close();
    const again = await openReplicaStore(dir);
    expect(again.epoch).toBe(epoch);
    expect(again.versionOf('DocumentReference', 'd1')).toBe('3');
    expect(again.cursor('DocumentReference')).toBe('2026-11-30T01:00:00.000Z');
    const [batch] = await again.read(0, 10);
    expect(batch!.upserts.documentContents![0]!.data).toEqual(pdf);
    await again.close();
  });

  it('drops a torn last line at reopen and goes on from the last complete batch', async () => {
    const dir = dirOf();
    const store = await openReplicaStore(dir);
    await store.append({ upserts: { patients: [patient('a')] } }, { cursors: { Patient: 't1' } });
    await store.append({ upserts: { patients: [patient('b')] } }, { cursors: { Patient: 't2' } });
    await store.close();
    const log = path.join(dir, 'log.ndjson');
    const whole = readFileSync(log, 'utf8');
    // A crash in the middle of writing batch 3, and an index that lags the log.
    appendFileSync(log, '{"seq":3,"upserts":{"patients":[{"id":"c"');
    truncateSync(path.join(dir, 'log.idx'), 8);
    const again = await openReplicaStore(dir);
    expect(again.head()).toBe(2);
    expect(again.cursor('Patient')).toBe('t2');
    expect(readFileSync(log, 'utf8')).toBe(whole);
    expect(await again.append({ upserts: { patients: [patient('c')] } })).toBe(3);
    expect((await again.read(1, 10)).map((b) => b.upserts.patients![0]!.id)).toEqual(['b', 'c']);
    await again.close();
  });

  it('refuses a log damaged in its middle with a French message instead of silently cutting batches', async () => {
    const dir = dirOf();
    const store = await openReplicaStore(dir);
    await store.append({ upserts: { patients: [patient('a')] } });
    await store.append({ upserts: { patients: [patient('b')] } });
    await store.close();
    const log = path.join(dir, 'log.ndjson');
    const lines = readFileSync(log, 'utf8').split('\n');
    writeFileSync(log, ['{"seq":1,"upse', lines[1], ''].join('\n'));
    writeFileSync(path.join(dir, 'log.idx'), Buffer.alloc(0));
    await expect(openReplicaStore(dir)).rejects.toThrow(/journal de la réplique est endommagé/);
  });

  it('replays only what follows a checkpoint, handing the care snapshot and the care deltas since', async () => {
    const dir = dirOf();
    const store = await openReplicaStore(dir);
    await store.append({ upserts: {} }, { care: { patients: [{ id: 'a', ipp: '1' }] }, versions: { 'Patient/a': '1' } });
    await store.checkpoint({ snapshotOf: 'a' });
    await store.append({ upserts: {} }, { care: { encounters: [{ id: 'e', patientId: 'a', unit: 'Cardiologie', status: 'in-progress' }] }, versions: { 'Patient/a': null } });
    await store.close();
    const again = await openReplicaStore(dir);
    expect(again.careState()).toEqual({ snapshot: { snapshotOf: 'a' }, tail: [{ encounters: [{ id: 'e', patientId: 'a', unit: 'Cardiologie', status: 'in-progress' }] }] });
    expect(again.versionOf('Patient', 'a')).toBeUndefined();
    await again.close();
  });
});

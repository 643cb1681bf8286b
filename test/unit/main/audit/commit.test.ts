import { describe, expect, it } from 'vitest';
import { createGroupCommit, type CommitItem } from '../../../../src/main/audit/commit';

/** File operations whose syncs the test completes by hand, recording what happened in order. */
function manualIo() {
  const log: string[] = [];
  const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let inflight = 0;
  let maxInflight = 0;
  const io = {
    write: (_fd: number, data: Buffer) => {
      log.push(`write ${data.toString('latin1').split('\n').filter(Boolean).join(',')}`);
      return Promise.resolve();
    },
    sync: () =>
      new Promise<void>((resolve, reject) => {
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        const n = syncs.length;
        log.push(`sync ${n}`);
        const done = () => {
          inflight--;
          log.push(`synced ${n}`);
        };
        syncs.push({ resolve: () => (done(), resolve()), reject: (e) => (done(), reject(e)) });
      }),
  };
  return { io, log, syncs, maxInflight: () => maxInflight };
}

const item = (seq: number): CommitItem => ({ seq, line: Buffer.from(`${seq}\n`, 'latin1'), leaf: `leaf${seq}` });
const settle = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('acknowledges an entry only after the sync covering it, in order, with at most maxInflight syncs', async () => {
    const m = manualIo();
    const durable: number[][] = [];
    const commit = createGroupCommit({ fd: -1, maxBatch: 3, maxInflight: 2, io: m.io, onDurable: (b) => durable.push(b.map((i) => i.seq)) });
    const acked: number[] = [];
    const all = Array.from({ length: 8 }, (_, i) => commit.enqueue(item(i)).then((r) => acked.push(r.seq)));
    await settle();
    // Batches of 3; the third waits for a sync slot.
    expect(m.log).toEqual(['write 0,1,2', 'sync 0', 'write 3,4,5', 'sync 1']);
    // The second sync finishing first acknowledges nothing: entry 3 must not be acked before 0.
    m.syncs[1]?.resolve();
    await settle();
    expect(acked).toEqual([]);
    m.syncs[0]?.resolve();
    await settle();
    expect(acked).toEqual([0, 1, 2, 3, 4, 5]);
    expect(durable).toEqual([[0, 1, 2], [3, 4, 5]]);
    // Entries queued meanwhile form the next batch.
    expect(m.log.slice(-2)).toEqual(['write 6,7', 'sync 2']);
    m.syncs[2]?.resolve();
    await Promise.all(all);
    expect(acked).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.maxInflight()).toBe(2);
  });

  it('fails the batch whose sync failed and everything after it, then refuses new entries', async () => {
    const m = manualIo();
    const commit = createGroupCommit({ fd: -1, maxBatch: 2, maxInflight: 1, io: m.io, onDurable: () => {} });
    const results = [0, 1, 2].map((i) => commit.enqueue(item(i)).then(() => 'ok', (e: Error) => e.message));
    await settle();
    m.syncs[0]?.reject(new Error('EIO'));
    expect(await Promise.all(results)).toEqual(Array(3).fill('Écriture du journal d’audit impossible (EIO) : l’application doit être redémarrée.'));
    expect(commit.broken()?.message).toContain('EIO');
    await expect(commit.enqueue(item(3))).rejects.toThrow('EIO');
    expect(m.log).toEqual(['write 0,1', 'sync 0', 'synced 0']);
  });
});

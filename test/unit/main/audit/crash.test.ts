import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openJournal } from '../../../../src/main/audit/journal';
import { createPemSigner, type WorkerSigner } from '../../../../src/main/audit/signer';
import { verifyJournal } from '../../../../src/main/audit/verify';
import { makeTestKey, tempDir, tickingClock, type TestKey } from './helpers';

let key: TestKey;
let signer: WorkerSigner;
const tmp = tempDir('journal-crash-');

beforeAll(async () => {
  key = makeTestKey();
  signer = await createPemSigner({ ...key, engine: 'openssl' });
  writeFileSync(path.join(tmp.dir, 'key.json'), JSON.stringify(key));
});
afterAll(async () => {
  await signer.close();
  if (!process.env.KEEP) tmp.cleanup(); else console.log(tmp.dir);
});

/** Runs the child until it has acknowledged `atLeast` entries, then SIGKILLs it; returns the acknowledged seqs. */
function runAndKill(atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    // node itself (not the tsx wrapper, which would survive as a parent while its node child runs on).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-child.ts'), tmp.dir], { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(__dirname, '../../../..') });
    const acked: number[] = [];
    let rest = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      if (!killed && acked.length >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

it('loses no acknowledged entry when killed with SIGKILL mid-append, and verifies after reopening', async () => {
  const all = new Set<number>();
  let recoveredSeen = 0;
  for (let round = 0; round < 3; round++) {
    const acked = await runAndKill(1500 + round * 700);
    expect(acked.length).toBeGreaterThan(0);
    for (const s of acked) all.add(s);
    const j = await openJournal({ dir: path.join(tmp.dir, 'journal'), signer, clock: tickingClock(), workstationId: 'poste-crash' });
    const max = Math.max(...all);
    expect(j.size()).toBeGreaterThan(max);
    // Every acknowledged seq is present and is a chart/auth entry written by the child.
    const { entries } = await j.query({ limit: Number.MAX_SAFE_INTEGER });
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    for (const s of all) expect(bySeq.get(s)?.workstationId).toBe('poste-crash');
    if (j.recovery) {
      recoveredSeen++;
      const rec = entries.filter((e) => e.type === 'journal.recovered');
      expect(rec.at(-1)?.detail).toMatchObject({ bytesCut: j.recovery.bytesCut });
    }
    await j.close();
    const res = await verifyJournal(path.join(tmp.dir, 'journal'), { certificatePem: key.certificatePem });
    expect(res, res.reason).toMatchObject({ ok: true, unsignedTail: 0 });
  }
  // Whether a kill lands inside a write is timing; the recovery path itself is tested deterministically elsewhere.
  if (process.env.KEEP) console.log('rounds with a cut tail:', recoveredSeen);
}, 120_000);

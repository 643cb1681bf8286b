import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/audit/cli';
import { journalPath } from '../../../../src/main/audit/files';
import { openJournal } from '../../../../src/main/audit/journal';
import { createPemSigner } from '../../../../src/main/audit/signer';
import { makeTestKey, sampleEvent, tempDir, tickingClock } from './helpers';

const tmp = tempDir('journal-cli-');
const dataDir = path.join(tmp.dir, 'data');

beforeAll(async () => {
  const key = makeTestKey();
  mkdirSync(path.join(dataDir, 'pki'), { recursive: true });
  writeFileSync(path.join(dataDir, 'pki', 'workstation.cert.pem'), key.certificatePem);
  const signer = await createPemSigner({ ...key, engine: 'openssl' });
  const j = await openJournal({ dir: path.join(dataDir, 'journal'), signer, clock: tickingClock(), workstationId: 'poste-cli', checkpointEveryEntries: 20 });
  for (let i = 0; i < 50; i++) await j.append(sampleEvent(i));
  await j.close();
  await signer.close();
});
afterAll(() => tmp.cleanup());

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('journal CLI', () => {
  it('verify: 0 on an intact journal, 2 on bad usage or missing input', async () => {
    const ok = await run('verify', '--data-dir', dataDir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Journal intègre : 50 entrées/);
    expect((await run('verify', '--data-dir', path.join(tmp.dir, 'nulle-part'))).code).toBe(2);
    expect((await run('verify', '--data-dir', dataDir, '--cert', path.join(tmp.dir, 'absent.pem'))).err).toMatch(/Certificat du poste illisible/);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('prove', 'abc', '--data-dir', dataDir)).code).toBe(2);
    expect((await run('export', '--data-dir', dataDir, '--from', '2026-11-23')).code).toBe(2);
  });

  it('prove prints a transparency-dev style proof that verify-proof accepts, and rejects a mutated one', async () => {
    const res = await run('prove', '17', '--data-dir', dataDir);
    expect(res.code).toBe(0);
    const proof = JSON.parse(res.out);
    expect(proof).toMatchObject({ leafIdx: 17, treeSize: 50 });
    const good = path.join(tmp.dir, 'good.json');
    const bad = path.join(tmp.dir, 'bad.json');
    const consistency = path.join(tmp.dir, 'consistency.json');
    writeFileSync(good, JSON.stringify(proof));
    writeFileSync(bad, JSON.stringify({ ...proof, leafIdx: 18 }));
    // transparency-dev/merkle testdata/consistency/2/happy-path.json
    writeFileSync(
      consistency,
      JSON.stringify({
        size1: 6,
        size2: 8,
        root1: 'duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=',
        root2: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
        proof: ['DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=', 'yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=', '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc='],
        desc: 'happy path',
        wantErr: false,
      }),
    );
    const ok = await run('verify-proof', good, consistency);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe(`${good}: valid\n${consistency}: valid`);
    const ko = await run('verify-proof', good, bad);
    expect(ko.code).toBe(1);
    expect(ko.out).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid: la racine recalculée`));
  });

  it('export writes JSON lines with the covering checkpoints', async () => {
    const out = path.join(tmp.dir, 'export.jsonl');
    const res = await run('export', '--data-dir', dataDir, '--from', '2026-11-23', '--to', '2026-11-23', '--user', 'u3', '--format', 'jsonl', '--out', out);
    expect(res.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.seq !== undefined).every((l) => l.agent.userId === 'u3')).toBe(true);
    expect(lines.some((l) => l.checkpoint)).toBe(true);
  });

  it('exits 1 from a real process when the journal was altered', () => {
    const file = journalPath(path.join(dataDir, 'journal'));
    const buf = readFileSync(file);
    const at = buf.indexOf('"seq":30,') + 40;
    buf[at] = (buf[at] as number) ^ 1;
    writeFileSync(file, buf);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../../../src/main/audit/cli.ts'), 'verify', '--data-dir', dataDir], {
      cwd: path.resolve(__dirname, '../../../..'),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Journal NON intègre : Entrée 30/);
  });
});

import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointsPath, journalPath } from '../../../../src/main/audit/files';
import { exportJournal } from '../../../../src/main/audit/export';
import { toFhirAuditEvent } from '../../../../src/main/audit/fhir';
import { openJournal, type Journal } from '../../../../src/main/audit/journal';
import { leafHash, verifyConsistency, verifyInclusion } from '../../../../src/main/audit/merkle';
import { createJournalAuditPort } from '../../../../src/main/audit/port';
import { createPemSigner, createPkcs12Signer, type WorkerSigner } from '../../../../src/main/audit/signer';
import { verifyJournal } from '../../../../src/main/audit/verify';
import { makeTestKey, sampleEvent, tempDir, tickingClock, type TestKey } from './helpers';

let key: TestKey;
let otherKey: TestKey;
let signer: WorkerSigner;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  key = makeTestKey();
  otherKey = makeTestKey('Autre poste');
  signer = await createPemSigner({ ...key, engine: 'openssl' });
});
afterAll(async () => {
  await signer.close();
  for (const c of cleanups) c();
});

function newDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function open(dir: string, extra: Partial<Parameters<typeof openJournal>[0]> = {}) {
  return openJournal({ dir, signer, verifierCert: key.certificatePem, clock: tickingClock(), workstationId: 'poste-42', ...extra });
}

async function build(dir: string, n: number, every = 10): Promise<void> {
  const j = await open(dir, { checkpointEveryEntries: every });
  await Promise.all(Array.from({ length: n }, (_, i) => j.append(sampleEvent(i))));
  await j.close();
}

describe('journal', () => {
  it('appends durably, numbers from 0, signs checkpoints and verifies', async () => {
    const dir = newDir();
    const j = await open(dir, { checkpointEveryEntries: 50 });
    const seqs = await Promise.all(Array.from({ length: 230 }, (_, i) => j.append(sampleEvent(i))));
    expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: 230 }, (_, i) => i));
    expect(j.size()).toBe(230);
    const cp = await j.checkpoint();
    expect(cp?.treeSize).toBe(230);
    await j.close();
    const lines = readFileSync(journalPath(dir), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(230);
    expect(lines[3]).toMatch(/^[0-9a-f]{16} \{"seq":3,"time":"2026-11-23T08:00:00\.\d{3}Z","type":"chart\.open"/);
    const res = await verifyJournal(dir, { certificatePem: key.certificatePem });
    expect(res).toMatchObject({ ok: true, entries: 230, unsignedTail: 0 });
    expect(res.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('reopens where it stopped and keeps the chain of checkpoints', async () => {
    const dir = newDir();
    await build(dir, 25);
    const j = await open(dir);
    expect(j.recovery).toBeNull();
    expect(j.size()).toBe(25);
    expect((await j.append(sampleEvent(99))).seq).toBe(25);
    await j.close();
    expect(await verifyJournal(dir, { certificatePem: key.certificatePem })).toMatchObject({ ok: true, entries: 26 });
  });

  it('rejects an invalid event with a French reason and writes nothing', async () => {
    const dir = newDir();
    const j = await open(dir);
    await expect(j.append({ type: 'Chart Open', action: 'R', outcome: 'success' })).rejects.toThrow(/type « Chart Open » mal formé/);
    await expect(j.append({ ...sampleEvent(1), detail: { x: Number.NaN } })).rejects.toThrow(/nombre fini/);
    await expect(j.append({ ...sampleEvent(1), agent: { userId: 'u', name: 'n', role: 'r', rpps: '12' } })).rejects.toThrow(/RPPS/);
    expect(j.size()).toBe(0);
    expect((await j.append(sampleEvent(2))).seq).toBe(0);
    await j.close();
  });

  it('queries by patient, user, type, period and lists break-glass accesses', async () => {
    const dir = newDir();
    const j = await open(dir);
    await Promise.all(Array.from({ length: 100 }, (_, i) => j.append(sampleEvent(i))));
    const byPatient = await j.query({ patientIpp: 'IPP000003', limit: 3 });
    expect(byPatient.total).toBe(8);
    expect(byPatient.entries.map((e) => e.seq)).toEqual([3, 16, 29]);
    const desc = await j.query({ patientIpp: 'IPP000003', limit: 2, order: 'desc' });
    expect(desc.entries.map((e) => e.seq)).toEqual([94, 81]);
    expect((await j.query({ userId: 'u2', type: 'auth.*' })).entries.every((e) => e.agent?.userId === 'u2' && e.type === 'auth.login')).toBe(true);
    const period = await j.query({ from: '2026-11-23T08:00:00.010Z', to: '2026-11-23T08:00:00.019Z', limit: 100 });
    expect(period.total).toBe(10);
    const bg = await j.breakGlassEntries({ limit: 100 });
    expect(bg.entries.map((e) => e.seq)).toEqual([0, 11, 22, 33, 44, 55, 66, 77, 88, 99]);
    expect(bg.entries[1]?.purposeOfUse).toEqual({ code: 'bris_de_glace', justification: 'Patient inconscient aux urgences' });
    await expect(j.query({ from: 'hier' })).rejects.toThrow(/Date invalide/);
    await j.close();
  });

  it('proves inclusion and consistency against signed checkpoints', async () => {
    const dir = newDir();
    const j = await open(dir, { checkpointEveryEntries: 1_000_000 });
    await Promise.all(Array.from({ length: 37 }, (_, i) => j.append(sampleEvent(i))));
    const cp1 = await j.checkpoint();
    await Promise.all(Array.from({ length: 30 }, (_, i) => j.append(sampleEvent(100 + i))));
    const cp2 = await j.checkpoint();
    expect(cp1?.treeSize).toBe(37);
    expect(cp2?.treeSize).toBe(67);
    for (const seq of [0, 5, 36, 66]) {
      const p = await j.prove(seq);
      expect(JSON.parse(p.entry).seq).toBe(seq);
      expect(leafHash(Buffer.from(p.entry, 'utf8')).toString('base64')).toBe(p.leafHash);
      expect(() => verifyInclusion(seq, p.treeSize, Buffer.from(p.leafHash, 'base64'), p.proof.map((h) => Buffer.from(h, 'base64')), Buffer.from(p.rootHash, 'base64'))).not.toThrow();
      expect(p.rootHash).toBe(cp2?.rootHash);
    }
    const c = await j.proveConsistency(37);
    expect(c.root1).toBe(cp1?.rootHash);
    expect(c.root2).toBe(cp2?.rootHash);
    expect(() => verifyConsistency(37, 67, Buffer.from(c.root1, 'base64'), Buffer.from(c.root2, 'base64'), c.proof.map((h) => Buffer.from(h, 'base64')))).not.toThrow();
    await j.append(sampleEvent(1));
    await expect(j.prove(67)).rejects.toThrow(/pas encore couverte/);
    await j.close();
  });

  it('fails verification when checkpoints were signed by another key', async () => {
    const dir = newDir();
    await build(dir, 30);
    const res = await verifyJournal(dir, { certificatePem: otherKey.certificatePem });
    expect(res.ok).toBe(false);
    expect(res.badCheckpoint).toBe(0);
    expect(res.reason).toMatch(/clé inconnue/);

    // A checkpoint re-signed by another key but claiming the workstation key id.
    const other = await createPemSigner({ ...otherKey, engine: 'openssl' });
    try {
      const forged = newDir();
      const j = await openJournal({ dir: forged, signer: { keyId: signer.keyId, sign: (d) => other.sign(d) }, clock: tickingClock(), workstationId: 'poste-42' });
      await j.append(sampleEvent(1));
      await j.close();
      const r2 = await verifyJournal(forged, { certificatePem: key.certificatePem });
      expect(r2).toMatchObject({ ok: false, badCheckpoint: 0 });
      expect(r2.reason).toMatch(/signature invalide/);
      // The journal itself refuses to write a checkpoint its certificate does not verify.
      await expect(openJournal({ dir: newDir(), signer: other, verifierCert: key.certificatePem, clock: tickingClock(), workstationId: 'x' })).rejects.toThrow(/ne correspond pas au certificat/);
    } finally {
      await other.close();
    }
  });

  it('signs with node-forge in a worker, from PEM or from a PKCS#12', async () => {
    const dir = newDir();
    const forgeSigner = await createPemSigner(key);
    try {
      expect(forgeSigner.keyId).toBe(signer.keyId);
      const j = await openJournal({ dir, signer: forgeSigner, verifierCert: key.certificatePem, clock: tickingClock(), workstationId: 'poste-42' });
      await j.append(sampleEvent(0));
      await j.close();
    } finally {
      await forgeSigner.close();
    }
    const fkey = forge.pki.privateKeyFromPem(key.privateKeyPem);
    const cert = forge.pki.certificateFromPem(key.certificatePem);
    const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(fkey, [cert], 'phrase secrète', { algorithm: 'aes256' })).getBytes();
    await expect(createPkcs12Signer({ p12: Buffer.from(p12, 'binary'), passphrase: 'mauvaise' })).rejects.toThrow(/phrase de passe incorrecte/);
    const p12Signer = await createPkcs12Signer({ p12: Buffer.from(p12, 'binary'), passphrase: 'phrase secrète' });
    try {
      expect(p12Signer.keyId).toBe(signer.keyId);
      const j = await openJournal({ dir, signer: p12Signer, verifierCert: key.certificatePem, clock: tickingClock(), workstationId: 'poste-42' });
      await j.append(sampleEvent(1));
      await j.close();
    } finally {
      await p12Signer.close();
    }
    expect(await verifyJournal(dir, { certificatePem: key.certificatePem })).toMatchObject({ ok: true, entries: 2 });
  });

  it('repairs a torn tail on open and records journal.recovered', async () => {
    const dir = newDir();
    await build(dir, 12);
    const journal = readFileSync(journalPath(dir));
    const lastLine = journal.subarray(journal.lastIndexOf(0x0a, journal.length - 2) + 1);
    appendFileSync(journalPath(dir), lastLine.subarray(0, 40)); // a write cut mid-record
    appendFileSync(checkpointsPath(dir), '{"index":'); // and a checkpoint cut too
    const before = await verifyJournal(dir, { certificatePem: key.certificatePem });
    expect(before.ok).toBe(false);
    expect(before.reason).toMatch(/incomplet/);
    const j = await open(dir);
    expect(j.recovery).toEqual({ bytesCut: 40, partialRecord: true, checkpointBytesCut: 9 });
    const rec = await j.query({ type: 'journal.recovered' });
    expect(rec.entries).toHaveLength(1);
    expect(rec.entries[0]).toMatchObject({ seq: 12, action: 'E', detail: { bytesCut: 40, partialRecord: true } });
    await j.close();
    expect(await verifyJournal(dir, { certificatePem: key.certificatePem })).toMatchObject({ ok: true, entries: 13 });
  });

  it('names a damaged entry precisely', async () => {
    const dir = newDir();
    await build(dir, 12);
    const buf = readFileSync(journalPath(dir));
    const at = buf.indexOf('"seq":20') > 0 ? 0 : buf.indexOf('"seq":5,') + 30;
    buf[at] = buf[at] === 0x41 ? 0x42 : 0x41;
    writeFileSync(journalPath(dir), buf);
    // Damage inside the signed part is found by verify, not silently "repaired".
    const res = await verifyJournal(dir, { certificatePem: key.certificatePem });
    expect(res).toMatchObject({ ok: false, firstBadSeq: 5 });
    expect(res.reason).toMatch(/Entrée 5 .*empreinte/);
  });

  it('verifies with worker threads and names the first bad entry', async () => {
    const dir = newDir();
    await build(dir, 300, 40);
    const opts = { certificatePem: key.certificatePem, chunkBytes: 4096, inlineLimitBytes: 0, workers: 2 };
    const progress: number[] = [];
    expect(await verifyJournal(dir, { ...opts, onProgress: (d) => progress.push(d) })).toMatchObject({ ok: true, entries: 300 });
    expect(progress.at(-1)).toBe(readFileSync(journalPath(dir)).length);
    // An edit that recomputes the record check is only visible through the signed roots.
    const lines = readFileSync(journalPath(dir), 'utf8').split('\n');
    const json = (lines[123] as string).slice(17).replace('"view":"synthese"', '"view":"synthesX"');
    const leaf = leafHash(Buffer.from(json, 'utf8')).subarray(0, 8).toString('hex');
    lines[123] = `${leaf} ${json}`;
    writeFileSync(journalPath(dir), lines.join('\n'));
    const res = await verifyJournal(dir, opts);
    expect(res.ok).toBe(false);
    expect(res.firstBadSeq).toBeLessThanOrEqual(123);
    expect(res.firstBadSeq).toBeGreaterThan(123 - 45);
    expect(res.reason).toMatch(/racine signée/);
  });
});

describe('tampering anywhere is detected (fast-check)', () => {
  let pristine: string;
  beforeAll(async () => {
    pristine = newDir();
    await build(pristine, 60, 10);
    expect(await verifyJournal(pristine, { certificatePem: key.certificatePem })).toMatchObject({ ok: true, entries: 60 });
  });

  type Kind = 'bitflip' | 'truncate' | 'delete' | 'swap' | 'insert';
  const splitLines = (b: Buffer): Buffer[] => {
    const out: Buffer[] = [];
    let p = 0;
    while (p < b.length) {
      const nl = b.indexOf(0x0a, p);
      out.push(b.subarray(p, nl + 1));
      p = nl + 1;
    }
    return out;
  };

  function mutate(buf: Buffer, kind: Kind, a: number, b: number, bit: number): Buffer | null {
    const lines = splitLines(buf);
    switch (kind) {
      case 'bitflip': {
        const out = Buffer.from(buf);
        const i = a % out.length;
        out[i] = (out[i] as number) ^ (1 << bit);
        return out;
      }
      case 'truncate':
        return buf.subarray(0, a % buf.length);
      case 'delete':
        return Buffer.concat(lines.filter((_, i) => i !== a % lines.length));
      case 'swap': {
        const i = a % lines.length;
        const k = b % lines.length;
        if (i === k || (lines[i] as Buffer).equals(lines[k] as Buffer)) return null;
        [lines[i], lines[k]] = [lines[k] as Buffer, lines[i] as Buffer];
        return Buffer.concat(lines);
      }
      case 'insert': {
        const copy = lines[b % lines.length] as Buffer;
        lines.splice(a % (lines.length + 1), 0, copy);
        return Buffer.concat(lines);
      }
    }
  }

  for (const target of ['journal', 'checkpoints'] as const) {
    it(`in ${target === 'journal' ? 'entries' : 'checkpoints'}`, async () => {
      const file = target === 'journal' ? journalPath : checkpointsPath;
      const original = readFileSync(file(pristine));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<Kind>('bitflip', 'truncate', 'delete', 'swap', 'insert'), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (kind, a, b, bit) => {
          const mutated = mutate(original, kind, a, b, bit);
          if (!mutated) return;
          const dir = newDir();
          cpSync(pristine, dir, { recursive: true });
          writeFileSync(file(dir), mutated);
          const res = await verifyJournal(dir, { certificatePem: key.certificatePem });
          expect(res.ok, `${kind} ${a} ${b} ${bit} passed verification`).toBe(false);
          expect(res.reason).toBeTruthy();
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('mapping and export', () => {
  it('maps break-glass onto DICOM 110127 and the DMP access-mode system', () => {
    const ev = toFhirAuditEvent({ seq: 11, time: '2026-11-23T08:00:00.011Z', workstationId: 'poste-42', ...sampleEvent(11) } as never);
    expect(ev).toMatchObject({
      resourceType: 'AuditEvent',
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110127', display: 'Emergency Override Started' },
      subtype: [{ code: 'chart.open' }],
      action: 'R',
      recorded: '2026-11-23T08:00:00.011Z',
      outcome: '0',
      purposeOfEvent: [{ coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.248', code: 'bris_de_glace' }, { code: 'ETREAT' }], text: 'Patient inconscient aux urgences' }],
    });
    const entity = ev.entity as { what: { identifier?: { system: string; value: string } } }[];
    expect(entity.map((e) => e.what.identifier?.system)).toContain('urn:oid:1.2.250.1.213.1.4.10');
    const agent = (ev.agent as { altId?: string; who: { identifier: { value: string } } }[])[0];
    expect(agent?.altId).toBe('10003456789');
    expect(agent?.who.identifier.value).toBe('u1');
  });

  it('exports a period as FHIR with its checkpoints, and as JSON lines that re-hash to the leaves', async () => {
    const dir = newDir();
    const j = await open(dir, { checkpointEveryEntries: 1_000_000 });
    for (let i = 0; i < 40; i++) {
      await j.append(sampleEvent(i));
      if (i % 10 === 9) await j.checkpoint();
    }
    await j.close();
    const times = readFileSync(journalPath(dir), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l.slice(17)).time as string);
    const fhir = await exportJournal(dir, { from: times[5] as string, to: times[24] as string, format: 'fhir', now: new Date('2026-12-01T00:00:00Z') });
    const bundle = JSON.parse(fhir.data as string) as { entry: { resource: { resourceType: string; data?: string } }[] };
    expect(fhir.entries).toBe(20);
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'AuditEvent')).toHaveLength(20);
    const cps = bundle.entry.filter((e) => e.resource.resourceType === 'Binary').map((e) => JSON.parse(Buffer.from(e.resource.data as string, 'base64').toString('utf8')));
    expect(cps.map((c) => c.treeSize)).toEqual([10, 20, 30]);
    const out = path.join(dir, 'export.jsonl');
    const r = await exportJournal(dir, { from: '2026-11-23', to: '2026-11-23', patient: 'IPP000001', format: 'jsonl', out });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(r.entries).toBe(3);
    const journalLines = readFileSync(journalPath(dir), 'utf8').trimEnd().split('\n');
    for (const l of lines.slice(0, 3)) {
      const seq = JSON.parse(l).seq as number;
      expect((journalLines[seq] as string).slice(17)).toBe(l);
    }
    expect(lines.slice(3).map((l) => JSON.parse(l).checkpoint.treeSize)).toEqual([10, 20, 30]);
  });

  it('implements the AuditPort', async () => {
    const dir = newDir();
    const j: Journal = await open(dir);
    const port = createJournalAuditPort(j);
    expect(await port.record({ type: 'auth.login', action: 'E', outcome: 'failure' })).toEqual({ seq: 0 });
    await j.close();
  });
});

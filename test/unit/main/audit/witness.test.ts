import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/main/audit/cli';
import { originFor } from '../../../../src/main/audit/checkpoint';
import { readCheckpointFile } from '../../../../src/main/audit/files';
import { openJournal, type Journal } from '../../../../src/main/audit/journal';
import { verifyConsistency } from '../../../../src/main/audit/merkle';
import { createPemSigner, type WorkerSigner } from '../../../../src/main/audit/signer';
import { createJournalWitness } from '../../../../src/main/audit/witness';
import { consistencyFromBasic, createFhirWitnessPort } from '../../../../src/main/audit/witness-fhir';
import { startHostWitness } from '../../../../src/main/audit/witness-host';
import { createMemoryAuditPort } from '../../../../src/main/host/audit-port';
import { createMemoryLogger } from '../../../../src/main/host/logger';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../src/main/hospital/test-server';
import { makeTestKey, sampleEvent, tempDir, tickingClock, type TestKey } from './helpers';

const WORKSTATION = 'poste-temoin';
const tmp = tempDir('journal-witness-');
let key: TestKey;
let signer: WorkerSigner;
let server: HospitalTestServer;
const serverDir = path.join(tmp.dir, 'hospital');

beforeAll(async () => {
  key = makeTestKey();
  signer = await createPemSigner({ ...key, engine: 'openssl' });
  server = await startHospitalTestServer({ dataDir: serverDir });
});
afterAll(async () => {
  await server.close();
  await signer.close();
  tmp.cleanup();
});

let n = 0;
/** A workstation data dir: certificate, identity file, and its journal. */
async function workstation(name: string): Promise<{ dataDir: string; dir: string; open: () => Promise<Journal> }> {
  const dataDir = path.join(tmp.dir, name);
  mkdirSync(path.join(dataDir, 'pki'), { recursive: true });
  writeFileSync(path.join(dataDir, 'pki', 'workstation.cert.pem'), key.certificatePem);
  writeFileSync(path.join(dataDir, 'workstation.json'), JSON.stringify({ id: WORKSTATION + name, createdAt: '2026-11-23T08:00:00.000Z' }));
  const dir = path.join(dataDir, 'journal');
  const open = (): Promise<Journal> => openJournal({ dir, signer, clock: tickingClock(Date.parse('2026-11-23T08:00:00Z') + 1000 * n++), workstationId: WORKSTATION + name, checkpointEveryEntries: 1_000_000, checkpointEveryMs: 3_600_000 });
  return { dataDir, dir, open };
}

async function append(j: Journal, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) await j.append(sampleEvent(i));
  await j.checkpoint();
}

async function verifyWitness(dataDir: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli(['verify', '--data-dir', dataDir, '--witness', '--hospital-url', server.url], (l) => out.push(l), (l) => out.push(l));
  return { code, out: out.join('\n') };
}

/** Witnesses the journal's checkpoints as it grows, keeping a copy of the files at `keepAfter` checkpoints. */
async function witnessedHistory(name: string, copyAt?: string): Promise<{ dataDir: string; dir: string; open: () => Promise<Journal> }> {
  const ws = await workstation(name);
  const j = await ws.open();
  const witness = createJournalWitness({ journal: j, port: createFhirWitnessPort({ baseUrl: server.url, label: 'test', test: true }), everyMs: 3_600_000 });
  await append(j, 20);
  expect(await witness.flush()).toBe(true);
  if (copyAt) cpSync(ws.dir, copyAt, { recursive: true });
  await append(j, 15, 20);
  expect(await witness.flush()).toBe(true);
  await witness.stop();
  await j.close();
  return ws;
}

describe('journal witnessed by the hospital', () => {
  it('sends each checkpoint as a Basic with a consistency proof from the last witnessed; verify --witness agrees', async () => {
    const ws = await witnessedHistory('sain');
    const local = readCheckpointFile(ws.dir).checkpoints;
    const origin = originFor(WORKSTATION + 'sain');
    const res = await fetch(`${server.url}/Basic?identifier=${encodeURIComponent(`urn:chu-workstation:journal:origin|${origin}`)}&_count=50`);
    const basics = ((await res.json()) as { entry: { resource: Record<string, unknown> }[] }).entry.map((e) => e.resource);
    expect(basics).toHaveLength(2);
    const proof = basics.map(consistencyFromBasic).find((c) => c !== null)!;
    expect(proof).toMatchObject({ size1: 20, size2: local.at(-1)!.treeSize, root1: local[0]!.rootHash, root2: local.at(-1)!.rootHash });
    expect(() => verifyConsistency(proof.size1, proof.size2, Buffer.from(proof.root1, 'base64'), Buffer.from(proof.root2, 'base64'), proof.proof.map((h) => Buffer.from(h, 'base64')))).not.toThrow();
    expect(await createFhirWitnessPort({ baseUrl: server.url, label: 'test', test: true }).latest(origin)).toMatchObject({ index: local.at(-1)!.index, rootHash: local.at(-1)!.rootHash });
    const ok = await verifyWitness(ws.dataDir);
    expect(ok.out).toMatch(/Conforme au témoin : le point de contrôle n° 1 \(35 entrées\)/);
    expect(ok.code).toBe(0);
  });

  it('a journal rolled back to an earlier state (itself intact) is reported as tampered', async () => {
    const earlier = path.join(tmp.dir, 'copie-anterieure');
    const ws = await witnessedHistory('rollback', earlier);
    rmSync(ws.dir, { recursive: true });
    cpSync(earlier, ws.dir, { recursive: true });
    const plain = await runCli(['verify', '--data-dir', ws.dataDir], () => undefined, () => undefined);
    expect(plain).toBe(0); // what the journal alone cannot see
    const r = await verifyWitness(ws.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Journal d’audit altéré : le serveur hospitalier a attesté le point de contrôle n° 1 \(35 entrées.*n’a que 1 points de contrôle \(20 entrées\) : journal tronqué, vidé ou revenu à un état antérieur/);
  });

  it('a truncated or emptied journal is reported as tampered', async () => {
    const ws = await witnessedHistory('vide');
    writeFileSync(path.join(ws.dir, 'journal.log'), '');
    writeFileSync(path.join(ws.dir, 'checkpoints.log'), '');
    const emptied = await verifyWitness(ws.dataDir);
    expect(emptied.code).toBe(1);
    expect(emptied.out).toMatch(/le journal local ne contient aucun point de contrôle : journal tronqué, vidé/);
    rmSync(ws.dir, { recursive: true });
    const deleted = await verifyWitness(ws.dataDir);
    expect(deleted.code).toBe(1);
    expect(deleted.out).toMatch(/Journal d’audit altéré/);
  });

  it('a rewritten journal re-signed with the workstation key is reported as tampered', async () => {
    const ws = await witnessedHistory('reecrit');
    // The attacker holds the key: a new journal, same workstation, other entries, as many checkpoints.
    rmSync(ws.dir, { recursive: true });
    const forged = await ws.open();
    await append(forged, 20, 100);
    await append(forged, 15, 200);
    await forged.close();
    expect(await runCli(['verify', '--data-dir', ws.dataDir], () => undefined, () => undefined)).toBe(0);
    const r = await verifyWitness(ws.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/diffère du point de contrôle local de même numéro .*journal réécrit puis signé à nouveau/);
  });

  it('offline: checkpoints wait without blocking the journal and are witnessed once the server is back', async () => {
    const ws = await workstation('horsligne');
    const j = await ws.open();
    const port = server.url.match(/:(\d+)\//)![1]!;
    const witness = createJournalWitness({ journal: j, port: createFhirWitnessPort({ baseUrl: server.url, label: 'test', test: true }), everyMs: 3_600_000 });
    await append(j, 10);
    expect(await witness.flush()).toBe(true);
    await server.close();
    await append(j, 10, 10);
    expect(await witness.flush()).toBe(false);
    await append(j, 10, 20); // the journal goes on
    expect(witness.status()).toMatchObject({ witnessedIndex: 0, pending: true });
    expect(witness.status().lastError).toMatch(/ECONNREFUSED/);
    server = await startHospitalTestServer({ dataDir: serverDir, port: Number(port) });
    expect(await witness.flush()).toBe(true);
    expect(witness.status()).toMatchObject({ witnessedIndex: 2, pending: false, lastError: null });
    await witness.stop();
    await j.close();
    expect((await verifyWitness(ws.dataDir)).code).toBe(0);
  });

  it('at host start, a tampered journal is logged and journalled, and not extended under the witness’s eye', async () => {
    const earlier = path.join(tmp.dir, 'copie-hote');
    const ws = await witnessedHistory('hote', earlier);
    rmSync(ws.dir, { recursive: true });
    cpSync(earlier, ws.dir, { recursive: true });
    const j = await ws.open();
    const audit = createMemoryAuditPort();
    const logger = createMemoryLogger();
    const hw = startHostWitness({ journal: j, origin: originFor(WORKSTATION + 'hote'), connection: { baseUrl: server.url, label: 'test', test: true }, certificatePem: key.certificatePem, audit, logger, everyMs: 3_600_000 });
    const verdict = await hw.verdict;
    expect(verdict.status).toBe('tampered');
    expect(audit.events.map((e) => [e.type, e.outcome])).toEqual([['journal.witness', 'failure']]);
    expect(logger.lines.some((l) => l.startsWith('error Journal d’audit altéré'))).toBe(true);
    await append(j, 50, 500); // a longer rewritten history must not be witnessed
    expect(await hw.witness.flush()).toBe(false);
    expect(hw.witness.status().lastError).toMatch(/plus court|plus cohérent/);
    await hw.close();
    await j.close();
  });
});

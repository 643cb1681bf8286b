import { createHash, generateKeyPairSync } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import forge from 'node-forge';
import type { AuditEventInput } from '../src/main/host/audit-port';
import { openJournal } from '../src/main/audit/journal';
import { journalPath } from '../src/main/audit/files';
import { createPemSigner } from '../src/main/audit/signer';
import { verifyJournal } from '../src/main/audit/verify';

/**
 * npm run bench:journal [-- --json] [-- --entries N]
 * Durable appends with group commit (forge signer, default checkpoint policy),
 * event-loop stall while checkpoints are signed, then a 1M-entry journal of
 * ~300-byte entries with a checkpoint every 1,000 entries, verified end to end
 * and compared with one streaming SHA-256 over the same file.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const argValue = (name: string): number | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const VERIFY_ENTRIES = argValue('--entries') ?? 1_000_000;
const APPEND_ENTRIES = argValue('--append-entries') ?? 100_000;
const CONCURRENCY = 256;

function testKey(): { privateKeyPem: string; certificatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
  cert.setSubject([{ name: 'commonName', value: 'Poste banc journal' }]);
  cert.setIssuer([{ name: 'commonName', value: 'Poste banc journal' }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { privateKeyPem: privateKey, certificatePem: forge.pki.certificateToPem(cert) };
}

/** A typical chart read: ~300 bytes once stamped and serialised. */
function event(i: number): AuditEventInput {
  return {
    type: 'chart.open',
    action: 'R',
    outcome: 'success',
    agent: { userId: `u${i % 300}`, name: 'Dr Martin', role: 'medecin', rpps: '10003456789' },
    patient: { ipp: `IPP${(i % 50_000).toString().padStart(7, '0')}` },
    entity: { type: 'DocumentReference', id: `d${i}` },
  };
}

const clock = { now: () => new Date() };

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * Worst event-loop delay while `work` runs, from Node's own monitor (a 1 ms
 * libuv timer, so the probe itself does not compete for the CPU).
 */
async function maxStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const result = await work();
  h.disable();
  return { result, stallMs: Math.max(0, h.max / 1e6 - 1) };
}

/**
 * The disk's own floor under the current load: write+fdatasync of one
 * 256-entry batch, repeated. An append cannot be acknowledged faster than this;
 * appendP99Ms is to be read against rawSyncP99Ms.
 */
async function rawSync(dir: string, rounds = 200): Promise<Float64Array> {
  const f = await open(path.join(dir, 'raw-sync.log'), 'a', 0o600);
  const batch = Buffer.alloc(CONCURRENCY * 300, 0x61);
  const t = new Float64Array(rounds);
  try {
    for (let i = 0; i < rounds; i++) {
      const s = performance.now();
      await f.write(batch);
      await f.datasync();
      t[i] = performance.now() - s;
    }
  } finally {
    await f.close();
  }
  return t.sort();
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-journal-'));
  try {
    const key = testKey();

    // 1. Durable concurrent appends, production settings (node-forge signer in its worker).
    const forgeSigner = await createPemSigner(key);
    const appendDir = path.join(root, 'append');
    const j = await openJournal({ dir: appendDir, signer: forgeSigner, clock, workstationId: 'bench' });
    const lat = new Float64Array(APPEND_ENTRIES);
    let next = 0;
    const t0 = performance.now();
    const client = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= APPEND_ENTRIES) return;
        const s = performance.now();
        await j.append(event(i));
        lat[i] = performance.now() - s;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const appendSeconds = (performance.now() - t0) / 1000;
    lat.sort();

    // 2. Event-loop stall while checkpoints are signed (forge, ~30–50 ms each, in the worker),
    //    with a steady trickle of appends as in real use.
    const { stallMs } = await maxStall(async () => {
      for (let k = 0; k < 20; k++) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => j.append(event(k * 50 + i))));
        await j.checkpoint();
      }
    });
    // Same work without signatures: what the machine itself adds (scheduling, GC) under its current load.
    const { stallMs: baselineStallMs } = await maxStall(async () => {
      for (let k = 0; k < 20; k++) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => j.append(event(k * 50 + i))));
        await new Promise((r) => setTimeout(r, 40));
      }
    });
    await j.close();
    await forgeSigner.close();

    // 3. A 1M-entry journal with a checkpoint every 1,000 entries (OpenSSL engine to build it fast).
    const fastSigner = await createPemSigner({ ...key, engine: 'openssl' });
    const bigDir = path.join(root, 'big');
    const big = await openJournal({ dir: bigDir, signer: fastSigner, clock, workstationId: 'bench', checkpointEveryEntries: Number.MAX_SAFE_INTEGER, maxBatchEntries: 1000 });
    const tb = performance.now();
    for (let base = 0; base < VERIFY_ENTRIES; base += 1000) {
      const n = Math.min(1000, VERIFY_ENTRIES - base);
      await Promise.all(Array.from({ length: n }, (_, i) => big.append(event(base + i))));
      await big.checkpoint();
    }
    await big.close();
    await fastSigner.close();
    const buildSeconds = (performance.now() - tb) / 1000;
    const bytes = statSync(journalPath(bigDir)).size;

    const tv = performance.now();
    const cv = process.cpuUsage();
    const res = await verifyJournal(bigDir, { certificatePem: key.certificatePem });
    const verifyCpu = process.cpuUsage(cv);
    const verifySeconds = (performance.now() - tv) / 1000;
    if (!res.ok) throw new Error(`Vérification échouée : ${res.reason}`);

    const th = performance.now();
    const ch = process.cpuUsage();
    await new Promise<void>((resolve, reject) => {
      const h = createHash('sha256');
      createReadStream(journalPath(bigDir), { highWaterMark: 8 << 20 })
        .on('data', (d) => h.update(d))
        .on('end', () => {
          h.digest();
          resolve();
        })
        .on('error', reject);
    });
    const rawHashSeconds = (performance.now() - th) / 1000;
    const hashCpu = process.cpuUsage(ch);
    const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

    const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
    // Measured after the appends: 200 synced batches before them left write-back that slowed the append phase ~20 %.
    const sync = await rawSync(root);
    const out = {
      appendPerSec: Math.round(APPEND_ENTRIES / appendSeconds),
      appendP50Ms: round(percentile(lat, 50)),
      appendP99Ms: round(percentile(lat, 99)),
      rawSyncP50Ms: round(percentile(sync, 50)),
      rawSyncP99Ms: round(percentile(sync, 99)),
      verify1MSeconds: round(verifySeconds),
      rawHashSeconds: round(rawHashSeconds),
      maxEventLoopStallMs: round(stallMs),
      baselineStallMs: round(baselineStallMs),
      verifyCpuSeconds: round(cpuSeconds(verifyCpu)),
      rawHashCpuSeconds: round(cpuSeconds(hashCpu)),
      loadAverage1m: round(loadavg()[0] as number, 2),
      verifyEntries: res.entries,
      verifyCheckpoints: res.checkpoints,
      journalBytes: bytes,
      avgEntryBytes: Math.round(bytes / res.entries),
      buildSeconds: round(buildSeconds, 1),
      appendEntries: APPEND_ENTRIES,
      appendConcurrency: CONCURRENCY,
    };
    if (json) {
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      console.log(`Ajouts durables (${CONCURRENCY} en parallèle, fdatasync groupé) : ${out.appendPerSec} entrées/s, p50 ${out.appendP50Ms} ms, p99 ${out.appendP99Ms} ms`);
      console.log(`Plancher du disque (écriture + fdatasync de ${CONCURRENCY} entrées) : p50 ${out.rawSyncP50Ms} ms, p99 ${out.rawSyncP99Ms} ms`);
      console.log(`Blocage maximal de la boucle d’événements pendant les signatures : ${out.maxEventLoopStallMs} ms (sans signature : ${out.baselineStallMs} ms)`);
      console.log(`Vérification de ${out.verifyEntries} entrées (${(bytes / 1e6).toFixed(0)} Mo, ${out.verifyCheckpoints} points de contrôle) : ${out.verify1MSeconds} s`);
      console.log(`SHA-256 brut du même fichier : ${out.rawHashSeconds} s (charge de la machine : ${out.loadAverage1m})`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`Banc d’essai du journal en échec : ${(err as Error).message}`);
  process.exit(1);
});

import { execFileSync } from 'node:child_process';
import { runDmpPanelBench } from './bench-dmp-panel';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { createDmpiGateway } from '../src/main/dmp/dmpi-adapter';
import { DEMO_KINDS, makeDemoCda, makeLargeDemoCda, seedDemoPatients } from '../src/main/dmp/sandbox/demo';
import { startDmpSandbox } from '../src/main/dmp/sandbox/server';
import type { DmpRequestContext } from '../src/main/dmp/types';
import { createSignedVihf, professionalId, type VihfConfig } from '../src/main/dmp/vihf';
import { signSubmissionSet } from '../src/main/dmp/xades';

/** DMP benchmark figures; the panel issue merges its browser-measured ones into the same line. */
export interface DmpBenchFigures {
  vihfSignMs: number;
  searchP95Ms: number;
  retrieveP95Ms: number;
  documents: number;
  retrieveBytes: number;
  [extra: string]: number;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100;
}

function benchPki(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86400_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  const attrs = [{ name: 'commonName', value: 'BENCH DMP' }, { name: 'organizationName', value: 'CHU' }, { name: 'countryName', value: 'FR' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** Runs the DMP benchmark against a fresh sandbox on loopback and returns the figures. */
export async function runDmpBench(opts: { iterations?: number } = {}): Promise<DmpBenchFigures> {
  const iterations = opts.iterations ?? 40;
  const pki = benchPki();
  const vihf: VihfConfig = {
    structureId: '11750000000',
    secteurActivite: 'SA01^1.2.250.1.71.4.2.4',
    lps: { id: 'BENCH', nom: 'Poste clinique CHU', version: '0.1.0', homologation: 'BENCH' },
    ...pki,
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-dmp-'));
  const sandbox = await startDmpSandbox({ dataDir, trustedCertPems: [pki.certPem] });
  const gateway = createDmpiGateway({ baseUrl: sandbox.servicesUrl, vihf });
  try {
    const patient = { ins: '180057512345628', given: 'Jean', family: 'DUPONT', birthDate: '1980-05-12', sex: 'M' as const };
    // 43 generated documents + 5 corrected versions (RPLC) + 1 + the large one = 50 entries.
    const added = await seedDemoPatients(sandbox, [patient], { documentsPerPatient: 43, authorStructure: vihf.structureId });
    sandbox.addDocument(makeDemoCda(patient, DEMO_KINDS[0]!, new Date(Date.UTC(2023, 1, 1))), { authorStructure: vihf.structureId });
    const big = makeLargeDemoCda(patient);
    const bigEntry = sandbox.addDocument(big, { authorStructure: vihf.structureId });
    const user = { id: 'bench', name: 'Claire MARTIN', role: 'medecin', rpps: '10001234567' };
    sandbox.setAuthorization(patient.ins, professionalId(user, vihf.structureId), 'VALIDE');
    const ctx: DmpRequestContext = { user, ins: patient.ins, accessMode: 'normal' };

    const sign: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      createSignedVihf(ctx, vihf);
      sign.push(performance.now() - t);
    }
    // XAdES signature of a submission set holding the ~350 KB document (TD2.1), in this thread.
    const xades: number[] = [];
    for (let i = 0; i < Math.min(iterations, 20); i++) {
      const t = performance.now();
      signSubmissionSet({ submissionSetUniqueId: `2.25.${i + 1}`, documents: [{ uniqueId: bigEntry.meta.uniqueId, content: big }], ...pki });
      xades.push(performance.now() - t);
    }
    // Warm-up: JIT, keep-alive connection and the signing worker, as in a running app.
    await gateway.getStatus(ctx);
    const first = await gateway.findDocuments(ctx);

    const search: number[] = [];
    // CPU time of this process (client + in-process sandbox) per search: less sensitive to the
    // machine's load than wall-clock percentiles.
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      const status = await gateway.getStatus(ctx);
      if (status.authorization !== 'VALIDE') throw new Error('statut inattendu');
      const list = await gateway.findDocuments(ctx);
      if (list.length !== first.length) throw new Error('liste instable');
      search.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const retrieve: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      const doc = await gateway.retrieve(ctx, { repositoryUniqueId: sandbox.repositoryUniqueId, uniqueId: bigEntry.meta.uniqueId });
      if (doc.content.length !== big.length) throw new Error('document tronqué');
      retrieve.push(performance.now() - t);
    }
    return {
      vihfSignMs: percentile(sign, 50),
      xadesSignMs: percentile(xades, 50),
      searchP95Ms: percentile(search, 95),
      searchP50Ms: percentile(search, 50),
      searchCpuMs: Math.round(((cpu.user + cpu.system) / 1000 / iterations) * 100) / 100,
      retrieveP95Ms: percentile(retrieve, 95),
      documents: first.length,
      retrieveBytes: big.length,
      seeded: added + 2,
    };
  } finally {
    gateway.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // One line for the whole DMP: protocol figures against the sandbox, then the panel in Chromium.
  (async () => {
    const figures: Record<string, unknown> = { ...(await runDmpBench()) };
    if (!process.argv.includes('--protocol-only')) {
      execFileSync(process.execPath, [path.join(__dirname, '..', 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(__dirname, '..'), stdio: 'ignore' });
      Object.assign(figures, await runDmpPanelBench());
    }
    return figures;
  })().then(
    (figures) => {
      if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
      else console.table(figures);
    },
    (e: Error) => {
      console.error(`Banc DMP en échec : ${e.message}`);
      process.exit(1);
    },
  );
}

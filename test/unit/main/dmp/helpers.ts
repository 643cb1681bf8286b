import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { createDmpiGateway, type DmpiConfig } from '../../../../src/main/dmp/dmpi-adapter';
import { startDmpSandbox, type DmpSandbox, type SandboxOptions } from '../../../../src/main/dmp/sandbox/server';
import type { DmpRequestContext } from '../../../../src/main/dmp/types';
import type { VihfConfig } from '../../../../src/main/dmp/vihf';

/** A self-signed "establishment" certificate: Node generates the key, node-forge the X.509. */
export function makeEstablishmentPki(cn = 'CHU DE TEST'): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + Math.floor(Math.random() * 1e12).toString(16);
  cert.validity.notBefore = new Date(Date.now() - 86400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
  const attrs = [
    { name: 'countryName', value: 'FR' },
    { name: 'organizationName', value: 'CHU DE TEST' },
    { shortName: 'OU', value: '1750000000' },
    { name: 'commonName', value: cn },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

let cachedPki: { certPem: string; keyPem: string } | undefined;
export function pki(): { certPem: string; keyPem: string } {
  cachedPki ??= makeEstablishmentPki();
  return cachedPki;
}

export function vihfConfig(p = pki()): VihfConfig {
  return {
    structureId: '11750000000',
    secteurActivite: 'SA01^1.2.250.1.71.4.2.4',
    lps: { id: 'POSTE-01', nom: 'Poste clinique CHU', version: '0.1.0', homologation: 'HOMOLOG-TEST-0001' },
    certPem: p.certPem,
    keyPem: p.keyPem,
  };
}

export const FIXTURE_INS = '279035121518989';

export const doctor = { id: 'u-med-1', name: 'Claire MARTIN', role: 'medecin', rpps: '10001234567' };
export const secretary = { id: 'u-sec-1', name: 'Julie BERNARD', role: 'secretaire_medicale' };
export const doctorNameId = `8${doctor.rpps}`;

export function ctx(over: Partial<DmpRequestContext> = {}): DmpRequestContext {
  return { user: doctor, ins: FIXTURE_INS, accessMode: 'normal', ...over };
}

export interface Harness {
  sandbox: DmpSandbox;
  gateway: ReturnType<typeof createDmpiGateway>;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<SandboxOptions> = {}, gw: Partial<DmpiConfig> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dmp-test-'));
  const sandbox = await startDmpSandbox({ dataDir, trustedCertPems: [pki().certPem], ...opts });
  const gateway = createDmpiGateway({ baseUrl: sandbox.servicesUrl, vihf: vihfConfig(), retryBaseMs: 5, ...gw });
  return {
    sandbox,
    gateway,
    dataDir,
    async close() {
      gateway.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (a test fails if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

/** A sandbox that knows the fixture patient, with a valid authorisation for the test doctor. */
export async function startAuthorisedHarness(): Promise<Harness> {
  const h = await startHarness();
  h.sandbox.ensurePatient({ ins: FIXTURE_INS });
  h.sandbox.setAuthorization(FIXTURE_INS, doctorNameId, 'VALIDE');
  return h;
}

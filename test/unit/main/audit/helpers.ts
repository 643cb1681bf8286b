import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import type { Clock } from '../../../../src/main/host/clock';

export interface TestKey {
  privateKeyPem: string;
  certificatePem: string;
}

/** RSA-2048 from Node's fast generator, self-signed certificate built with node-forge. */
export function makeTestKey(commonName = 'Poste de test'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(key, forge.md.sha256.create());
  return { privateKeyPem: privateKey, certificatePem: forge.pki.certificateToPem(cert) };
}

export function tempDir(prefix = 'journal-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Moves 1 ms per reading, so entries carry distinct times. */
export function tickingClock(start = Date.parse('2026-11-23T08:00:00Z')): Clock {
  let t = start;
  return { now: () => new Date(t++) };
}

export function sampleEvent(i: number) {
  return {
    type: i % 7 === 0 ? 'auth.login' : 'chart.open',
    action: (i % 7 === 0 ? 'E' : 'R') as 'E' | 'R',
    outcome: 'success' as const,
    agent: { userId: `u${i % 5}`, name: `Dr Éloïse Martin ${i % 5}`, role: 'medecin', rpps: '10003456789' },
    patient: { ipp: `IPP${(i % 13).toString().padStart(6, '0')}`, ins: '279035121518989@1.2.250.1.213.1.4.10' },
    entity: { type: 'DocumentReference', id: `doc-${i}` },
    ...(i % 11 === 0 ? { purposeOfUse: { code: 'bris_de_glace' as const, justification: 'Patient inconscient aux urgences' } } : {}),
    detail: { view: 'synthese', n: i },
  };
}

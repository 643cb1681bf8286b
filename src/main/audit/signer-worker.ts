import { createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { serveWorkerRpc } from '../host/worker-serve';
import type { SignerRequest, SignerResults } from './signer-protocol';

/**
 * Worker thread holding the workstation's private key and signing checkpoints:
 * a node-forge RSA-2048 signature costs ~30–50 ms, which must never stall the
 * thread serving the renderer. The key never leaves this thread.
 */
let forgeKey: forge.pki.rsa.PrivateKey | null = null;
let nodeKey: KeyObject | null = null;
let engine: 'forge' | 'openssl' = 'forge';

function spkiKeyId(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem);
  const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(cert.publicKey)).getBytes();
  return createHash('sha256').update(Buffer.from(spki, 'binary')).digest('hex');
}

function checkPair(key: forge.pki.rsa.PrivateKey, certPem: string): void {
  const pub = forge.pki.certificateFromPem(certPem).publicKey as forge.pki.rsa.PublicKey;
  if (!pub.n || pub.n.compareTo(key.n) !== 0 || pub.e.compareTo(key.e) !== 0) {
    throw new Error('La clé privée ne correspond pas au certificat du poste.');
  }
  if (key.n.bitLength() < 2048) throw new Error('La clé du poste doit être une clé RSA d’au moins 2048 bits.');
}

function initPem(privateKeyPem: string, certificatePem: string): { keyId: string; certificatePem: string } {
  let key: forge.pki.rsa.PrivateKey;
  try {
    key = forge.pki.privateKeyFromPem(privateKeyPem);
  } catch {
    throw new Error('Clé privée du poste illisible (PEM RSA attendu).');
  }
  try {
    checkPair(key, certificatePem);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('La clé')) throw err;
    throw new Error('Certificat du poste illisible (PEM attendu).', { cause: err });
  }
  forgeKey = key;
  nodeKey = engine === 'openssl' ? createPrivateKey(privateKeyPem) : null;
  return { keyId: spkiKeyId(certificatePem), certificatePem };
}

function initPkcs12(p12: Uint8Array, passphrase: string): { keyId: string; certificatePem: string } {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch {
    throw new Error('Fichier PKCS#12 du poste illisible ou phrase de passe incorrecte.');
  }
  const oids = forge.pki.oids as Record<string, string>;
  const bags = (type: string): forge.pkcs12.Bag[] => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(oids.pkcs8ShroudedKeyBag as string), ...bags(oids.keyBag as string)];
  const certBags = bags(oids.certBag as string);
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('Le fichier PKCS#12 du poste ne contient pas de clé privée.');
  // The workstation certificate is the one matching the key (a chain may follow it).
  const cert = certBags
    .map((b) => b.cert)
    .find((c) => c && (c.publicKey as forge.pki.rsa.PublicKey).n?.compareTo(key.n) === 0);
  if (!cert) throw new Error('Le fichier PKCS#12 du poste ne contient pas le certificat de sa clé.');
  const certificatePem = forge.pki.certificateToPem(cert);
  const privateKeyPem = forge.pki.privateKeyToPem(key);
  return initPem(privateKeyPem, certificatePem);
}

function sign(data: Uint8Array): Uint8Array {
  if (!forgeKey) throw new Error('Signataire non initialisé.');
  if (engine === 'openssl' && nodeKey) return nodeSign('sha256', data, nodeKey);
  const md = forge.md.sha256.create();
  md.update(Buffer.from(data).toString('binary'));
  return Buffer.from(forgeKey.sign(md), 'binary');
}

serveWorkerRpc<SignerRequest, SignerResults[keyof SignerResults]>((req) => {
  switch (req.op) {
    case 'init-pem':
      engine = req.engine;
      return initPem(req.privateKeyPem, req.certificatePem);
    case 'init-pkcs12':
      engine = req.engine;
      return initPkcs12(req.p12, req.passphrase);
    case 'sign':
      return sign(req.data);
  }
});

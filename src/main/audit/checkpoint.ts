import { X509Certificate, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';

/**
 * A signed checkpoint: the journal's tree size and root at a moment, signed by
 * the workstation key. Checkpoints are chained (index, hash of the previous
 * signed body) so that removing, reordering or inserting one is detected.
 */
export interface Checkpoint {
  /** Position in checkpoints.log, from 0. */
  index: number;
  /** "chu-workstation/journal/<workstation id>": which log this is. */
  origin: string;
  treeSize: number;
  /** Base64 of the RFC 9162 root of entries [0, treeSize). */
  rootHash: string;
  /** UTC ISO 8601. */
  time: string;
  /** Hex SHA-256 of the signing key's SubjectPublicKeyInfo (DER). */
  keyId: string;
  /** Base64 SHA-256 of the previous checkpoint's signed body; "" for the first. */
  prev: string;
  /** Base64 RSA PKCS#1 v1.5 SHA-256 signature of signedBody(). */
  signature: string;
}

/** As stored: plus unsigned hints that let open() resume without rescanning the journal. */
export interface StoredCheckpoint extends Checkpoint {
  /** Byte length of journal.log holding exactly treeSize entries. */
  journalBytes: number;
  /** Base64 compact range of [0, treeSize) (perfect subtree roots, largest first). */
  compact: string[];
}

/**
 * The signed bytes, in the spirit of the C2SP tlog-checkpoint note body:
 * origin, size, base64 root, then extension lines.
 */
export function signedBody(cp: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(
    `${cp.origin}\n${cp.treeSize}\n${cp.rootHash}\ntime ${cp.time}\nindex ${cp.index}\nprev ${cp.prev || 'none'}\nkey ${cp.keyId}\n`,
    'utf8',
  );
}

/** What the next checkpoint's `prev` must be. */
export function checkpointHash(cp: Omit<Checkpoint, 'signature'>): string {
  return createHash('sha256').update(signedBody(cp)).digest('base64');
}

export function originFor(workstationId: string): string {
  return `chu-workstation/journal/${workstationId}`;
}

export function keyIdFromPublicKey(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Key id of a certificate (or bare public key) PEM. */
export function keyIdFromCertificatePem(pem: string): string {
  return keyIdFromPublicKey(publicKeyFromPem(pem));
}

export function publicKeyFromPem(pem: string): KeyObject {
  try {
    if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
    return createPublicKey(pem);
  } catch {
    throw new Error('Certificat du poste illisible : un certificat ou une clé publique au format PEM est attendu.');
  }
}

/** Public keys by key id, from one or several certificates (key renewal). */
export function verificationKeys(certificatePem: string | string[]): Map<string, KeyObject> {
  const pems = Array.isArray(certificatePem) ? certificatePem : splitPems(certificatePem);
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    const k = publicKeyFromPem(pem);
    keys.set(keyIdFromPublicKey(k), k);
  }
  if (keys.size === 0) throw new Error('Aucun certificat fourni pour vérifier les signatures du journal.');
  return keys;
}

function splitPems(text: string): string[] {
  const found = text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g);
  return found ?? [text];
}

/** Null when the signature is good, else the French reason. */
export function checkSignature(cp: Checkpoint, keys: Map<string, KeyObject>): string | null {
  const key = keys.get(cp.keyId);
  if (!key) return `signé par une clé inconnue (${cp.keyId.slice(0, 16)}…), pas par le certificat du poste`;
  const sig = Buffer.from(cp.signature, 'base64');
  let ok: boolean;
  try {
    ok = cryptoVerify('sha256', signedBody(cp), key, sig);
  } catch {
    ok = false;
  }
  return ok ? null : 'signature invalide';
}

const B64_32 = /^[A-Za-z0-9+/]{43}=$/;

/** Parses one checkpoints.log line; throws a French reason. */
export function parseCheckpointLine(line: string): StoredCheckpoint {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    throw new Error('ligne illisible (JSON invalide)');
  }
  const c = o as Record<string, unknown>;
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (
    typeof o !== 'object' ||
    o === null ||
    !int(c.index) ||
    !int(c.treeSize) ||
    !int(c.journalBytes) ||
    typeof c.origin !== 'string' ||
    typeof c.rootHash !== 'string' ||
    !B64_32.test(c.rootHash) ||
    typeof c.time !== 'string' ||
    typeof c.keyId !== 'string' ||
    !/^[0-9a-f]{64}$/.test(c.keyId) ||
    typeof c.prev !== 'string' ||
    (c.prev !== '' && !B64_32.test(c.prev)) ||
    typeof c.signature !== 'string' ||
    !Array.isArray(c.compact) ||
    !c.compact.every((h) => typeof h === 'string' && B64_32.test(h))
  ) {
    throw new Error('champs manquants ou mal formés');
  }
  // Canonical base64 only: unused trailing bits must not hide an alteration.
  for (const v of [c.rootHash, c.prev, c.signature, ...(c.compact as string[])]) {
    if (Buffer.from(v as string, 'base64').toString('base64') !== v) throw new Error('encodage base64 non canonique');
  }
  return c as unknown as StoredCheckpoint;
}

export function checkpointLine(cp: StoredCheckpoint): string {
  const { index, origin, treeSize, rootHash, time, keyId, prev, signature, journalBytes, compact } = cp;
  return JSON.stringify({ index, origin, treeSize, rootHash, time, keyId, prev, signature, journalBytes, compact }) + '\n';
}

/** The public part of a stored checkpoint (what export and prove hand out). */
export function publicCheckpoint(cp: Checkpoint): Checkpoint {
  const { index, origin, treeSize, rootHash, time, keyId, prev, signature } = cp;
  return { index, origin, treeSize, rootHash, time, keyId, prev, signature };
}

import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliUsageError, parseCliArgs } from '../cli/args';
import { resolveDataDir } from '../host/paths';
import { checkRecord, recordJson } from './record';
import { journalPath, readCheckpointFile } from './files';
import { exportJournal } from './export';
import { CompactTree, ProofError, inclusionPath, toBuf, verifyConsistency, verifyInclusion, type BinHash } from './merkle';
import { publicCheckpoint } from './checkpoint';
import { verifyJournal } from './verify';
import { scanLines } from './scan';
import { originFor, verificationKeys } from './checkpoint';
import { checkAgainstWitness } from './witness';
import { createFhirWitnessPort } from './witness-fhir';

/**
 * npm run journal -- <command>
 *   verify [--data-dir D] [--cert FILE] [--accept-unsigned-tail] [--witness [--hospital-url URL]]
 *   prove SEQ [--data-dir D]
 *   verify-proof FILE.json...
 *   export --from DATE --to DATE [--patient IPP|INS] [--user ID] --format fhir|jsonl [--out FILE] [--data-dir D]
 * Exit codes: 0 ok, 1 verification failed, 2 bad usage or unreadable input.
 */
const USAGE = `Usage : npm run journal -- <commande>
  verify [--data-dir D] [--cert FICHIER] [--accept-unsigned-tail] [--witness [--hospital-url URL]]
      --witness : compare aussi au dernier point de contrôle attesté par le serveur hospitalier
                  (URL FHIR : --hospital-url ou WORKSTATION_HOSPITAL_URL)
  prove SEQ [--data-dir D]
  verify-proof FICHIER.json...
  export --from DATE --to DATE [--patient IPP|INS] [--user ID] --format fhir|jsonl [--out FICHIER] [--data-dir D]`;

class UsageError extends Error {}

const projectRoot = path.resolve(__dirname, '../../..');

/** The journal CLI's options (node:util parseArgs through the shared French wrapper). */
function parse(args: string[]) {
  return parseCliArgs(
    args,
    {
      'data-dir': { type: 'string' },
      cert: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      patient: { type: 'string' },
      user: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'accept-unsigned-tail': { type: 'boolean' },
      witness: { type: 'boolean' },
      'hospital-url': { type: 'string' },
    },
    true,
  );
}

type Parsed = ReturnType<typeof parse>;

function journalDir(p: Parsed): string {
  return path.join(resolveDataDir(p.values['data-dir'], projectRoot), 'journal');
}

function certificate(p: Parsed): string {
  const file = p.values.cert ?? path.join(resolveDataDir(p.values['data-dir'], projectRoot), 'pki', 'workstation.cert.pem');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Certificat du poste illisible : ${file} (indiquez-le avec --cert).`);
  }
}

type Out = (line: string) => void;

async function cmdVerify(p: Parsed, out: Out): Promise<number> {
  const dir = journalDir(p);
  const witness = p.values.witness === true;
  if (!witness && !existsSync(journalPath(dir))) throw new UsageError(`Aucun journal dans ${dir}.`);
  const cert = certificate(p);
  const hospitalUrl = p.values['hospital-url'] ?? process.env.WORKSTATION_HOSPITAL_URL;
  if (p.values.witness && (!hospitalUrl || !/^https?:\/\/\S+$/.test(hospitalUrl))) {
    throw new UsageError('--witness demande l’adresse FHIR du serveur hospitalier (--hospital-url URL ou WORKSTATION_HOSPITAL_URL).');
  }
  // A deleted journal is exactly what the witness is for: compare with nothing.
  if (witness && !existsSync(journalPath(dir))) return cmdVerifyWitness(dir, cert, hospitalUrl!, out);
  const res = await verifyJournal(dir, { certificatePem: cert, allowUnsignedTail: p.values['accept-unsigned-tail'] === true });
  if (res.ok) {
    out(`Journal intègre : ${res.entries} entrées, ${res.checkpoints} points de contrôle signés vérifiés${res.unsignedTail ? `, ${res.unsignedTail} entrées finales pas encore scellées` : ''}.`);
    return p.values.witness ? cmdVerifyWitness(dir, cert, hospitalUrl!, out) : 0;
  }
  out(`Journal NON intègre : ${res.reason}`);
  if (res.firstBadSeq !== undefined) out(`Première entrée en cause : ${res.firstBadSeq}.`);
  return 1;
}

/** The journal's origin from the workstation identity file, when the journal itself no longer says it. */
function workstationOrigin(dataDir: string): string | null {
  try {
    const id = (JSON.parse(readFileSync(path.join(dataDir, 'workstation.json'), 'utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? originFor(id) : null;
  } catch {
    return null;
  }
}

/** After a sound local verification: the journal must still hold the last checkpoint the hospital witnessed. */
async function cmdVerifyWitness(dir: string, cert: string, hospitalUrl: string, out: Out): Promise<number> {
  const local = readCheckpointFile(dir).checkpoints;
  const origin = local.at(-1)?.origin ?? workstationOrigin(path.dirname(dir));
  if (!origin) {
    out('Journal NON vérifié par le témoin : ni point de contrôle local ni identité du poste (workstation.json) pour retrouver ce journal.');
    return 1;
  }
  const port = createFhirWitnessPort({ baseUrl: hospitalUrl, label: 'Serveur hospitalier', test: false });
  const verdict = await checkAgainstWitness(port, origin, local, verificationKeys(cert));
  if (verdict.status === 'ok') {
    out(verdict.witnessed ? `Conforme au témoin : le point de contrôle n° ${verdict.witnessed.index} (${verdict.witnessed.treeSize} entrées) attesté par le serveur hospitalier est dans le journal.` : 'Aucun point de contrôle encore attesté par le serveur hospitalier pour ce journal.');
    return 0;
  }
  out(verdict.status === 'tampered' ? verdict.reason : `Journal NON vérifié par le témoin : ${verdict.reason}`);
  return 1;
}

async function cmdProve(p: Parsed, out: Out): Promise<number> {
  const seqText = p.positionals[1];
  if (seqText === undefined || !/^\d+$/.test(seqText)) throw new UsageError('prove attend un numéro d’entrée (SEQ).');
  const seq = Number(seqText);
  const dir = journalDir(p);
  if (!existsSync(journalPath(dir))) throw new UsageError(`Aucun journal dans ${dir}.`);
  const cp = readCheckpointFile(dir).checkpoints.at(-1);
  if (!cp) throw new UsageError('Aucun point de contrôle signé : rien à prouver.');
  if (seq >= cp.treeSize) throw new UsageError(`L’entrée ${seq} n’est pas couverte par le dernier point de contrôle (${cp.treeSize} entrées).`);
  // Read-only on the files: usable while the application runs.
  const leaves: BinHash[] = [];
  let entry = '';
  const fd = openSync(journalPath(dir), 'r');
  try {
    await scanLines(fd, 0, cp.journalBytes, (buf, s, nl) => {
      const r = checkRecord(buf, s, nl);
      if (!r.ok || r.seq !== leaves.length) throw new Error(`Journal endommagé à l’entrée ${leaves.length} : lancez « verify ».`);
      if (r.seq === seq) entry = recordJson(buf, s, nl);
      leaves.push(r.leaf);
    });
  } finally {
    closeSync(fd);
  }
  if (leaves.length !== cp.treeSize) throw new Error(`Journal incohérent : ${leaves.length} entrées pour ${cp.treeSize} signées.`);
  const mth = (a: number, b: number): BinHash => {
    const t = new CompactTree();
    for (let i = a; i < b; i++) t.push(leaves[i] as BinHash);
    return t.root();
  };
  const proof = inclusionPath(seq, cp.treeSize, mth).map((h) => toBuf(h).toString('base64'));
  out(
    JSON.stringify(
      { leafIdx: seq, treeSize: cp.treeSize, root: cp.rootHash, leafHash: toBuf(leaves[seq] as BinHash).toString('base64'), proof, entry, checkpoint: publicCheckpoint(cp) },
      null,
      2,
    ),
  );
  return 0;
}

const b64 = (v: unknown, what: string): Buffer => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new ProofError(`${what} n’est pas en base64`);
  return Buffer.from(v, 'base64');
};
const int = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ProofError(`${what} doit être un entier positif`);
  return v;
};
const list = (v: unknown): Buffer[] => {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new ProofError('proof doit être une liste');
  return v.map((h, i) => b64(h, `proof[${i}]`));
};

/** Checks one transparency-dev/merkle style proof file; returns null if valid, else the reason. */
export function checkProofFile(text: string): string | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'contenu JSON inattendu';
  } catch {
    return 'JSON illisible';
  }
  try {
    if ('leafIdx' in o || 'leafHash' in o) {
      verifyInclusion(int(o.leafIdx, 'leafIdx'), int(o.treeSize, 'treeSize'), b64(o.leafHash, 'leafHash'), list(o.proof), b64(o.root, 'root'));
    } else if ('size1' in o || 'root1' in o) {
      verifyConsistency(int(o.size1, 'size1'), int(o.size2, 'size2'), b64(o.root1, 'root1'), b64(o.root2, 'root2'), list(o.proof));
    } else {
      return 'ni preuve d’inclusion (leafIdx…) ni preuve de cohérence (size1…)';
    }
  } catch (err) {
    if (err instanceof ProofError) return err.message;
    throw err;
  }
  return null;
}

function cmdVerifyProof(p: Parsed, out: Out): number {
  const files = p.positionals.slice(1);
  if (files.length === 0) throw new UsageError('verify-proof attend au moins un fichier JSON.');
  let code = 0;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      out(`${f}: invalid: fichier illisible`);
      code = 2;
      continue;
    }
    const reason = checkProofFile(text);
    out(reason === null ? `${f}: valid` : `${f}: invalid: ${reason}`);
    if (reason !== null && code === 0) code = 1;
  }
  return code;
}

async function cmdExport(p: Parsed, out: Out): Promise<number> {
  const from = p.values.from;
  const to = p.values.to;
  const format = p.values.format;
  if (!from || !to) throw new UsageError('export attend --from et --to.');
  if (format !== 'fhir' && format !== 'jsonl') throw new UsageError('export attend --format fhir ou --format jsonl.');
  const dir = journalDir(p);
  if (!existsSync(journalPath(dir))) throw new UsageError(`Aucun journal dans ${dir}.`);
  let res;
  try {
    res = await exportJournal(dir, { from, to, patient: p.values.patient, user: p.values.user, format, out: p.values.out });
  } catch (err) {
    if ((err as Error).message.startsWith('Date invalide')) throw new UsageError((err as Error).message);
    throw err;
  }
  if (res.data !== undefined) process.stdout.write(res.data);
  else out(`Export écrit : ${res.entries} entrées, ${res.checkpoints} points de contrôle.`);
  return 0;
}

export async function runCli(args: string[], out: Out = (l) => console.log(l), err: Out = (l) => console.error(l)): Promise<number> {
  try {
    const p = parse(args);
    switch (p.positionals[0]) {
      case 'verify':
        return await cmdVerify(p, out);
      case 'prove':
        return await cmdProve(p, out);
      case 'verify-proof':
        return cmdVerifyProof(p, out);
      case 'export':
        return await cmdExport(p, (l) => err(l));
      default:
        throw new UsageError(p.positionals[0] ? `Commande inconnue : ${p.positionals[0]}` : 'Commande manquante.');
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof CliUsageError) {
      err(`${e.message}\n${USAGE}`);
      return 2;
    }
    err(`Erreur : ${(e as Error).message}`);
    return 2;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

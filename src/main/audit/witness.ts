import type { KeyObject } from 'node:crypto';
import { checkSignature, publicCheckpoint, signedBody, type Checkpoint } from './checkpoint';
import type { ConsistencyProof } from './proofs';

/** A checkpoint as the hospital witnesses it, with the proof that it extends the one witnessed before. */
export interface WitnessRecord {
  checkpoint: Checkpoint;
  /** From the previously witnessed size to this one; null for the first witnessed checkpoint. */
  consistency: ConsistencyProof | null;
}

/** Where checkpoints are witnessed (the hospital's FHIR server in production; see witness-fhir.ts). */
export interface WitnessPort {
  /** Records a checkpoint; idempotent (the same origin and index twice is one record). */
  submit(record: WitnessRecord): Promise<void>;
  /** The witnessed checkpoint of this journal with the highest index, or null if none. */
  latest(origin: string): Promise<Checkpoint | null>;
}

export type WitnessVerdict =
  | { status: 'ok'; witnessed: Checkpoint | null }
  | { status: 'tampered'; witnessed: Checkpoint; reason: string }
  /** The hospital could not be asked (offline) or its record is unusable: nothing concluded. */
  | { status: 'unverified'; reason: string };

const sameCheckpoint = (a: Checkpoint, b: Checkpoint): boolean => signedBody(a).equals(signedBody(b)) && a.signature === b.signature;

/**
 * Compares the local checkpoints (already verified against the entries, e.g. by verifyJournal or
 * at journal open) with the last one the hospital witnessed. The chain of checkpoints binds each to
 * the entries before it, so the local journal holds the witnessed entries unchanged exactly when its
 * checkpoint of the same index is the witnessed one. Fewer checkpoints: truncated, emptied or rolled
 * back; a different one: rewritten and re-signed.
 */
export function compareWithWitness(local: readonly Checkpoint[], witnessed: Checkpoint | null, keys: Map<string, KeyObject>): WitnessVerdict {
  if (!witnessed) return { status: 'ok', witnessed: null };
  const bad = checkSignature(witnessed, keys);
  if (bad) return { status: 'unverified', reason: `Le point de contrôle attesté par le serveur hospitalier est invalide (${bad}) : vérification par le témoin impossible.` };
  const at = `le point de contrôle n° ${witnessed.index} (${witnessed.treeSize} entrées, signé le ${witnessed.time})`;
  const mine = local[witnessed.index];
  if (!mine) {
    const last = local.at(-1);
    const what = last ? `n’a que ${local.length} points de contrôle (${last.treeSize} entrées)` : 'ne contient aucun point de contrôle';
    return { status: 'tampered', witnessed, reason: `Journal d’audit altéré : le serveur hospitalier a attesté ${at}, mais le journal local ${what} : journal tronqué, vidé ou revenu à un état antérieur.` };
  }
  if (!sameCheckpoint(mine, witnessed)) {
    return { status: 'tampered', witnessed, reason: `Journal d’audit altéré : ${at} attesté par le serveur hospitalier diffère du point de contrôle local de même numéro (${mine.treeSize} entrées) : journal réécrit puis signé à nouveau.` };
  }
  return { status: 'ok', witnessed };
}

/** Asks the witness and compares; a witness that cannot be reached leaves the journal unverified, not tampered. */
export async function checkAgainstWitness(port: WitnessPort, origin: string, local: readonly Checkpoint[], keys: Map<string, KeyObject>): Promise<WitnessVerdict> {
  let witnessed: Checkpoint | null;
  try {
    witnessed = await port.latest(origin);
  } catch (e) {
    return { status: 'unverified', reason: `Serveur hospitalier injoignable, journal non vérifié par le témoin : ${(e as Error).message}` };
  }
  return compareWithWitness(local, witnessed, keys);
}

/** What the witness needs of the open journal. */
export interface WitnessedJournal {
  latestCheckpoint(): Checkpoint | null;
  proveConsistency(size1: number, size2?: number): Promise<ConsistencyProof>;
}

export interface JournalWitness {
  /** Sends the latest checkpoint if the hospital has not witnessed it; false when it could not (offline). */
  flush(): Promise<boolean>;
  status(): { witnessedIndex: number | null; pending: boolean; lastError: string | null };
  stop(): Promise<void>;
}

/**
 * Sends the journal's latest signed checkpoint to the witness every `everyMs` (and on flush), with a
 * consistency proof from the last one witnessed. Never in the journal's way: it reads checkpoints
 * already written; offline, the checkpoints wait in the journal itself (nothing to queue but "the
 * latest"), and the next successful send covers every one signed meanwhile through its proof.
 */
export function createJournalWitness(opts: { journal: WitnessedJournal; port: WitnessPort; everyMs?: number; onError?: (message: string) => void }): JournalWitness {
  const { journal, port } = opts;
  let witnessed: Checkpoint | null | undefined; // undefined: not asked yet in this run
  let lastError: string | null = null;
  let running: Promise<boolean> | null = null;
  let stopped = false;

  async function send(): Promise<boolean> {
    const cp = journal.latestCheckpoint();
    if (!cp) return true;
    if (witnessed === undefined) witnessed = await port.latest(cp.origin);
    if (witnessed && witnessed.index === cp.index && sameCheckpoint(witnessed, cp)) return true;
    if (witnessed && (witnessed.index >= cp.index || witnessed.treeSize > cp.treeSize)) {
      throw new Error('le journal local est plus court que le dernier point de contrôle attesté, ou s’en écarte');
    }
    const consistency = witnessed ? await journal.proveConsistency(witnessed.treeSize, cp.treeSize) : null;
    // The entries the hospital witnessed must still be the journal's first ones: never extend a rewritten journal.
    if (witnessed && consistency?.root1 !== witnessed.rootHash) throw new Error('le journal local n’est plus cohérent avec le dernier point de contrôle attesté (journal réécrit)');
    await port.submit({ checkpoint: publicCheckpoint(cp), consistency });
    witnessed = cp;
    return true;
  }

  const flush = (): Promise<boolean> => {
    running ??= send()
      .then((ok) => {
        lastError = null;
        return ok;
      })
      .catch((e: Error) => {
        lastError = e.message;
        opts.onError?.(`Point de contrôle du journal non attesté par le serveur hospitalier (nouvel essai plus tard) : ${e.message}`);
        return false;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void flush();
  }, opts.everyMs ?? 60_000);
  timer.unref();

  return {
    flush,
    status: () => {
      const latest = journal.latestCheckpoint();
      return { witnessedIndex: witnessed?.index ?? null, pending: !!latest && (witnessed?.index ?? -1) < latest.index, lastError };
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

import type { KeyObject } from 'node:crypto';
import { checkSignature, checkpointHash, type StoredCheckpoint } from './checkpoint';
import type { CheckpointFile } from './files';

/** The first thing wrong, at the entry it concerns (and the checkpoint at fault, if one is). */
export interface Problem {
  seq: number;
  reason: string;
  checkpoint?: number;
}

/**
 * Checkpoints alone: numbering, chain, origin, growth and signature, then a
 * damaged or torn line. Returns the checkpoints valid up to the first problem.
 */
export function checkCheckpoints(cpFile: CheckpointFile, keys: Map<string, KeyObject>): { valid: StoredCheckpoint[]; problem?: Problem } {
  const valid: StoredCheckpoint[] = [];
  let origin: string | undefined;
  for (const cp of cpFile.checkpoints) {
    const i = valid.length;
    const prev = valid[i - 1];
    const prevSize = prev ? prev.treeSize : 0;
    let reason: string | null;
    if (cp.index !== i) reason = `porte le numéro ${cp.index} au lieu de ${i} (point de contrôle supprimé, inséré ou déplacé)`;
    else if (cp.prev !== (prev ? checkpointHash(prev) : '')) reason = 'n’est pas chaîné au point de contrôle précédent (supprimé, inséré ou modifié)';
    else if (origin !== undefined && cp.origin !== origin) reason = `appartient à un autre journal (${cp.origin})`;
    else if (cp.treeSize <= prevSize) reason = `couvre ${cp.treeSize} entrées, pas plus que le précédent (${prevSize})`;
    else reason = checkSignature(cp, keys);
    if (reason) return { valid, problem: { seq: prevSize, checkpoint: i, reason: `Point de contrôle n°${i} : ${reason}.` } };
    origin = cp.origin;
    valid.push(cp);
  }
  const prevSize = valid.at(-1)?.treeSize ?? 0;
  if (cpFile.bad) {
    return { valid, problem: { seq: prevSize, checkpoint: cpFile.bad.index, reason: `Point de contrôle n°${cpFile.bad.index} illisible : ${cpFile.bad.reason}.` } };
  }
  if (cpFile.tornBytes > 0) {
    return {
      valid,
      problem: {
        seq: prevSize,
        checkpoint: valid.length,
        reason: `Point de contrôle n°${valid.length} incomplet (${cpFile.tornBytes} octets en fin de fichier) : arrêt brutal probable, rouvrez l’application pour réparer.`,
      },
    };
  }
  return { valid };
}

import type { SyncStatus } from '../../../../shared/bridge/methods-sync';

export type SyncTone = 'ok' | 'offline' | 'pending' | 'conflict' | 'failed';

/** "1 modification en attente", "3 modifications en attente". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;
}

/**
 * The one line the header shows, most urgent first: a conflict needs a person, a refused push needs a look,
 * waiting pushes and being offline are normal at the bedside.
 */
export function syncSummary(s: SyncStatus, cache: { running: boolean; caughtUp: boolean; error: string | null } = { running: false, caughtUp: true, error: null }): { tone: SyncTone; text: string } {
  if (s.conflicts > 0) return { tone: 'conflict', text: plural(s.conflicts, 'conflit à résoudre', 'conflits à résoudre') };
  if (s.failed > 0) return { tone: 'failed', text: plural(s.failed, 'envoi refusé', 'envois refusés') };
  const pending = s.pending > 0 ? plural(s.pending, 'modification en attente', 'modifications en attente') : null;
  if (s.firstReplica) return { tone: 'pending', text: 'Première synchronisation…' };
  if (!s.online) return { tone: 'offline', text: pending ? `Hors ligne · ${pending}` : 'Hors ligne' };
  if (pending) return { tone: 'pending', text: pending };
  // Main is up to date but this screen's record is still being filled from it.
  if (cache.running && cache.error) return { tone: 'failed', text: 'Dossier local non mis à jour' };
  if (cache.running && !cache.caughtUp) return { tone: 'pending', text: 'Réception en cours…' };
  return { tone: 'ok', text: 'En ligne · à jour' };
}

/** "42 %" of a first replica, or null while its total is unknown. */
export function replicaPercent(fr: NonNullable<SyncStatus['firstReplica']>): number | null {
  if (fr.total === null || fr.total === 0) return null;
  return Math.min(100, Math.floor((fr.done * 100) / fr.total));
}

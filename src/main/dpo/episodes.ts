import type { JournalEntry } from '../audit';

/** One exceptional access, as the DPO reviews it: who, which patient, why, what was seen, when it ended. */
export interface BreakGlassEpisode {
  /** Stable: the kind and the journal seq of the entry that opened it. */
  id: string;
  /** 'local': break-glass on this workstation's record; 'dmp': DMP bris de glace or centre 15. */
  kind: 'local' | 'dmp';
  agent: { userId: string; name: string; role: string };
  patient: { ipp?: string; ins?: string };
  purpose: { code: string; reason?: string; justification?: string };
  start: { seq: number; time: string };
  /** The end entry of a local episode; absent while open or for a DMP episode (its grant ends with the session). */
  end?: { seq: number; time: string; ended?: string };
  accesses: { seq: number; time: string; type: string; outcome: string }[];
}

/** Accesses kept per episode for the screen; the count stays exact. */
export const MAX_ACCESSES_SHOWN = 200;

const patientKey = (e: JournalEntry) => e.patient?.ins?.split('@')[0] ?? e.patient?.ipp ?? '';
const isDmp = (code: string | undefined) => code === 'bris_de_glace' || code === 'centre_15';

/**
 * Groups the break-glass entries of the journal (in seq order) into episodes: a local start opens one, the
 * accesses under it follow, its end closes it; a DMP emergency declaration opens a DMP one. An access with no
 * open episode (the journal began mid-episode) opens one of its own, so nothing is left out of review.
 */
export function groupEpisodes(entries: JournalEntry[]): (BreakGlassEpisode & { accessCount: number })[] {
  const open = new Map<string, BreakGlassEpisode & { accessCount: number }>();
  const all: (BreakGlassEpisode & { accessCount: number })[] = [];
  for (const e of entries) {
    const code = e.purposeOfUse?.code;
    if (!e.agent || (code !== 'bris_de_glace_local' && !isDmp(code))) continue;
    const kind = isDmp(code) ? 'dmp' : 'local';
    const key = `${kind}|${e.agent.userId}|${patientKey(e)}`;
    const opens = e.type === 'security.breakglass.start' || e.type === 'dmp.breakglass' || e.type === 'dmp.centre15';
    let ep = open.get(key);
    if (opens || !ep) {
      const p: { code: string; reason?: string; justification?: string } = e.purposeOfUse!;
      ep = {
        id: `${kind}-${e.seq}`,
        kind,
        agent: { userId: e.agent.userId, name: e.agent.name, role: e.agent.role },
        patient: { ...(e.patient?.ipp ? { ipp: e.patient.ipp } : {}), ...(e.patient?.ins ? { ins: e.patient.ins } : {}) },
        purpose: { code: p.code, ...(p.reason ? { reason: p.reason } : {}), ...(p.justification ? { justification: p.justification } : {}) },
        start: { seq: e.seq, time: e.time },
        accesses: [],
        accessCount: 0,
      };
      open.set(key, ep);
      all.push(ep);
      if (opens) continue;
    }
    if (e.type === 'security.breakglass.end') {
      const ended = e.detail?.['ended'];
      ep.end = { seq: e.seq, time: e.time, ...(typeof ended === 'string' ? { ended } : {}) };
      open.delete(key);
      continue;
    }
    ep.accessCount++;
    if (ep.accesses.length < MAX_ACCESSES_SHOWN) ep.accesses.push({ seq: e.seq, time: e.time, type: e.type, outcome: e.outcome });
  }
  return all;
}

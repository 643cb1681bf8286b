import type { CareEncounter, CareIndex, PatientIdentity } from '../../src/main/care/index';

const DAY = 86_400_000;

/**
 * Puts a patient into main's care index as the hospital server (or an import main read itself)
 * would: the identity, and one stay in `unit` — current by default, or ended `endedDaysAgo` days
 * before `now`. Returns the only thing a bridge call may say about the patient: its id.
 */
export function admit(
  index: CareIndex,
  p: PatientIdentity & { unit?: string; status?: CareEncounter['status']; endedDaysAgo?: number; now?: Date },
): { id: string } {
  index.putPatient({ id: p.id, ipp: p.ipp, ...(p.ins ? { ins: p.ins } : {}) });
  if (p.unit) {
    const now = (p.now ?? new Date()).getTime();
    const ended = p.endedDaysAgo !== undefined ? new Date(now - p.endedDaysAgo * DAY).toISOString() : undefined;
    index.putEncounter({
      id: `enc-${p.id}-${p.unit}`,
      patientId: p.id,
      unit: p.unit,
      status: p.status ?? (ended ? 'finished' : 'in-progress'),
      start: new Date(now - ((p.endedDaysAgo ?? 0) + 3) * DAY).toISOString(),
      ...(ended ? { end: ended } : {}),
    });
  }
  return { id: p.id };
}

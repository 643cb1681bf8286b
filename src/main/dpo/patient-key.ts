import { INS_KEY, type PatientKeyView } from '../../shared/bridge/methods-audit';

/** A patient as the journal query matches them: the IPP exactly, the INS by its NIR. */
export interface QueryPatient {
  ipp?: string;
  insNir?: string;
}

/**
 * What the DPO typed in one box: a NIR (spaces allowed, as printed on a carte Vitale) is matched as an INS,
 * anything else as an IPP; a string that could be both is tried as both.
 */
export function toQueryPatient(text: string): QueryPatient {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (INS_KEY.test(compact)) return { ipp: compact, insNir: compact.split('@')[0]! };
  return { ipp: text.trim() };
}

export function fromPatientKey(p: PatientKeyView): QueryPatient {
  return { ...(p.ipp ? { ipp: p.ipp } : {}), ...(p.ins ? { insNir: p.ins.split('@')[0]!.toUpperCase() } : {}) };
}

/** The typed patient and the patients a name search found, as one "any of" filter; undefined when neither. */
export function patientFilter(text: string | undefined, keys: PatientKeyView[] | undefined): QueryPatient[] | undefined {
  const all = [...(text ? [toQueryPatient(text)] : []), ...(keys ?? []).map(fromPatientKey)];
  return all.length ? all : undefined;
}

import { skipToken, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { DmpEntry, DmpRetrieved, DmpStatusView } from '../../../../shared/bridge/methods-dmp';
import { extractAllergies, extractTreatments, parseCda, type CdaAllergy, type CdaTreatment } from '../../../../shared/cda';
import { documentTypeCategory } from '../../../../shared/loinc-labels';
import { api, unwrap } from '../../bridge';
import { isRecentExam } from './document-filters';
import { dmpKeys } from './keys';
import { dmpInput, grantedMode } from './queries';
import type { DmpPatient } from './types';

/** Structured documents read for alerts: the most recent summaries and letters, a handful only. */
const ALERT_SOURCES = 5;
const PDF_FORMAT = /pdf|xds-sd/i;

export function alertSources(entries: readonly DmpEntry[]): DmpEntry[] {
  return entries
    .filter((e) => e.availabilityStatus === 'approved' && !e.visibility.includes('MASQUE_PS') && !PDF_FORMAT.test(e.formatCode?.code ?? ''))
    .filter((e) => ['lettre-de-liaison', 'synthese', 'dispensation'].includes(documentTypeCategory(e.typeCode?.code)))
    .sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''))
    .slice(0, ALERT_SOURCES);
}

export interface DmpAlerts {
  /** False until the user has opened the DMP (consent settled): no DMP call is made before. */
  available: boolean;
  loading: boolean;
  allergies: CdaAllergy[];
  /** Current treatments only. */
  treatments: CdaTreatment[];
  /** Imaging and lab reports of the last 30 days. */
  recentExams: DmpEntry[];
}

/**
 * Allergies and current treatments found in the patient's structured DMP documents, each with
 * its source, for the chart banner. It only uses an access the DMP panel already opened: it
 * never calls TD0.2 nor asks for consent by itself.
 */
export function useDmpAlerts(patient: DmpPatient, now: Date = new Date()): DmpAlerts {
  const status = useQuery<DmpStatusView>({ queryKey: dmpKeys.status(patient.ref.id), queryFn: skipToken });
  const mode = grantedMode(status.data);
  const list = useQuery<DmpEntry[]>({ queryKey: dmpKeys.documents(patient.ref.id, mode ?? 'normal'), queryFn: skipToken });
  const entries = mode ? list.data : undefined;
  const sources = useMemo(() => (entries ? alertSources(entries) : []), [entries]);
  const docs = useQueries({
    queries: sources.map((e) => ({
      queryKey: dmpKeys.document(patient.ref.id, mode ?? 'normal', e.uniqueId),
      staleTime: Infinity,
      retry: false,
      queryFn: () => unwrap(api.dmp.retrieve({ ...dmpInput(patient), accessMode: mode!, document: { uniqueId: e.uniqueId, repositoryUniqueId: e.repositoryUniqueId } })),
    })),
  });
  const at = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
  const allergies: CdaAllergy[] = [];
  const treatments: CdaTreatment[] = [];
  docs.forEach((d, i) => {
    if (!d.data) return;
    const found = clinicalOf(d.data, sources[i]!.entryUUID, at);
    allergies.push(...found.allergies);
    treatments.push(...found.treatments);
  });
  return {
    available: !!entries,
    loading: docs.some((d) => d.isPending),
    allergies,
    treatments,
    recentExams: (entries ?? []).filter((e) => isRecentExam(e, at)),
  };
}

// Parsed once per retrieved document (query results are stable objects).
const parsedCache = new WeakMap<DmpRetrieved, { day: number; allergies: CdaAllergy[]; treatments: CdaTreatment[] }>();

function clinicalOf(d: DmpRetrieved, externalRef: string, at: Date): { allergies: CdaAllergy[]; treatments: CdaTreatment[] } {
  const hit = parsedCache.get(d);
  if (hit && hit.day === at.getTime()) return hit;
  const empty = { day: at.getTime(), allergies: [], treatments: [] };
  if (d.encoding !== 'text') return empty;
  const parsed = parseCda(d.content);
  if (!parsed.ok) return empty;
  const value = {
    day: at.getTime(),
    allergies: extractAllergies(parsed.document, { externalRef }),
    treatments: extractTreatments(parsed.document, { at, source: { externalRef } }).filter((t) => t.current),
  };
  parsedCache.set(d, value);
  return value;
}

import { useQuery } from '@tanstack/react-query';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { api } from '../../bridge';
import { loadChart, type Chart } from '../../db/chart';
import { markOpened } from '../../db/patients';
import { recordDb } from '../patients';
import { chartKeys } from './keys';

/**
 * Main is asked first (unit scope, break-glass, journal); only a granted access reads the
 * chart from IndexedDB. Non-clinical roles ask for the identity file only.
 */
export function useChart(ref: PatientRef, clinical: boolean) {
  const gate = useQuery({
    queryKey: chartKeys.gate(ref.id, clinical),
    queryFn: () => (clinical ? api.record.openChart({ patient: ref }) : api.record.openIdentity({ patient: ref })),
    staleTime: Infinity,
  });
  const chart = useQuery({
    queryKey: chartKeys.chart(ref.id),
    enabled: gate.data?.ok === true,
    queryFn: async (): Promise<Chart> => {
      const c = await loadChart(recordDb(), ref.id);
      if (!c) throw new Error('Patient introuvable dans le dossier local.');
      // The "recent patients" stamp is a write: it need not delay the chart on screen.
      void markOpened(recordDb(), ref.id).catch((err: unknown) => console.warn('Liste des patients récents non mise à jour :', err));
      return c;
    },
  });
  return { gate, chart };
}

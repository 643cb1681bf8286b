import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { DmpAccessMode, DmpEntry, DmpRetrieved, DmpStatusView } from '../../../../shared/bridge/methods-dmp';
import { api, unwrap } from '../../bridge';
import { recordEmergencyAccess } from './emergency';
import { dmpKeys } from './keys';
import type { DmpPatient } from './types';

/** DMP content is never kept longer than needed: no refetch on focus, gone when the patient changes. */
const MEMORY_ONLY = { staleTime: Infinity, gcTime: 10 * 60_000, retry: false, refetchOnWindowFocus: false } as const;

export function dmpInput(p: DmpPatient) {
  return { patient: p.ref, identity: p.identity };
}

/** TD0.2 only: the first and only call when the panel opens. */
export function useDmpStatus(p: DmpPatient, enabled = true) {
  const client = useQueryClient();
  return useQuery({
    queryKey: dmpKeys.status(p.ref.id),
    enabled,
    ...MEMORY_ONLY,
    queryFn: async (): Promise<DmpStatusView> => {
      const s = await unwrap(api.dmp.status(dmpInput(p)));
      // An emergency access opened earlier in this session stays announced.
      if (s.insQualified && s.access && s.access.mode !== 'normal') {
        recordEmergencyAccess(client, { patientId: p.ref.id, patientLabel: p.displayName, mode: s.access.mode, since: new Date().toISOString() });
      }
      return s;
    },
  });
}

/** The granted access mode, if the cached status holds one. */
export function grantedMode(status: DmpStatusView | undefined): DmpAccessMode | null {
  return status?.insQualified && status.exists && status.authorization !== 'INTERDIT' && status.access ? status.access.mode : null;
}

export function useDmpDocuments(p: DmpPatient, mode: DmpAccessMode | null) {
  return useQuery({
    queryKey: dmpKeys.documents(p.ref.id, mode ?? 'normal'),
    enabled: mode !== null,
    ...MEMORY_ONLY,
    queryFn: async (): Promise<DmpEntry[]> => (await unwrap(api.dmp.documents({ ...dmpInput(p), accessMode: mode! }))).entries,
  });
}

export function useDmpDocument(p: DmpPatient, mode: DmpAccessMode, entry: DmpEntry | null) {
  return useQuery({
    queryKey: dmpKeys.document(p.ref.id, mode, entry?.uniqueId ?? ''),
    enabled: entry !== null,
    ...MEMORY_ONLY,
    gcTime: 60_000,
    queryFn: async (): Promise<DmpRetrieved> =>
      unwrap(api.dmp.retrieve({ ...dmpInput(p), accessMode: mode, document: { uniqueId: entry!.uniqueId, repositoryUniqueId: entry!.repositoryUniqueId, entryUUID: entry!.entryUUID } })),
  });
}

/**
 * One patient's DMP at a time: when the panel or chart shows a patient, the DMP data of any
 * other patient is dropped (patient switch, even if the chart remounts). The chart mounts it
 * with `onUnmount` so closing the chart drops it too; the panel keeps it across tab switches.
 */
export function useDmpPatientScope(patientId: string, opts: { onUnmount?: boolean } = { onUnmount: true }) {
  const client = useQueryClient();
  const onUnmount = opts.onUnmount ?? true;
  useEffect(() => {
    client.removeQueries({ queryKey: dmpKeys.patients, predicate: (q) => q.queryKey[2] !== patientId });
  }, [client, patientId]);
  useEffect(() => {
    if (!onUnmount) return;
    return () => client.removeQueries({ queryKey: dmpKeys.patient(patientId) });
  }, [client, patientId, onUnmount]);
}

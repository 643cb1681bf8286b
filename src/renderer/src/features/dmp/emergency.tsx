import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { DMP_ACCESS_MODE_LABELS, type DmpAccessMode } from '../../../../shared/bridge/methods-dmp';
import { formatTimeFr } from '../../../../shared/time';
import { dmpKeys } from './keys';

export interface DmpEmergencyAccess {
  patientId: string;
  patientLabel: string;
  mode: Exclude<DmpAccessMode, 'normal'>;
  since: string;
}

type Registry = Readonly<Record<string, DmpEmergencyAccess>>;
const EMPTY: Registry = Object.freeze({});

/**
 * Open DMP emergency accesses live in the query cache, beside the documents: the
 * session provider's clear() on lock or sign-out removes them with everything else.
 */
export function recordEmergencyAccess(client: QueryClient, access: DmpEmergencyAccess): void {
  const current = client.getQueryData<Registry>(dmpKeys.emergency) ?? EMPTY;
  if (current[access.patientId]?.mode === access.mode) return;
  client.setQueryData<Registry>(dmpKeys.emergency, { ...current, [access.patientId]: access });
  // Never garbage-collected while the session lasts: the banner must stay for the whole access.
  client.getQueryCache().find({ queryKey: dmpKeys.emergency })?.setOptions({ queryKey: dmpKeys.emergency, gcTime: Infinity });
}

/** Every open DMP emergency access of this session (break-glass, centre 15). */
export function useDmpEmergencyAccesses(): DmpEmergencyAccess[] {
  const client = useQueryClient();
  const subscribe = useCallback((notify: () => void) => client.getQueryCache().subscribe(notify), [client]);
  const registry = useSyncExternalStore(subscribe, () => client.getQueryData<Registry>(dmpKeys.emergency) ?? EMPTY);
  return Object.values(registry);
}

/**
 * Red, on every screen while a DMP emergency access is open: mount it once at the app level,
 * beside the local break-glass banner.
 */
export function DmpEmergencyBanner() {
  const accesses = useDmpEmergencyAccesses();
  if (accesses.length === 0) return null;
  return (
    <div className="dmp-emergency-banner" role="alert" data-testid="dmp-emergency-banner">
      {accesses.map((a) => (
        <div key={a.patientId}>
          <strong>DMP — {DMP_ACCESS_MODE_LABELS[a.mode]}</strong> au DMP de {a.patientLabel} depuis{' '}
          {formatTimeFr(a.since)}. Chaque consultation est tracée ; le patient en
          sera informé.
        </div>
      ))}
    </div>
  );
}

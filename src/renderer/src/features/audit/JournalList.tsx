import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { auditEventLabel, PURPOSE_LABELS } from '../../../../shared/audit-labels';
import type { AuditEntryView } from '../../../../shared/bridge/methods-audit';
import { ROLE_LABELS, type Role } from '../../../../shared/bridge/roles';
import { api, unwrap } from '../../bridge';
import { auditKeys } from './keys';

export interface JournalFilter {
  from?: string;
  to?: string;
  patient?: string;
  userId?: string;
  type?: string;
  breakGlass?: boolean;
}

const PAGE = 200;
const ROW_HEIGHT = 44;

const when = (iso: string) => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });

function outcomeLabel(e: AuditEntryView): string {
  return e.outcome === 'success' ? 'Réussi' : e.outcome === 'denied' ? 'Refusé' : 'Échec';
}

/** Journal entries, newest first, virtualised and paged from main as the list scrolls. */
export function JournalList({ filter }: { filter: JournalFilter }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const query = useInfiniteQuery({
    queryKey: auditKeys.journal(filter),
    initialPageParam: 0,
    queryFn: ({ pageParam }) => unwrap(api.audit.query({ ...filter, offset: pageParam, limit: PAGE })),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.entries.length, 0);
      return loaded < last.total ? loaded : undefined;
    },
  });
  const rows = query.data?.pages.flatMap((p) => p.entries) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (query.isError) return <p className="form-error">{query.error.message}</p>;
  return (
    <div className="journal">
      <p className="hint" data-testid="journal-count">
        {query.isPending ? 'Chargement du journal…' : `${total.toLocaleString('fr-FR')} entrée(s)`}
      </p>
      <div className="journal-head journal-row" aria-hidden="true">
        <span>N°</span>
        <span>Date</span>
        <span>Événement</span>
        <span>Utilisateur</span>
        <span>Patient</span>
        <span>Motif</span>
        <span>Résultat</span>
      </div>
      <div ref={parentRef} className="journal-scroll" role="table" aria-label="Entrées du journal" aria-rowcount={total}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const e = rows[v.index]!;
            const urgent = e.purposeOfUse && e.purposeOfUse.code !== 'normal';
            return (
              <div
                key={e.seq}
                role="row"
                className={`journal-row ${urgent ? 'urgent' : ''} ${e.outcome !== 'success' ? 'refused' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              >
                <span role="cell">{e.seq}</span>
                <span role="cell">{when(e.time)}</span>
                <span role="cell">{auditEventLabel(e.type)}</span>
                <span role="cell">{e.agent ? `${e.agent.name} (${ROLE_LABELS[e.agent.role as Role] ?? e.agent.role})` : '—'}</span>
                <span role="cell">{e.patient ? [e.patient.ipp && `IPP ${e.patient.ipp}`, e.patient.ins && `INS ${e.patient.ins}`].filter(Boolean).join(' · ') : '—'}</span>
                <span role="cell" title={e.purposeOfUse?.justification}>
                  {e.purposeOfUse ? (PURPOSE_LABELS[e.purposeOfUse.code] ?? e.purposeOfUse.code) : '—'}
                  {e.purposeOfUse?.justification ? ` — ${e.purposeOfUse.justification}` : ''}
                </span>
                <span role="cell">{outcomeLabel(e)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { auditEventLabel, PURPOSE_LABELS } from '../../../../shared/audit-labels';
import type { AuditEntryView, PatientKeyView } from '../../../../shared/bridge/methods-audit';
import { ROLE_LABELS, type Role } from '../../../../shared/bridge/roles';
import { formatDateTimeFr } from '../../../../shared/time';
import { api, unwrap } from '../../bridge';
import { VirtualList } from '../ui';
import { auditKeys } from './keys';

export interface JournalFilter {
  from?: string;
  to?: string;
  /** An IPP or INS typed as such. */
  patient?: string;
  /** The patients a name search found. */
  patients?: PatientKeyView[];
  userId?: string;
  /** Part of a login or a name. */
  user?: string;
  type?: string;
  breakGlass?: boolean;
}

const PAGE = 200;
const ROW_HEIGHT = 44;

const when = (iso: string) => formatDateTimeFr(iso, { seconds: true });

function outcomeLabel(e: AuditEntryView): string {
  return e.outcome === 'success' ? 'Réussi' : e.outcome === 'denied' ? 'Refusé' : 'Échec';
}

/** Journal entries, newest first, virtualised and paged from main as the list scrolls. */
export function JournalList({ filter }: { filter: JournalFilter }) {
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
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onLastRendered = useCallback(
    (last: number) => {
      if (hasNextPage && !isFetchingNextPage && last >= rows.length - 20) void fetchNextPage();
    },
    [rows.length, hasNextPage, isFetchingNextPage, fetchNextPage],
  );

  if (query.isError) return <p className="form-error">{query.error.message}</p>;
  return (
    <div className="journal">
      <p className="hint" data-testid="journal-count">
        {query.isPending ? 'Chargement du journal…' : `${total.toLocaleString('fr-FR')} entrée(s)`}
      </p>
      <VirtualList
        role="grid"
        label="Entrées du journal"
        scrollClassName="journal-scroll"
        items={rows}
        total={total}
        rowHeight={ROW_HEIGHT}
        overscan={10}
        rowKey={(e) => e.seq}
        rowClassName={(e) => `journal-row ${e.purposeOfUse && e.purposeOfUse.code !== 'normal' ? 'urgent' : ''} ${e.outcome !== 'success' ? 'refused' : ''}`}
        onLastRendered={onLastRendered}
        header={
          <div className="journal-head journal-row" role="row" aria-rowindex={1}>
            {['N°', 'Date', 'Événement', 'Utilisateur', 'Patient', 'Motif', 'Résultat'].map((h) => (
              <span key={h} role="columnheader">
                {h}
              </span>
            ))}
          </div>
        }
        renderRow={(e) => <JournalRow entry={e} />}
      />
    </div>
  );
}

/** Who did it; for a failed sign-in nobody is signed in, so the identifier that was typed (or on the certificate). */
export function userText(e: AuditEntryView): string {
  if (e.agent) return `${e.agent.name} (${ROLE_LABELS[e.agent.role as Role] ?? 'rôle inconnu'})`;
  const attempted = e.detail?.['attemptedId'];
  return typeof attempted === 'string' ? `Identifiant saisi : « ${attempted} »` : '—';
}

export function patientText(p: AuditEntryView['patient']): string {
  return p ? [p.ipp && `IPP ${p.ipp}`, p.ins && `INS ${p.ins.split('@')[0]}`].filter(Boolean).join(' · ') : '—';
}

function JournalRow({ entry: e }: { entry: AuditEntryView }) {
  const purpose = e.purposeOfUse ? `${PURPOSE_LABELS[e.purposeOfUse.code] ?? 'Autre motif'}${e.purposeOfUse.justification ? ` — ${e.purposeOfUse.justification}` : ''}` : '—';
  const cells = [String(e.seq), when(e.time), auditEventLabel(e.type), userText(e), patientText(e.patient), purpose, outcomeLabel(e)];
  return (
    <>
      {cells.map((c, i) => (
        <span key={i} role="gridcell" title={c}>
          {c}
        </span>
      ))}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { auditEventLabel, PURPOSE_LABELS } from '../../../../shared/audit-labels';
import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../../../../shared/authz/break-glass';
import { REVIEW_STATUS_LABELS, REVIEW_STATUSES, type BreakGlassEpisodeView, type ReviewStatus } from '../../../../shared/bridge/methods-audit';
import { ROLE_LABELS, type Role } from '../../../../shared/bridge/roles';
import { formatDateTimeFr } from '../../../../shared/time';
import { api, unwrap } from '../../bridge';
import { auditKeys } from './keys';
import { patientText } from './JournalList';
import { ReviewDialog } from './ReviewDialog';

const when = (iso: string) => formatDateTimeFr(iso);
const ENDED: Record<string, string> = { manual: 'fermé par l’utilisateur', expired: 'durée écoulée', logout: 'fin de session' };

/**
 * "Accès exceptionnels à revoir": each break-glass episode (start, accesses, end) with its review status;
 * the DPO marks it reviewed, justified or escalated with a comment, each conclusion journalled by main.
 */
export function EpisodeQueue() {
  const [status, setStatus] = useState<ReviewStatus | ''>('a_revoir');
  const [reviewing, setReviewing] = useState<BreakGlassEpisodeView | null>(null);
  const titleId = useId();
  const q = useQuery({
    queryKey: auditKeys.episodes(status),
    queryFn: () => unwrap(api.audit.breakGlassEpisodes({ ...(status ? { status } : {}), limit: 200 })),
  });
  const counts = q.data?.counts;
  return (
    <section className="panel episode-queue" aria-labelledby={titleId}>
      <h2 id={titleId}>Accès exceptionnels (bris de glace) à revoir</h2>
      <p className="hint">Chaque épisode d’accès en dehors des unités de soins : son ouverture, les consultations faites sous cet accès, sa fin. Concluez la revue de chacun.</p>
      <div className="status-filter" role="group" aria-label="Statut de la revue">
        {(['', ...REVIEW_STATUSES] as const).map((s) => (
          <button key={s || 'tous'} type="button" className={status === s ? 'active' : ''} aria-pressed={status === s} onClick={() => setStatus(s)}>
            {s ? REVIEW_STATUS_LABELS[s] : 'Tous'}
            {counts ? ` (${s ? counts[s] : Object.values(counts).reduce((a, b) => a + b, 0)})` : ''}
          </button>
        ))}
      </div>
      {q.isError && <p className="form-error">{q.error.message}</p>}
      {q.data && q.data.episodes.length === 0 && <p className="hint">Aucun épisode dans cette catégorie.</p>}
      <ul className="episodes">
        {q.data?.episodes.map((ep) => (
          <EpisodeCard key={ep.id} ep={ep} onReview={() => setReviewing(ep)} />
        ))}
      </ul>
      {reviewing && <ReviewDialog episode={reviewing} onClose={() => setReviewing(null)} />}
    </section>
  );
}

function purposeText(p: BreakGlassEpisodeView['purpose']): string {
  const reason = p.reason && p.reason in BREAK_GLASS_REASONS ? BREAK_GLASS_REASONS[p.reason as BreakGlassReason] : null;
  return [PURPOSE_LABELS[p.code] ?? 'Accès exceptionnel', reason].filter(Boolean).join(' — ');
}

function EpisodeCard({ ep, onReview }: { ep: BreakGlassEpisodeView; onReview: () => void }) {
  const last = ep.reviews.at(-1);
  const end = ep.end ? `${when(ep.end.time)}${ep.end.ended && ENDED[ep.end.ended] ? ` (${ENDED[ep.end.ended]})` : ''}` : ep.kind === 'dmp' ? 'avec la session' : 'en cours';
  return (
    <li className={`episode status-${ep.status}`} data-testid="episode">
      <div className="episode-head">
        <strong>{ep.agent.name}</strong> ({ROLE_LABELS[ep.agent.role as Role] ?? 'rôle inconnu'}) — patient {patientText(ep.patient)}
        <span className={`review-badge ${ep.status}`}>{REVIEW_STATUS_LABELS[ep.status]}</span>
      </div>
      <dl className="episode-facts">
        <dt>Motif</dt>
        <dd>{purposeText(ep.purpose)}</dd>
        <dt>Justification</dt>
        <dd>{ep.purpose.justification ? `« ${ep.purpose.justification} »` : 'aucune'}</dd>
        <dt>Début</dt>
        <dd>{when(ep.start.time)}</dd>
        <dt>Fin</dt>
        <dd>{end}</dd>
        <dt>Accès</dt>
        <dd>
          <details>
            <summary>{ep.accessCount} consultation(s) sous cet accès</summary>
            <ol className="episode-accesses">
              {ep.accesses.map((a) => (
                <li key={a.seq}>
                  {formatDateTimeFr(a.time, { seconds: true })} — {auditEventLabel(a.type)}
                  {a.outcome === 'success' ? '' : ' (refusé)'}
                </li>
              ))}
            </ol>
          </details>
        </dd>
        {last && (
          <>
            <dt>Revue</dt>
            <dd>
              {REVIEW_STATUS_LABELS[last.status]} par {last.reviewer.name} le {when(last.at)}
              {last.comment ? ` — « ${last.comment} »` : ''}
            </dd>
          </>
        )}
      </dl>
      <button type="button" onClick={onReview}>
        {last ? 'Modifier la revue…' : 'Revoir cet accès…'}
      </button>
    </li>
  );
}

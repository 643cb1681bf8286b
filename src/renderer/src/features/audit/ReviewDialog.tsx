import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { REVIEW_STATUS_LABELS, REVIEW_STATUSES, type BreakGlassEpisodeView, type ReviewStatus } from '../../../../shared/bridge/methods-audit';
import { api, unwrap } from '../../bridge';
import { Dialog } from '../ui';
import { patientText } from './JournalList';

/** The DPO's conclusion on one episode: a status and a comment (required to justify or escalate). */
export function ReviewDialog({ episode, onClose }: { episode: BreakGlassEpisodeView; onClose: () => void }) {
  const titleId = useId();
  const qc = useQueryClient();
  const [status, setStatus] = useState<ReviewStatus>(episode.status === 'a_revoir' ? 'revu' : episode.status);
  const [comment, setComment] = useState(episode.reviews.at(-1)?.comment ?? '');
  const save = useMutation({
    mutationFn: () => unwrap(api.audit.reviewEpisode({ episodeId: episode.id, status, comment })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['audit.breakGlassEpisodes'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog labelledBy={titleId} onClose={onClose} testId="review-dialog">
      <form className="dialog-form" onSubmit={submit}>
        <h2 id={titleId}>Revue de l’accès exceptionnel</h2>
        <p>
          {episode.agent.name} — patient {patientText(episode.patient)} — {episode.accessCount} consultation(s).
        </p>
        <fieldset className="radio-row">
          <legend>Conclusion</legend>
          {REVIEW_STATUSES.map((s) => (
            <label key={s}>
              <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} />
              {REVIEW_STATUS_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <label className="stacked">
          Commentaire{status === 'justifie' || status === 'escalade' ? ' (obligatoire)' : ''}
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={4} maxLength={2000} />
        </label>
        {save.isError && (
          <p className="form-error" role="alert">
            {save.error.message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Annuler
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            Enregistrer la revue
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { REVIEW_STATUSES, type BreakGlassEpisodeView, type ReviewStatus } from '../../shared/bridge/methods-audit';
import { BridgeFailure } from '../../shared/bridge/result';
import type { Journal } from '../audit';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { HandlerSlice } from '../host/handlers';
import { groupEpisodes, type BreakGlassEpisode } from './episodes';
import { openReviewStore, type Review, type ReviewStore } from './review-store';

type ReviewMethods = 'audit.breakGlassEpisodes' | 'audit.reviewEpisode';

/** Statuses that close a review: the DPO says why. */
const NEEDS_COMMENT: readonly ReviewStatus[] = ['justifie', 'escalade'];

/**
 * The review queue of exceptional accesses: episodes come from the journal (main's own record of what
 * happened), the DPO's conclusions from the review store; each conclusion is journalled too.
 */
export function createReviewHandlers(deps: { journal: Journal; audit: AuditPort; clock: Clock; dataDir: string }): Pick<HandlerSlice<'audit'>, ReviewMethods> {
  let store: Promise<ReviewStore> | null = null;
  const reviews = () => (store ??= openReviewStore(deps.dataDir).catch((err: unknown) => {
    store = null;
    throw new BridgeFailure('UNAVAILABLE', (err as Error).message);
  }));

  async function episodes(): Promise<(BreakGlassEpisode & { accessCount: number })[]> {
    const r = await deps.journal.query({ breakGlass: true, order: 'asc', limit: 1_000_000 });
    return groupEpisodes(r.entries);
  }
  const view = (ep: BreakGlassEpisode & { accessCount: number }, history: Review[]): BreakGlassEpisodeView => ({
    ...ep,
    status: history.at(-1)?.status ?? 'a_revoir',
    reviews: history,
  });

  return {
    'audit.breakGlassEpisodes': async ({ status, offset, limit }) => {
      const s = await reviews();
      const all = (await episodes()).map((ep) => view(ep, s.history(ep.id))).reverse();
      const counts = Object.fromEntries(REVIEW_STATUSES.map((st) => [st, all.filter((e) => e.status === st).length])) as Record<ReviewStatus, number>;
      const matching = status ? all.filter((e) => e.status === status) : all;
      return { episodes: matching.slice(offset, offset + limit), total: matching.length, counts };
    },

    'audit.reviewEpisode': async ({ episodeId, status, comment }, { caller }) => {
      if (NEEDS_COMMENT.includes(status) && !comment) {
        throw new BridgeFailure('INVALID_INPUT', status === 'justifie' ? 'Indiquez en commentaire ce qui justifie cet accès.' : 'Indiquez en commentaire le motif de l’escalade.');
      }
      const ep = (await episodes()).find((e) => e.id === episodeId);
      if (!ep) throw new BridgeFailure('NOT_FOUND', 'Cet épisode d’accès exceptionnel est introuvable dans le journal.');
      const s = await reviews();
      const review: Review = { status, comment, reviewer: { userId: caller.agent.userId, name: caller.agent.name }, at: deps.clock.now().toISOString() };
      const history = await s.add(episodeId, review);
      await deps.audit.record({
        type: 'journal.review',
        action: 'U',
        outcome: 'success',
        agent: caller.agent,
        patient: ep.patient,
        entity: { type: 'AuditEvent', id: String(ep.start.seq) },
        detail: { episode: episodeId, status, ...(comment ? { comment: comment.slice(0, 500) } : {}) },
      });
      return view(ep, history);
    },
  };
}

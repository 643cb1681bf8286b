import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REVIEW_STATUSES } from '../../shared/bridge/methods-audit';
import { BridgeFailure } from '../../shared/bridge/result';
import { writeFileAtomic } from '../fs/atomic-write';

const FORMAT = 'chu-workstation/breakglass-reviews';

const ReviewSchema = z.object({
  status: z.enum(REVIEW_STATUSES),
  comment: z.string().max(2000),
  reviewer: z.object({ userId: z.string(), name: z.string() }),
  at: z.string().datetime(),
});
export type Review = z.infer<typeof ReviewSchema>;

const FileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  /** Episode id → its reviews, oldest first; the last one is the current status. */
  episodes: z.record(z.string(), z.array(ReviewSchema)),
});
type ReviewFile = z.infer<typeof FileSchema>;

export interface ReviewStore {
  history(episodeId: string): Review[];
  add(episodeId: string, review: Review): Promise<Review[]>;
}

export function reviewsPath(dataDir: string): string {
  return path.join(dataDir, 'dpo', 'breakglass-reviews.json');
}

/**
 * The DPO's review of exceptional accesses, in main's data dir (the journal itself is append-only and says
 * what happened; this says what the DPO concluded, and each conclusion is also journalled). Whole-file atomic
 * writes, 0600, one at a time; a damaged file is a French error, never silently replaced.
 */
export async function openReviewStore(dataDir: string): Promise<ReviewStore> {
  const file = reviewsPath(dataDir);
  let state: ReviewFile = { format: FORMAT, version: 1, episodes: {} };
  let raw: string | null = null;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (raw !== null) {
    let parsed: ReturnType<typeof FileSchema.safeParse>;
    try {
      parsed = FileSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = { success: false } as ReturnType<typeof FileSchema.safeParse>;
    }
    if (!parsed.success) {
      throw new Error(`Le fichier des revues d’accès exceptionnels (${file}) est endommagé : restaurez-le depuis une sauvegarde.`);
    }
    state = parsed.data;
  }
  let queue: Promise<unknown> = Promise.resolve();
  return {
    history: (id) => state.episodes[id] ?? [],
    add(episodeId, review) {
      const run = async () => {
        const next: ReviewFile = { ...state, episodes: { ...state.episodes, [episodeId]: [...(state.episodes[episodeId] ?? []), review] } };
        await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        try {
          await writeFileAtomic(file, JSON.stringify(next, null, 1) + '\n', { mode: 0o600 });
        } catch (err) {
          throw new BridgeFailure('UNAVAILABLE', `La revue n’a pas pu être enregistrée (${(err as Error).message}) : rien n’a été modifié.`);
        }
        state = next;
        return next.episodes[episodeId]!;
      };
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      return p;
    },
  };
}

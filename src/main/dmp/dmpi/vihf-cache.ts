import type { DmpRequestContext } from '../types';

export interface VihfCache {
  /** A signed VIHF for this context: the cached one while it is still valid, else a fresh one. */
  get(ctx: DmpRequestContext): Promise<string>;
  /** Forgets the context's token (the DMP rejected it). */
  drop(ctx: DmpRequestContext): void;
}

/**
 * A VIHF is a token valid for a few minutes: reused per (user, patient, mode) within that window
 * (each envelope still has its own MessageID), dropped as soon as the DMP rejects it.
 */
export function createVihfCache(signFresh: (ctx: DmpRequestContext) => Promise<string>, clock: () => Date, validityMinutes = 10): VihfCache {
  // Two minutes of margin so a token never expires between signing and the DMP reading it.
  const ttl = Math.max(0, (validityMinutes - 2) * 60_000);
  const cache = new Map<string, { xml: string; until: number }>();
  const key = (ctx: DmpRequestContext): string =>
    JSON.stringify([ctx.user.id, ctx.user.rpps ?? '', ctx.user.role, ctx.user.name, ctx.user.professionCode ?? '', ctx.ins, ctx.accessMode]);
  return {
    async get(ctx) {
      const k = key(ctx);
      const now = clock().getTime();
      const hit = cache.get(k);
      if (hit && hit.until > now) return hit.xml;
      const xml = await signFresh(ctx);
      if (ttl > 0) {
        if (cache.size > 500) cache.clear();
        cache.set(k, { xml, until: now + ttl });
      }
      return xml;
    },
    drop(ctx) {
      cache.delete(key(ctx));
    },
  };
}

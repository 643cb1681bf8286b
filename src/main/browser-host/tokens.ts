import { randomBytes } from 'node:crypto';

/**
 * The browser host's page tokens. A page load mints a token (pending); the page's first bridge call makes it
 * live. Mints can only ever push out other pending tokens, never a live page, and they are rate-limited: any
 * local process or a cross-origin page can request `/`, and before this a burst of 256 loads signed the
 * clinician's page out.
 */
export interface TokenRegistryOptions {
  /** Tokens minted but never used, kept at most (the oldest goes first). */
  maxPending?: number;
  /** Live pages kept at most; past it the least recently used goes (only a live page's own calls refresh it). */
  maxLive?: number;
  /** Page loads allowed in one burst, then `refillPerSecond`. */
  burst?: number;
  refillPerSecond?: number;
  now?: () => number;
}

export interface TokenRegistry {
  /** A fresh token for a page load, or null when page loads come faster than the rate allows. */
  mint(): string | null;
  /** The client id behind a token, making a pending token live; undefined for an unknown token. */
  use(token: string): string | undefined;
  readonly size: { pending: number; live: number };
}

export function createTokenRegistry(opts: TokenRegistryOptions = {}): TokenRegistry {
  const maxPending = opts.maxPending ?? 64;
  const maxLive = opts.maxLive ?? 256;
  const burst = opts.burst ?? 60;
  const refill = opts.refillPerSecond ?? 2;
  const now = opts.now ?? (() => Date.now());
  const pending = new Map<string, string>();
  const live = new Map<string, string>(); // insertion order = least recently used first
  let allowance = burst;
  let last = now();

  function takeAllowance(): boolean {
    const t = now();
    allowance = Math.min(burst, allowance + ((t - last) / 1000) * refill);
    last = t;
    if (allowance < 1) return false;
    allowance -= 1;
    return true;
  }

  return {
    mint() {
      if (!takeAllowance()) return null;
      const token = randomBytes(32).toString('base64url');
      pending.set(token, `http:${randomBytes(8).toString('hex')}`);
      if (pending.size > maxPending) pending.delete(pending.keys().next().value!);
      return token;
    },
    use(token) {
      const known = live.get(token);
      if (known !== undefined) {
        live.delete(token);
        live.set(token, known);
        return known;
      }
      const clientId = pending.get(token);
      if (clientId === undefined) return undefined;
      pending.delete(token);
      live.set(token, clientId);
      if (live.size > maxLive) live.delete(live.keys().next().value!);
      return clientId;
    },
    get size() {
      return { pending: pending.size, live: live.size };
    },
  };
}

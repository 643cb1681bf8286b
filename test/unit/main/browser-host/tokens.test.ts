import { describe, expect, it } from 'vitest';
import { createTokenRegistry } from '../../../../src/main/browser-host/tokens';

describe('browser host page tokens', () => {
  it('mints never push out a live page, only other pending tokens', () => {
    const tokens = createTokenRegistry({ maxPending: 4, maxLive: 4, burst: 1000 });
    const live = tokens.mint()!;
    const clientId = tokens.use(live);
    expect(clientId).toMatch(/^http:[0-9a-f]{16}$/);
    const first = tokens.mint()!;
    for (let i = 0; i < 500; i++) tokens.mint();
    expect(tokens.use(live)).toBe(clientId);
    expect(tokens.use(first)).toBeUndefined();
    expect(tokens.size).toEqual({ pending: 4, live: 1 });
  });

  it('keeps the most recently used live pages when there are too many', () => {
    const tokens = createTokenRegistry({ maxLive: 2, burst: 1000 });
    const [a, b, c] = [tokens.mint()!, tokens.mint()!, tokens.mint()!];
    tokens.use(a);
    tokens.use(b);
    tokens.use(a); // a is now the most recent
    tokens.use(c); // b, the least recently used, goes
    expect(tokens.use(b)).toBeUndefined();
    expect(tokens.use(a)).toBeDefined();
    expect(tokens.use(c)).toBeDefined();
  });

  it('allows a burst of page loads, then refills at its rate', () => {
    let t = 0;
    const tokens = createTokenRegistry({ burst: 3, refillPerSecond: 2, now: () => t });
    expect([tokens.mint(), tokens.mint(), tokens.mint()].every((x) => typeof x === 'string')).toBe(true);
    expect(tokens.mint()).toBeNull();
    t += 400; // 0.8 of a token
    expect(tokens.mint()).toBeNull();
    t += 200; // 0.8 + 0.4 = 1.2
    expect(tokens.mint()).not.toBeNull();
    expect(tokens.mint()).toBeNull();
    t += 60_000;
    expect([tokens.mint(), tokens.mint(), tokens.mint(), tokens.mint()].filter(Boolean)).toHaveLength(3);
  });

  it('does not know a token it never minted', () => {
    expect(createTokenRegistry().use('forged')).toBeUndefined();
  });
});

/** Fault injection for tests: each rule applies to the next `remaining` requests whose path contains `path`. */
export type FaultRule =
  | { kind: 'fail'; status: 503 | 500; remaining: number; path?: string }
  | { kind: 'reset'; remaining: number; path?: string }
  | { kind: 'hang'; ms: number; remaining: number; path?: string };

export interface Faults {
  fail(status: 503 | 500, count?: number, path?: string): void;
  reset(count?: number, path?: string): void;
  hang(ms: number, count?: number, path?: string): void;
  clear(): void;
}

export interface FaultBox extends Faults {
  /** The rule that applies to this request (and uses one of its count), if any. */
  take(path: string): FaultRule | undefined;
}

function checkCount(count: number | undefined): number {
  if (count === undefined) return Infinity;
  if (!Number.isInteger(count) || count < 1) throw new Error(`Nombre de requêtes invalide : ${count}.`);
  return count;
}

export function createFaults(): FaultBox {
  let rules: FaultRule[] = [];
  const add = (rule: FaultRule): void => {
    rules.push(rule);
  };
  return {
    fail: (status, count, path) => add({ kind: 'fail', status, remaining: checkCount(count), ...(path !== undefined ? { path } : {}) }),
    reset: (count, path) => add({ kind: 'reset', remaining: checkCount(count), ...(path !== undefined ? { path } : {}) }),
    hang: (ms, count, path) => add({ kind: 'hang', ms, remaining: checkCount(count), ...(path !== undefined ? { path } : {}) }),
    clear: () => {
      rules = [];
    },
    take(path) {
      const rule = rules.find((r) => r.remaining > 0 && (r.path === undefined || path.includes(r.path)));
      if (!rule) return undefined;
      rule.remaining--;
      rules = rules.filter((r) => r.remaining > 0);
      return rule;
    },
  };
}

import { generateBundles, type SeedOptions } from '../../shared/seed';

/**
 * Benchmark only: generates seed bundles off the page's thread, one per 'next' request, so
 * generation never counts as import time and can overlap the import when the bench asks for it.
 */
type Request = { type: 'init'; total: number; options: SeedOptions & { perBundle: number } } | { type: 'next' };

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };
let source: ReturnType<typeof generateBundles> | null = null;

scope.onmessage = (e) => {
  if (e.data.type === 'init') {
    source = generateBundles(e.data.total, e.data.options);
    return;
  }
  if (!source) throw new Error('Générateur non initialisé');
  const t = performance.now();
  const r = source.next();
  const generateMs = performance.now() - t;
  scope.postMessage(r.done ? { type: 'done' } : { type: 'bundle', bundle: r.value.bundle, count: r.value.count, generateMs });
};

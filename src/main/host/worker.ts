import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module path. In the Electron build the bundler
 * hands us a `.js` file. Under tsx/vitest the module is a `.ts` file: Node 20
 * does not carry `--import tsx` into workers, so a tiny CommonJS bootstrap
 * registers tsx's require hook and then loads the module.
 */
export function startWorker(modulePath: string, options: WorkerOptions = {}): Worker {
  if (!modulePath.endsWith('.ts')) return new Worker(modulePath, options);
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(modulePath)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}

import type { ResourceLimits, Transferable, Worker, WorkerOptions } from 'node:worker_threads';
import { startWorker } from './worker';
import type { RpcReply, RpcRequest, WireError } from './worker-serve';

export type { WireError } from './worker-serve';

/** How a client names its failures (French, for the person who will read them). */
export interface WorkerRpcErrors {
  /** The handler in the worker threw: its message (and code, if it had one). */
  remote(err: WireError): Error;
  /** The worker died with requests pending: an uncaught error's message, or its exit code. */
  crashed(reason: { message: string; code?: string } | { exitCode: number }): Error;
  /** A call after close(), or pending when close() ran. */
  closed(): Error;
}

export interface WorkerRpcOptions {
  /** The worker module (a `.ts` file under tsx/vitest, the bundled `.js` in the build). */
  file: string;
  workerData?: unknown;
  errors: WorkerRpcErrors;
  /**
   * After a crash, start a fresh worker on the next call (stateless workers),
   * or keep refusing with the crash error (a worker holding state set by an
   * earlier call, e.g. an initialised private key).
   */
  restartAfterCrash: boolean;
  /** Heap and stack caps: a worker parsing hostile input dies alone (ERR_WORKER_OUT_OF_MEMORY), main lives on. */
  resourceLimits?: ResourceLimits;
}

/** Requests name their operation; Results maps each operation to what its handler returns. */
export type RpcOps<Req extends { op: string }> = Record<Req['op'], unknown>;

/** Request/response over one worker thread, correlated by id. */
export interface WorkerRpc<Req extends { op: string }, Results extends RpcOps<Req>> {
  /** Sends req (transfer: buffers moved, not copied) and resolves with the handler's value. */
  call<K extends Req['op']>(req: Extract<Req, { op: K }>, transfer?: readonly Transferable[]): Promise<Results[K]>;
  /** Rejects pending calls with errors.closed() and terminates the worker; later calls are refused. */
  close(): Promise<void>;
}

interface Waiting {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * The worker is started on first call and unref'd while idle, so an unused
 * client costs no thread and an idle one never keeps a CLI or test alive.
 */
export function createWorkerRpc<Req extends { op: string }, Results extends RpcOps<Req>>(opts: WorkerRpcOptions): WorkerRpc<Req, Results> {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  // Set by close(), or by a crash when the worker cannot be restarted.
  let refusal: Error | null = null;

  const failAll = (err: Error): void => {
    const all = [...waiting.values()];
    waiting.clear();
    for (const w of all) w.reject(err);
  };

  const crashed = (w: Worker, reason: { message: string; code?: string } | { exitCode: number }): void => {
    if (worker !== w) return;
    worker = null;
    const err = opts.errors.crashed(reason);
    if (!opts.restartAfterCrash) refusal ??= err;
    failAll(err);
  };

  const start = (): Worker => {
    const options: WorkerOptions = {
      ...(opts.workerData === undefined ? {} : { workerData: opts.workerData }),
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    };
    const w = startWorker(opts.file, options);
    w.unref();
    w.on('message', (reply: RpcReply<unknown>) => {
      const p = waiting.get(reply.id);
      if (!p) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(opts.errors.remote(reply.error));
    });
    w.on('error', (err) => crashed(w, { message: err.message, ...((err as NodeJS.ErrnoException).code ? { code: (err as NodeJS.ErrnoException).code } : {}) }));
    w.on('exit', (exitCode) => crashed(w, { exitCode }));
    return w;
  };

  return {
    call<K extends Req['op']>(req: Extract<Req, { op: K }>, transfer: readonly Transferable[] = []): Promise<Results[K]> {
      if (refusal) return Promise.reject(refusal);
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<Results[K]>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        w.ref();
        const msg: RpcRequest<Req> = { id, req };
        try {
          w.postMessage(msg, transfer);
        } catch (err) {
          // Not cloneable: nothing was sent.
          waiting.delete(id);
          if (waiting.size === 0) w.unref();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    async close() {
      refusal ??= opts.errors.closed();
      const w = worker;
      worker = null;
      failAll(opts.errors.closed());
      if (w) await w.terminate();
    },
  };
}

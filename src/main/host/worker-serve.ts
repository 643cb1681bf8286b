import { parentPort } from 'node:worker_threads';

/** Envelopes between createWorkerRpc (worker-rpc.ts) and serveWorkerRpc. */
export interface RpcRequest<Req> {
  id: number;
  req: Req;
}

/** An error as it crosses the thread boundary: no stack, no payload. */
export interface WireError {
  message: string;
  code?: string;
}

export type RpcReply<Res> = { id: number; ok: true; value: Res } | { id: number; ok: false; error: WireError };

function defaultWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? { message: err.message, code } : { message: err.message };
}

/**
 * Worker side: answers each request with the handler's value (awaited), or
 * with the error it threw, described by toWireError (default: message and a
 * string `code` if the error has one).
 */
export function serveWorkerRpc<Req, Res>(
  handler: (req: Req) => Res | Promise<Res>,
  toWireError: (err: unknown) => WireError = defaultWireError,
): void {
  const port = parentPort;
  if (!port) throw new Error('Ce module doit être démarré comme worker.');
  port.on('message', (msg: RpcRequest<Req>) => {
    const reply = async (): Promise<void> => {
      try {
        port.postMessage({ id: msg.id, ok: true, value: await handler(msg.req) } satisfies RpcReply<Res>);
      } catch (err) {
        port.postMessage({ id: msg.id, ok: false, error: toWireError(err) } satisfies RpcReply<Res>);
      }
    };
    void reply();
  });
}

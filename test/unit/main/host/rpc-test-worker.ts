import { serveWorkerRpc } from '../../../../src/main/host/worker-serve';

/** Worker for worker-rpc.test.ts: answers, fails, crashes or exits on request. */
export type TestRequest =
  | { op: 'echo'; value: string; delayMs: number }
  | { op: 'count' }
  | { op: 'sum'; buf: ArrayBuffer }
  | { op: 'fail'; message: string; code?: string }
  | { op: 'crash'; message: string }
  | { op: 'exit'; code: number };

let calls = 0;

serveWorkerRpc<TestRequest, unknown>(async (req) => {
  switch (req.op) {
    case 'echo':
      await new Promise((r) => setTimeout(r, req.delayMs));
      return `${req.value}!`;
    case 'count':
      return ++calls;
    case 'sum':
      return new Uint8Array(req.buf).reduce((a, b) => a + b, 0);
    case 'fail':
      throw Object.assign(new Error(req.message), req.code ? { code: req.code } : {});
    case 'crash':
      // Thrown outside the handler: an uncaught error kills the worker.
      setImmediate(() => {
        throw new Error(req.message);
      });
      return new Promise(() => {});
    case 'exit':
      process.exit(req.code);
  }
});

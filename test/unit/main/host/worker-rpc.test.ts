import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerRpc, type WorkerRpc } from '../../../../src/main/host/worker-rpc';
import type { TestRequest } from './rpc-test-worker';

interface TestResults {
  echo: string;
  count: number;
  sum: number;
  fail: never;
  crash: never;
  exit: never;
}

class RemoteFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const opened: WorkerRpc<TestRequest, TestResults>[] = [];
function open(restartAfterCrash: boolean): WorkerRpc<TestRequest, TestResults> {
  const rpc = createWorkerRpc<TestRequest, TestResults>({
    file: path.join(__dirname, 'rpc-test-worker.ts'),
    restartAfterCrash,
    errors: {
      remote: (e) => new RemoteFailure(e.message, e.code),
      crashed: (r) => new Error('message' in r ? `arrêté : ${r.message}` : `sorti (code ${r.exitCode})`),
      closed: () => new Error('fermé'),
    },
  });
  opened.push(rpc);
  return rpc;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

describe('worker RPC client', () => {
  it('correlates concurrent requests answered out of order', async () => {
    const rpc = open(true);
    // Later requests finish first: each answer must still reach its own caller.
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const answers = await Promise.all(values.map((value, i) => rpc.call({ op: 'echo', value, delayMs: 40 - i })));
    expect(answers).toEqual(values.map((v) => `${v}!`));
  });

  it('rejects with the handler error, message and code, and keeps serving', async () => {
    const rpc = open(true);
    const err = await rpc.call({ op: 'fail', message: 'clé illisible', code: 'cert_unreadable' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteFailure);
    expect(err).toMatchObject({ message: 'clé illisible', code: 'cert_unreadable' });
    await expect(rpc.call({ op: 'fail', message: 'sans code' })).rejects.toMatchObject({ message: 'sans code', code: undefined });
    await expect(rpc.call({ op: 'count' })).resolves.toBe(1);
  });

  it('moves transferred buffers to the worker', async () => {
    const rpc = open(true);
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await expect(rpc.call({ op: 'sum', buf: bytes.buffer }, [bytes.buffer])).resolves.toBe(256);
    expect(bytes.byteLength).toBe(0);
  });

  it('rejects every pending call when the worker crashes, then restarts a fresh worker', async () => {
    const rpc = open(true);
    await expect(rpc.call({ op: 'count' })).resolves.toBe(1);
    const slow = [rpc.call({ op: 'echo', value: 'a', delayMs: 5_000 }), rpc.call({ op: 'echo', value: 'b', delayMs: 5_000 })];
    const crash = rpc.call({ op: 'crash', message: 'boum' });
    const settled = await Promise.allSettled([...slow, crash]);
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'resolved'))).toEqual(['arrêté : boum', 'arrêté : boum', 'arrêté : boum']);
    // A new thread: its counter starts again.
    await expect(rpc.call({ op: 'count' })).resolves.toBe(1);
  });

  it('names the exit code of a worker that exits, and stays failed when it cannot restart', async () => {
    const rpc = open(false);
    await expect(rpc.call({ op: 'count' })).resolves.toBe(1);
    const pending = rpc.call({ op: 'echo', value: 'a', delayMs: 5_000 }).catch((e: unknown) => e);
    await expect(rpc.call({ op: 'exit', code: 7 })).rejects.toThrow('sorti (code 7)');
    expect(await pending).toMatchObject({ message: 'sorti (code 7)' });
    await expect(rpc.call({ op: 'count' })).rejects.toThrow('sorti (code 7)');
  });

  it('close() rejects pending calls and refuses later ones', async () => {
    const rpc = open(true);
    const pending = rpc.call({ op: 'echo', value: 'a', delayMs: 5_000 }).catch((e: unknown) => e);
    await rpc.close();
    expect(await pending).toMatchObject({ message: 'fermé' });
    await expect(rpc.call({ op: 'count' })).rejects.toThrow('fermé');
  });
});

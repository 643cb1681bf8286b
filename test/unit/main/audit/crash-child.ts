import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openJournal } from '../../../../src/main/audit/journal';
import { createPemSigner } from '../../../../src/main/audit/signer';
import { sampleEvent, tickingClock } from './helpers';

/**
 * Child process for the crash test: appends forever, printing "ack <seq>" for
 * every entry whose append resolved (durable). The parent kills it with SIGKILL.
 */
async function main(): Promise<void> {
  const dir = process.argv[2] as string;
  const key = JSON.parse(readFileSync(path.join(dir, 'key.json'), 'utf8')) as { privateKeyPem: string; certificatePem: string };
  const signer = await createPemSigner({ ...key, engine: 'openssl' });
  const journal = await openJournal({ dir: path.join(dir, 'journal'), signer, clock: tickingClock(Date.now()), workstationId: 'poste-crash', checkpointEveryEntries: 500 });
  process.stdout.write(`open ${journal.size()}\n`);
  let i = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const { seq } = await journal.append(sampleEvent(i++));
      process.stdout.write(`ack ${seq}\n`);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(3);
});

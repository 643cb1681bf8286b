/**
 * One workstation's sync engine in its own process, so a test can kill -9 it mid-pull:
 * `node --import tsx engine-child.ts <hospital url> <data dir>`; prints "synced" after one full pull.
 */
import path from 'node:path';
import { createTestClock } from '../../../../src/main/host/clock';
import { silentLogger } from '../../../../src/main/host/logger';
import { restoreCareIndex } from '../../../../src/main/sync/care-restore';
import { createSyncEngine } from '../../../../src/main/sync/engine';
import { openReplicaStore } from '../../../../src/main/sync/replica/store';

async function main(): Promise<void> {
  const [url, dir] = process.argv.slice(2) as [string, string];
  const scope = { units: ['Cardiologie'], careWindowDays: 30 };
  const replica = await openReplicaStore(path.join(dir, 'replica'));
  const careIndex = await restoreCareIndex(replica, scope.careWindowDays, silentLogger);
  const engine = createSyncEngine({
    connection: { baseUrl: url, label: 'test', test: true },
    scope,
    replica,
    careIndex,
    clock: createTestClock(new Date('2026-06-15T12:00:00Z')),
    logger: silentLogger,
    pollMs: 60_000,
  });
  await engine.pullNow();
  await engine.stop();
  await replica.close();
  process.stdout.write('synced\n');
}

main().catch((err: unknown) => {
  process.stderr.write(String(err) + '\n');
  process.exit(1);
});

import type { SyncStatus } from '../../shared/bridge/methods-sync';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { Logger } from '../host/logger';
import type { CareIndexPort } from './care-port';
import { createFhirClient, FhirError, type FhirClientOptions } from './client';
import type { HospitalConnection, WorkstationScope } from './config';
import { CONTENT_TYPES } from './ingest';
import { pullContentByExport, pullContentBySearch, pullIdentities, pullType, Stopped, type PullContext } from './pull';
import { createScopeOps } from './scope';
import type { ReplicaStore } from './replica/store';

export interface SyncEngineDeps {
  connection: HospitalConnection;
  scope: WorkstationScope;
  replica: ReplicaStore;
  careIndex: CareIndexPort;
  clock: Clock;
  logger: Logger;
  audit?: AuditPort;
  client?: FhirClientOptions;
  /** Delay between incremental pulls; also the wait after a failure. */
  pollMs?: number;
  /** Outbox counts for the header (part D). */
  outbox?: () => { pending: number; failed: number; conflicts: number };
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /** One incremental pull and scope reconciliation now (after the first replica). */
  pullNow(): Promise<void>;
  status(): SyncStatus;
  /** The clinical content of one patient, on demand (after a break-glass), kept until dropPatient. */
  fetchPatient(patientId: string): Promise<void>;
  /** Drops an on-demand patient's clinical content unless the patient is in care with this workstation. */
  dropPatient(patientId: string): Promise<void>;
}

const CHECKPOINT_EVERY_MS = 5 * 60_000;

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { replica, careIndex: care, logger, scope } = deps;
  const client = createFhirClient(deps.connection, deps.client);
  const pollMs = deps.pollMs ?? 2000;
  const units: readonly string[] | 'all' = scope.units === 'all' ? 'all' : [...new Set([...scope.units, ...(scope.emergency ? ['Urgences'] : [])])];
  const onDemand = new Set<string>();
  let online = false;
  let lastPullAt: string | null = null;
  let firstReplica: SyncStatus['firstReplica'] = null;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let lastCheckpoint = 0;
  let tail: Promise<unknown> = Promise.resolve();

  /** One pull, fetch or drop at a time: they all append to the same log and move the same cursors. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const ctx: PullContext = {
    client,
    replica,
    care,
    logger,
    now: () => deps.clock.now(),
    progress: (p) => (firstReplica = { phase: p.phase, done: p.done, total: p.total }),
    stopped: () => stopping,
  };
  const scopeOps = createScopeOps({ ctx, units, onDemand });

  async function ensureFirstReplica(): Promise<void> {
    if (!replica.cursor('first:identities')) await pullIdentities(ctx);
    if (!replica.cursor('first:content')) {
      const patients = [...scopeOps.inCareNow()];
      firstReplica = { phase: 'Dossiers des patients pris en charge', done: 0, total: null };
      if (patients.length) {
        await pullContentByExport(ctx, patients, 'Dossiers des patients pris en charge', (t) => ({ 'first:content': t, ...Object.fromEntries(CONTENT_TYPES.filter((c) => c !== 'Encounter').map((c) => [c, t])) }));
      } else {
        const t = deps.clock.now().toISOString();
        await replica.append({ upserts: {} }, { cursors: { 'first:content': t, ...Object.fromEntries(CONTENT_TYPES.filter((c) => c !== 'Encounter').map((c) => [c, t])) } });
      }
      await checkpoint();
    }
    firstReplica = null;
  }

  async function checkpoint(): Promise<void> {
    await replica.checkpoint(care.snapshot());
    lastCheckpoint = Date.now();
  }

  async function incremental(): Promise<void> {
    const held = replica.heldPatients();
    const content = (pid: string) => held.has(pid);
    await pullType(ctx, 'Patient', () => false);
    await pullType(ctx, 'Encounter', content, scopeOps.refreshPatientRows);
    for (const type of CONTENT_TYPES) if (type !== 'Encounter') await pullType(ctx, type, content);
    await scopeOps.reconcile();
    lastPullAt = deps.clock.now().toISOString();
    if (Date.now() - lastCheckpoint > CHECKPOINT_EVERY_MS) await checkpoint();
  }

  async function cycle(): Promise<void> {
    await exclusive(async () => {
      await ensureFirstReplica();
      await incremental();
    });
    online = true;
  }

  async function run(): Promise<void> {
    while (!stopping) {
      try {
        await cycle();
      } catch (err) {
        if (err instanceof Stopped) break;
        online = !(err instanceof FhirError && (err.kind === 'network' || err.kind === 'timeout' || (err.status ?? 0) >= 500));
        logger.warn('hospital sync failed', { error: err instanceof Error ? err.message : String(err) });
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      loop = null;
      await exclusive(() => checkpoint()).catch((err: unknown) => logger.error('replica checkpoint failed', { error: String(err) }));
      client.close();
    },
    async pullNow() {
      await cycle();
    },
    status: () => ({
      online,
      server: { label: deps.connection.label, test: deps.connection.test },
      lastPullAt,
      firstReplica,
      ...(deps.outbox?.() ?? { pending: 0, failed: 0, conflicts: 0 }),
      head: replica.head(),
    }),
    async fetchPatient(patientId) {
      await exclusive(async () => {
        onDemand.add(patientId);
        if (!replica.heldPatients().has(patientId)) await pullContentBySearch(ctx, [patientId]);
      });
      online = true;
    },
    async dropPatient(patientId) {
      await exclusive(async () => {
        onDemand.delete(patientId);
        if (replica.heldPatients().has(patientId) && !scopeOps.inCareNow().has(patientId)) await scopeOps.dropContent([patientId]);
      });
    },
  };
}

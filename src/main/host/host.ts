import { hostname } from 'node:os';
import { initPki, loadPki, pkiDir, type LoadedPki } from '../auth/pki/pki';
import { openUserDirectory, type UserDirectory } from '../auth/user-directory';
import { createAuthorizer } from '../session/authorizer';
import { createAnonymousCalls } from '../session/anonymous-calls';
import { createSessionHandlers } from '../session/handlers';
import { createRecordHandlers } from '../record/handlers';
import { createSessionManager, type SessionManager } from '../session/sessions';
import { createUsersHandlers } from '../users/handlers';
import { createAppHandlers } from '../app/handlers';
import type { AuditPort } from './audit-port';
import type { HostConfig } from './config';
import { ensureDataDir, loadOrCreateWorkstationId } from './data-dir';
import { createDispatcher, type Dispatch } from './dispatch';
import type { Handlers } from './handlers';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createJournalAuditPort, createPkcs12Signer, openJournal, type Journal, type WorkerSigner } from '../audit';
import { createDpoHandlers } from '../dpo/handlers';
import { createDmpHandlers } from '../dmp/handlers';
import { createDmpRuntime, type DmpRuntime } from '../dmp/runtime';
import { openReplicaStore, type ReplicaStore } from '../sync/replica/store';
import { createSyncHandlers } from '../sync/handlers';
import type { CareIndex } from '../care';
import { restoreCareIndex } from '../sync/care-restore';
import { DEFAULT_SCOPE } from '../sync/config';
import { createSyncEngine, type SyncEngine } from '../sync/engine';
import { startHostWitness, type HostWitness } from '../audit/witness-host';
import { originFor } from '../audit/checkpoint';
import { createOutboxHandlers, outboxStatus } from '../sync/outbox/handlers';
import { openOutbox, type Outbox } from '../sync/outbox/outbox';
import { createFhirTransport } from '../sync/outbox/transport';
import { createRecordWriteHandlers } from '../record/writes';

export const DEFAULT_LOCK_AFTER_MS = 5 * 60 * 1000;

/** The host core: every service of the workstation, built from a config. Never imports electron. */
export interface Host {
  readonly config: HostConfig;
  readonly workstationId: string;
  readonly workstationName: string;
  readonly directory: UserDirectory;
  readonly sessions: SessionManager;
  readonly audit: AuditPort;
  readonly pki: LoadedPki;
  readonly journal: Journal;
  /** The DMP side: gateway, consent service and the grants of each sign-in. */
  readonly dmp: DmpRuntime;
  /** The workstation's replica of the hospital record (change log the renderer's cache is filled from). */
  readonly replica: ReplicaStore;
  /** Patient → stays by unit, from what main received from the hospital or wrote itself: access is decided on it. */
  readonly careIndex: CareIndex;
  /** The hospital sync, when a hospital server is configured (or injected by a composition root). */
  readonly sync: SyncEngine | null;
  /** The hospital witnessing the journal's checkpoints (null without a hospital server). */
  readonly witness: HostWitness | null;
  /** Local writes on their way to the hospital server. */
  readonly outbox: Outbox;
  dispatch: Dispatch;
  close(): Promise<void>;
}

async function preparePki(config: HostConfig): Promise<LoadedPki> {
  if (!existsSync(pkiDir(config.dataDir))) {
    // A hospital install: the TEST PKI gives the workstation its journal key and
    // establishment certificate until the hospital's own IGC Santé material is configured.
    await initPki(config.dataDir, [], { ...(config.secrets ? { secrets: config.secrets } : {}) });
  }
  return loadPki(config.dataDir, config.secrets ? { secrets: config.secrets } : {});
}

export async function createHost(config: HostConfig): Promise<Host> {
  ensureDataDir(config.dataDir);
  const startedAt = config.clock.now();
  const workstationId = loadOrCreateWorkstationId(config.dataDir, startedAt);
  const workstationName = config.workstationName ?? `Poste ${hostname()}`;
  const pki = await preparePki(config);
  const directory = await openUserDirectory(config.dataDir, { now: () => config.clock.now() });
  // The signed journal of this data dir; its key never leaves the signing worker.
  const signer: WorkerSigner = await createPkcs12Signer({
    p12: readFileSync(pki.workstation.p12Path),
    passphrase: await pki.readPassphrase(pki.workstation.passphraseSecret),
  });
  const journal = await openJournal({
    dir: path.join(config.dataDir, 'journal'),
    signer,
    verifierCert: pki.workstation.certPem,
    clock: config.clock,
    workstationId,
    onError: (err) => config.logger.error('journal checkpoint failed', { error: err.message }),
  });
  const audit = config.audit ?? createJournalAuditPort(journal);
  const witness = config.hospital ? startHostWitness({ journal, origin: originFor(workstationId), connection: config.hospital, certificatePem: pki.workstation.certPem, audit, logger: config.logger }) : null;

  const sessions = createSessionManager({
    directory,
    audit,
    clock: config.clock,
    lockAfterMs: config.lockAfterMs ?? DEFAULT_LOCK_AFTER_MS,
    caCertPem: () => pki.caCertPem,
    demo: !!config.demo,
  });
  // A lock seals what was journalled so far under a signed checkpoint.
  sessions.onSessionEnd(async () => {
    await journal.checkpoint();
  });

  // DMP grants never outlive a sign-in: dropped on lock, logout and user switch.
  const dmp = createDmpRuntime({
    dataDir: config.dataDir,
    pki,
    clock: config.clock,
    audit,
    logger: config.logger,
    version: config.version,
    ...(config.regulation ? { regulation: true } : {}),
    ...(config.dmp ? { connection: config.dmp } : {}),
  });
  sessions.onSessionEnd((clientId) => dmp.onSessionEnd(clientId));

  const scope = config.scope ?? DEFAULT_SCOPE;
  const replica = await openReplicaStore(path.join(config.dataDir, 'replica'));
  const careIndex = await restoreCareIndex(replica, scope.careWindowDays, config.logger);
  // Local writes wait here, durable, until the hospital server has them (none configured: they wait).
  const outbox = await openOutbox({
    dir: path.join(config.dataDir, 'outbox'),
    transport: config.hospital ? createFhirTransport(config.hospital) : null,
    replica,
    clock: config.clock,
    logger: config.logger,
    care: careIndex,
  });
  outbox.start();
  const sync = config.hospital
    ? createSyncEngine({ connection: config.hospital, scope, replica, careIndex, clock: config.clock, logger: config.logger, audit, outbox: () => outboxStatus(outbox) })
    : null;
  const syncStatus = () =>
    sync?.status() ?? {
      online: false,
      server: { label: 'Aucun serveur hospitalier configuré', test: false },
      lastPullAt: null,
      firstReplica: null,
      ...outboxStatus(outbox),
      head: replica.head(),
    };

  const handlers: Handlers = {
    ...createAppHandlers({ config, workstationId, workstationName, startedAt }),
    ...createSessionHandlers(sessions, careIndex, audit),
    ...createUsersHandlers(directory, audit, config.dataDir),
    ...createRecordHandlers({ audit, dataDir: config.dataDir, careIndex, clock: config.clock }),
    ...createRecordWriteHandlers({ audit, replica, outbox, clock: config.clock, care: careIndex }),
    ...createDmpHandlers({ runtime: dmp, audit }),
    ...createSyncHandlers({ replica, status: syncStatus }),
    ...createOutboxHandlers({ outbox, audit }),
    ...createDpoHandlers({ journal, certificatePem: pki.workstation.certPem, audit, clock: config.clock, workstationName, dataDir: config.dataDir }),
  };
  const anonymous = createAnonymousCalls({
    audit,
    now: () => config.clock.now().getTime(),
    onError: (err) => config.logger.error('unauthenticated-call summary not journalled', { error: err.message }),
  });
  const dispatch = createDispatcher(handlers, createAuthorizer({ sessions, audit, careIndex, clock: config.clock, anonymous }), config.logger);

  // Pulls run in the background: the workstation serves its replica (offline too) while the hospital answers or not.
  sync?.start();

  return {
    config,
    workstationId,
    workstationName,
    directory,
    sessions,
    audit,
    pki,
    journal,
    dmp,
    replica,
    careIndex,
    sync,
    witness,
    outbox,
    dispatch,
    async close() {
      await sessions.lockAll();
      await anonymous.flush();
      await dmp.close();
      await sync?.stop();
      await outbox.stop();
      await replica.close();
      if (witness) {
        // The last checkpoint goes to the hospital before the journal closes (best effort, offline included).
        await journal.checkpoint();
        await witness.close();
      }
      await journal.close();
      await signer.close();
      config.logger.info('host closed');
    },
  };
}

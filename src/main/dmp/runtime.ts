import path from 'node:path';
import { DEMO_ACCOUNTS } from '../auth/demo';
import type { LoadedPki } from '../auth/pki/pki';
import { createDmpiGateway } from './dmpi-adapter';
import { DmpError } from './errors';
import { DEMO_KINDS, makeDemoCda, makeLargeDemoCda, seedDemoPatients } from './sandbox/demo';
import { startDmpSandbox, type DmpSandbox } from './sandbox/server';
import { createDmpService, type DmpService } from './service';
import type { DmpGateway } from './types';
import { professionalId, type VihfConfig } from './vihf';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { Logger } from '../host/logger';
import { DEMO_DMP_PATIENTS } from '../../shared/demo/dmp-patients';
import { INS_OID, type InsOid } from '../../shared/ins/oids';

export interface DmpEndpoint {
  /** Base URL of the DMPi services (…/si-dmp-server/v2/services). */
  servicesUrl: string;
  /** Shown in the panel, e.g. "DMP – environnement de formation". */
  label?: string;
  /** True for any non-production DMP. */
  test?: boolean;
  /** OID of the INS this DMP accepts; INS-NIR (INS_OID.NIR) by default. */
  insOid?: InsOid;
}

export interface DmpRuntimeDeps {
  dataDir: string;
  pki: LoadedPki;
  clock: Clock;
  audit: AuditPort;
  logger: Logger;
  /** The DMP to talk to; when absent an embedded sandbox labelled "DMP de test" is started. */
  endpoint?: DmpEndpoint;
  /** A SAMU regulation workstation: centre-15 access is possible from it. */
  regulation?: boolean;
  /** Software version stamped in every VIHF (LPS_Version). */
  version?: string;
}

export interface DmpRuntime {
  readonly environment: { test: boolean; label: string };
  readonly regulation: boolean;
  /** Identifiant_Structure of the VIHF ("1" + FINESS). */
  readonly structureId: string;
  /** OID of the INS this DMP accepts (the test INS-NIR OID for the sandbox). */
  readonly insOid: InsOid;
  /** The consent service; starts the sandbox and the gateway on first use. */
  service(): Promise<DmpService>;
  /** The embedded sandbox, when no endpoint is configured (tests, demos). */
  sandbox(): Promise<DmpSandbox | undefined>;
  /** Grant key of one sign-in of one renderer: a new sign-in never inherits grants. */
  sessionKey(clientId: string, startedAt: Date): string;
  /** Forgets every DMP grant of a renderer: call on lock, logout and user switch. */
  onSessionEnd(clientId: string): void;
  close(): Promise<void>;
}

const SANDBOX_LABEL = 'DMP de test';

/** Seeds the embedded DMP once per data dir: documents, authorisations and oppositions of the demo patients. */
async function seedSandbox(sandbox: DmpSandbox, structureId: string, now: Date): Promise<void> {
  for (const p of DEMO_DMP_PATIENTS) {
    if (!p.hasDmp) continue;
    const demo = { ins: p.ins, given: p.givenNames, family: p.birthFamilyName, birthDate: p.birthDate, sex: p.sex };
    const added = await seedDemoPatients(sandbox, [demo], { authorStructure: structureId });
    if (added > 0) {
      // A recent imaging report, so the "examen récent" flag has something to flag.
      sandbox.addDocument(makeDemoCda(demo, DEMO_KINDS[4]!, new Date(now.getTime() - 6 * 86_400_000)), { authorStructure: structureId });
      // A ~350 KB structured lab report, the newest document: what the panel benchmark opens.
      if (p.scenario === 'autorisation-valide') sandbox.addDocument(makeLargeDemoCda(demo, new Date(now.getTime() - 86_400_000)), { authorStructure: structureId });
    }
    for (const [accountId, status] of Object.entries(p.authorizations)) {
      const account = DEMO_ACCOUNTS.find((a) => a.id === accountId);
      if (!account) continue;
      const user = { id: account.id, name: account.displayName, role: account.role, ...(account.rpps ? { rpps: account.rpps } : {}) };
      sandbox.setAuthorization(p.ins, professionalId(user, structureId), status);
    }
    sandbox.setOppositions(p.ins, p.oppositions);
  }
}

/**
 * The DMP side of the host: the DMPi gateway signed with the establishment certificate,
 * the consent service in front of it, and — without a configured DMP — an embedded sandbox
 * trusting that certificate, seeded with the demo patients. Started lazily: hosts that never
 * open a DMP pay nothing.
 */
export function createDmpRuntime(deps: DmpRuntimeDeps): DmpRuntime {
  const structureId = `1${deps.pki.establishment.finess}`;
  const environment = deps.endpoint
    ? { test: deps.endpoint.test ?? false, label: deps.endpoint.label ?? 'DMP' }
    : { test: true, label: SANDBOX_LABEL };
  const insOid = deps.endpoint ? (deps.endpoint.insOid ?? INS_OID.NIR) : INS_OID.TEST_NIR;
  const vihf: VihfConfig = {
    structureId,
    insOid,
    secteurActivite: 'SA01^1.2.250.1.71.4.2.4',
    lps: { id: 'POSTE-CLINIQUE-CHU', nom: 'Poste clinique CHU', version: deps.version ?? '0.1.0', homologation: environment.test ? 'HOMOLOG-TEST' : 'A-RENSEIGNER' },
    certPem: deps.pki.establishment.certPem,
    keyPem: deps.pki.establishment.keyPem,
  };
  const keysByClient = new Map<string, Set<string>>();
  let started: Promise<{ service: DmpService; gateway: DmpGateway & { close(): void }; sandbox?: DmpSandbox }> | undefined;
  let current: Awaited<NonNullable<typeof started>> | undefined;
  let closed = false;

  async function start() {
    let sandbox: DmpSandbox | undefined;
    let servicesUrl = deps.endpoint?.servicesUrl;
    if (!servicesUrl) {
      sandbox = await startDmpSandbox({ dataDir: path.join(deps.dataDir, 'dmp-sandbox'), trustedCertPems: [deps.pki.establishment.certPem] });
      await seedSandbox(sandbox, structureId, deps.clock.now());
      servicesUrl = sandbox.servicesUrl;
      deps.logger.info('embedded DMP sandbox started', { label: SANDBOX_LABEL });
    }
    // The gateway signs VIHF tokens and submission sets in its own worker thread (dmp-signer-worker).
    const gateway = createDmpiGateway({ baseUrl: servicesUrl, vihf, clock: () => deps.clock.now() });
    const service = createDmpService({ gateway, audit: deps.audit, insOid, clock: () => deps.clock.now() });
    const value = { service, gateway, ...(sandbox ? { sandbox } : {}) };
    if (closed) {
      await shutdown(value);
      throw new DmpError('DMP_UNREACHABLE', 'Le poste est en cours d’arrêt : le DMP n’est plus accessible.');
    }
    current = value;
    return value;
  }

  async function shutdown(v: NonNullable<typeof current>) {
    await v.gateway.close();
    if (v.sandbox) await v.sandbox.close();
  }

  function ready() {
    started ??= start().catch((err: unknown) => {
      started = undefined;
      deps.logger.error('DMP runtime failed to start', { error: err instanceof Error ? err.message : String(err) });
      if (err instanceof DmpError) throw err;
      throw new DmpError('DMP_UNREACHABLE', 'Le DMP n’a pas pu être joint depuis ce poste. Réessayez ; si cela persiste, contactez le support.');
    });
    return started;
  }

  return {
    environment,
    regulation: deps.regulation ?? false,
    structureId,
    insOid,
    async service() {
      return (await ready()).service;
    },
    async sandbox() {
      return (await ready()).sandbox;
    },
    sessionKey(clientId, startedAt) {
      const key = `${clientId}|${startedAt.toISOString()}`;
      let keys = keysByClient.get(clientId);
      if (!keys) keysByClient.set(clientId, (keys = new Set()));
      keys.add(key);
      return key;
    },
    onSessionEnd(clientId) {
      const keys = keysByClient.get(clientId);
      keysByClient.delete(clientId);
      if (!keys || !current) return;
      for (const k of keys) current.service.clearSession(k);
    },
    async close() {
      closed = true;
      const v = started ? await started.catch(() => undefined) : undefined;
      if (v) await shutdown(v);
    },
  };
}

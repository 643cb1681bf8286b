import type { LoadedPki } from '../auth/pki/pki';
import { createDmpiGateway } from './dmpi-adapter';
import { DmpError } from './errors';
import { createDmpService, type DmpService } from './service';
import type { DmpGateway } from './types';
import type { VihfConfig } from './vihf';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { Logger } from '../host/logger';
import { INS_OID, type InsOid } from '../../shared/ins/oids';
import { createCdaParser, type CdaParser } from './cda-parser';

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

/** What an embedded DMP needs to start: where to keep its data and whose certificate to trust. */
export interface EmbeddedDmpContext {
  dataDir: string;
  establishmentCertPem: string;
  /** Identifiant_Structure of the VIHF ("1" + FINESS), for the documents it is seeded with. */
  structureId: string;
  now: Date;
}

/**
 * A DMP the composition root hands in and the runtime starts on first use: the embedded
 * test DMP of demos and tests. The product never imports one; it only knows this shape.
 */
export interface EmbeddedDmp {
  label: string;
  /** OID of the INS it accepts (the test INS-NIR OID for the sandbox). */
  insOid: InsOid;
  start(context: EmbeddedDmpContext): Promise<{ servicesUrl: string; close(): Promise<void> }>;
}

/** Where the DMP is: a configured endpoint, or an embedded test DMP. */
export type DmpConnection = DmpEndpoint | EmbeddedDmp;

const isEndpoint = (c: DmpConnection): c is DmpEndpoint => 'servicesUrl' in c;

export interface DmpRuntimeDeps {
  dataDir: string;
  pki: LoadedPki;
  clock: Clock;
  audit: AuditPort;
  logger: Logger;
  /** The DMP to talk to; absent, every DMP call answers that none is configured. */
  connection?: DmpConnection;
  /** A SAMU regulation workstation: centre-15 access is possible from it. */
  regulation?: boolean;
  /** Software version stamped in every VIHF (LPS_Version). */
  version?: string;
}

export interface DmpRuntime {
  /** False when the host was given no DMP: every DMP call answers so. */
  readonly configured: boolean;
  readonly environment: { test: boolean; label: string };
  readonly regulation: boolean;
  /** Identifiant_Structure of the VIHF ("1" + FINESS). */
  readonly structureId: string;
  /** OID of the INS this DMP accepts (the test INS-NIR OID for the sandbox). */
  readonly insOid: InsOid;
  /** The consent service; starts the embedded DMP, if any, and the gateway on first use. */
  service(): Promise<DmpService>;
  /** Grant key of one sign-in of one renderer: a new sign-in never inherits grants. */
  sessionKey(clientId: string, startedAt: Date): string;
  /** Forgets every DMP grant of a renderer: call on lock, logout and user switch. */
  onSessionEnd(clientId: string): void;
  /** Parses the CDA documents main receives, in a memory-capped worker thread. */
  readonly cda: CdaParser;
  close(): Promise<void>;
}

export const NO_DMP_CONFIGURED = 'Aucun DMP n’est configuré sur ce poste : demandez à l’administrateur de renseigner l’adresse des services DMP.';

function environmentOf(c: DmpConnection | undefined): { test: boolean; label: string } {
  if (!c) return { test: false, label: 'Aucun DMP configuré' };
  return isEndpoint(c) ? { test: c.test ?? false, label: c.label ?? 'DMP' } : { test: true, label: c.label };
}

/**
 * The DMP side of the host: the DMPi gateway signed with the establishment certificate and
 * the consent service in front of it, towards the configured DMP or the embedded test DMP the
 * composition root handed in. Started lazily: hosts that never open a DMP pay nothing.
 */
export function createDmpRuntime(deps: DmpRuntimeDeps): DmpRuntime {
  const structureId = `1${deps.pki.establishment.finess}`;
  const connection = deps.connection;
  const environment = environmentOf(connection);
  const insOid = connection?.insOid ?? INS_OID.NIR;
  const vihf: VihfConfig = {
    structureId,
    insOid,
    secteurActivite: 'SA01^1.2.250.1.71.4.2.4',
    lps: { id: 'POSTE-CLINIQUE-CHU', nom: 'Poste clinique CHU', version: deps.version ?? '0.1.0', homologation: environment.test ? 'HOMOLOG-TEST' : 'A-RENSEIGNER' },
    certPem: deps.pki.establishment.certPem,
    keyPem: deps.pki.establishment.keyPem,
  };
  const keysByClient = new Map<string, Set<string>>();
  let started: Promise<{ service: DmpService; gateway: DmpGateway & { close(): void }; embedded?: { close(): Promise<void> } }> | undefined;
  let current: Awaited<NonNullable<typeof started>> | undefined;
  let closed = false;

  async function start() {
    if (!connection) {
      throw new DmpError('DMP_CONFIG_INVALID', NO_DMP_CONFIGURED);
    }
    let embedded: { servicesUrl: string; close(): Promise<void> } | undefined;
    let servicesUrl: string;
    if (isEndpoint(connection)) servicesUrl = connection.servicesUrl;
    else {
      embedded = await connection.start({ dataDir: deps.dataDir, establishmentCertPem: deps.pki.establishment.certPem, structureId, now: deps.clock.now() });
      servicesUrl = embedded.servicesUrl;
      deps.logger.info('embedded DMP started', { label: connection.label });
    }
    // The gateway signs VIHF tokens and submission sets in its own worker thread (dmp-signer-worker).
    const gateway = createDmpiGateway({ baseUrl: servicesUrl, vihf, clock: () => deps.clock.now() });
    const service = createDmpService({ gateway, audit: deps.audit, insOid, clock: () => deps.clock.now() });
    const value = { service, gateway, ...(embedded ? { embedded } : {}) };
    if (closed) {
      await shutdown(value);
      throw new DmpError('DMP_UNREACHABLE', 'Le poste est en cours d’arrêt : le DMP n’est plus accessible.');
    }
    current = value;
    return value;
  }

  async function shutdown(v: NonNullable<typeof current>) {
    await v.gateway.close();
    if (v.embedded) await v.embedded.close();
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

  const cda = createCdaParser();
  return {
    configured: connection !== undefined,
    cda,
    environment,
    regulation: deps.regulation ?? false,
    structureId,
    insOid,
    async service() {
      return (await ready()).service;
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
      await cda.close();
      const v = started ? await started.catch(() => undefined) : undefined;
      if (v) await shutdown(v);
    },
  };
}

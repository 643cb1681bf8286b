import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cdaToEntryMetadata, readCdaMetadata } from '../cda-metadata';
import { DmpError } from '../errors';
import type { AvailabilityStatus, VisibilityCode } from '../types';
import { XDS } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { REPOSITORY_ID, type FaultMode, type SandboxContext } from './context';
import { SERVICES_PATH, createRequestHandler } from './http';
import { deprecate } from './rules';
import { openStore, type SandboxPatient, type SandboxStore, type StoredEntry } from './store';

export { FAULT_MODES, type FaultMode } from './context';

export interface SandboxOptions {
  port?: number;
  dataDir: string;
  seedDir?: string;
  /** Skip the VIHF signature check; open a DMP for an unknown patient on feeding. */
  lenient?: boolean;
  latencyMs?: number;
  /** Probability (0–1) of answering HTTP 503. */
  failRate?: number;
  fault?: FaultMode;
  /** Certificates whose VIHF signatures are accepted (the establishment certificates). */
  trustedCertPems: string[];
  /** Limit of an accepted request (bytes). */
  maxRequestBytes?: number;
}

interface AddDocumentOptions {
  visibility?: VisibilityCode[];
  status?: AvailabilityStatus;
  /** entryUUID replaced by this document (the old one becomes deprecated). */
  replaces?: string;
  authorStructure?: string;
  /** Overrides the classCode (90: written by the patient). */
  classCode?: string;
  submissionTime?: Date;
}

export interface DmpSandbox {
  url: string;
  /** Base URL of the services (…/si-dmp-server/v2/services). */
  servicesUrl: string;
  store: SandboxStore;
  repositoryUniqueId: string;
  setFault(mode: FaultMode | undefined, latencyMs?: number): void;
  setFailRate(rate: number): void;
  ensurePatient(p: Partial<SandboxPatient> & { ins: string }): SandboxPatient;
  setAuthorization(ins: string, professionalId: string, status: 'VALIDE' | 'INTERDIT' | 'EXPIRE' | 'NON_EXISTE'): void;
  setOppositions(ins: string, o: Partial<SandboxPatient['oppositions']>): void;
  /** Stores a CDA as a document of the patient in its recordTarget. */
  addDocument(cda: Buffer, options?: AddDocumentOptions): StoredEntry;
  seedDirectory(dir: string): number;
  close(): Promise<void>;
}

/**
 * A DMP test server on 127.0.0.1: the DMPi SOAP transactions (one handler module per transaction,
 * routed in dispatch.ts) over a persistent store, with injectable faults.
 */
export async function startDmpSandbox(options: SandboxOptions): Promise<DmpSandbox> {
  const store = openStore(options.dataDir);
  const ctx: SandboxContext = {
    store,
    lenient: !!options.lenient,
    trustedCertPems: options.trustedCertPems,
    controls: { fault: options.fault, latencyMs: options.latencyMs ?? 0, failRate: options.failRate ?? 0 },
  };
  const server = http.createServer(createRequestHandler(ctx, options.maxRequestBytes ?? 60 * 1024 * 1024));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const sandbox: DmpSandbox = {
    url: `http://127.0.0.1:${port}`,
    servicesUrl: `http://127.0.0.1:${port}${SERVICES_PATH}`,
    store,
    repositoryUniqueId: REPOSITORY_ID,
    setFault(mode, ms) {
      ctx.controls.fault = mode;
      if (ms !== undefined) ctx.controls.latencyMs = ms;
    },
    setFailRate(rate) {
      ctx.controls.failRate = rate;
    },
    ensurePatient(p) {
      return store.upsertPatient(p);
    },
    setAuthorization(ins, professionalId, status) {
      const p = store.patient(ins) ?? store.upsertPatient({ ins });
      if (status === 'NON_EXISTE') delete p.authorizations[professionalId];
      else p.authorizations[professionalId] = status;
      store.save();
    },
    setOppositions(ins, o) {
      store.upsertPatient({ ins, oppositions: { ...(store.patient(ins)?.oppositions ?? { brisDeGlace: false, centre15: false }), ...o } });
    },
    addDocument: (cda, opts = {}) => addDocument(store, cda, opts),
    seedDirectory(dir) {
      let n = 0;
      for (const f of readdirSync(dir).filter((x) => x.toLowerCase().endsWith('.xml')).sort()) {
        const cda = readFileSync(path.join(dir, f));
        const meta = readCdaMetadata(cda);
        if (store.byUniqueId(meta.uniqueId)) continue;
        sandbox.addDocument(cda);
        n++;
      }
      return n;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  if (options.seedDir) sandbox.seedDirectory(options.seedDir);
  return sandbox;
}

/** Stores a CDA directly (no SOAP, no signature): seeding and test set-up. */
function addDocument(store: SandboxStore, cda: Buffer, opts: AddDocumentOptions): StoredEntry {
  const meta = readCdaMetadata(cda);
  if (!store.patient(meta.ins)) store.upsertPatient({ ins: meta.ins });
  if (store.byUniqueId(meta.uniqueId)) throw new DmpError('XDSDuplicateUniqueIdInRegistry', `Document déjà présent dans le DMP de test : ${meta.uniqueId}`);
  const m = cdaToEntryMetadata(cda, meta, {
    entryUUID: `urn:uuid:${randomUUID()}`,
    visibility: opts.visibility,
    status: opts.status ?? 'approved',
    repositoryUniqueId: REPOSITORY_ID,
    submissionTime: toXdsDtm(opts.submissionTime ?? new Date()),
  });
  if (opts.classCode) m.classCode = { ...m.classCode, code: opts.classCode, display: opts.classCode === '90' ? 'Expression personnelle du patient' : m.classCode.display ?? opts.classCode };
  let assoc: { id: string; type: string; source: string; target: string }[] = [];
  if (opts.replaces) {
    const old = store.byEntryUUID(opts.replaces);
    if (!old) throw new DmpError('DMP_INVALID_INPUT', 'Document remplacé introuvable dans le DMP de test.');
    deprecate(old);
    assoc = [{ id: `urn:uuid:${randomUUID()}`, type: XDS.rplc, source: m.entryUUID, target: opts.replaces }];
  }
  return store.addEntry(m, cda, opts.authorStructure ?? 'DMP-TEST', assoc);
}

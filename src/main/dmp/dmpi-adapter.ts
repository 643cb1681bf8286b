import { createTransport, type TransportOptions } from './transport';
import { INS_OID } from '../../shared/ins/oids';
import type { DmpGateway, DmpRequestContext } from './types';
import { createSignedVihf, type VihfConfig } from './vihf';
import { signSubmissionSet, type SubmissionSignatureInput } from './xades';
import { createWorkerSigner } from './signer';
import { createSoapCall, type DmpiLink, type LotToSign } from './dmpi/call';
import { addAuthorization, findDocuments, getDocuments, getStatus, retrieve } from './dmpi/reads';
import { submit } from './dmpi/submit';
import { setStatus, updateVisibility } from './dmpi/update';
import { createVihfCache } from './dmpi/vihf-cache';

export interface DmpiConfig {
  /** e.g. https://…/si-dmp-server/v2/services (no trailing service name). */
  baseUrl: string;
  vihf: VihfConfig;
  transport?: Omit<TransportOptions, 'tls'>;
  /** Retries of idempotent reads (TD0.2, ITI-18, ITI-43) on network errors and 5xx. */
  retries?: number;
  retryBaseMs?: number;
  /** Replaces the in-thread VIHF signature, e.g. by a worker thread. */
  signVihf?: (ctx: DmpRequestContext) => Promise<string>;
  clock?: () => Date;
  /** XDS sourceId of the submissions (the establishment's OID). */
  sourceId?: string;
  /**
   * Seal certificate and key signing the submission sets (IGC Santé "ORG_SIGN"); the
   * establishment certificate of the VIHF when absent.
   */
  xades?: { certPem: string; keyPem: string };
  /** Replaces the XAdES signature of a submission set (default: see `signing`). */
  signSubmission?: (input: Omit<SubmissionSignatureInput, 'keyPem' | 'certPem'>) => Promise<string>;
  /**
   * Where VIHF and XAdES signatures are computed when no hook replaces them: 'worker' (default)
   * in a worker thread (dmp-signer-worker), never stalling the thread serving the renderer;
   * 'inline' in the calling thread (CLIs, benchmarks of the signature itself).
   */
  signing?: 'worker' | 'inline';
  /** Path of the bundled dmp-signer-worker.js when it is not next to this module (Electron build). */
  signerWorkerFile?: string;
}

/** The real implementation of DmpGateway: the DMPi SOAP protocol (one module per transaction in ./dmpi). */
export function createDmpiGateway(config: DmpiConfig): DmpGateway & { close(): void } {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const transport = createTransport({
    ...config.transport,
    ...(baseUrl.startsWith('https:') ? { tls: { certPem: config.vihf.certPem, keyPem: config.vihf.keyPem } } : {}),
  });
  const clock = config.clock ?? (() => new Date());
  const sealCert = config.xades ?? { certPem: config.vihf.certPem, keyPem: config.vihf.keyPem };
  const workerSigner = (config.signing ?? 'worker') === 'worker' && (!config.signVihf || !config.signSubmission)
    ? createWorkerSigner({ vihf: config.vihf, xades: sealCert }, config.signerWorkerFile)
    : undefined;
  const signFresh =
    config.signVihf ??
    (workerSigner ? (ctx: DmpRequestContext) => workerSigner.signVihf(ctx, clock()) : async (ctx: DmpRequestContext) => createSignedVihf(ctx, config.vihf, clock()));
  const signLot =
    config.signSubmission ??
    (workerSigner ? (input: LotToSign) => workerSigner.signSubmission(input) : async (input: LotToSign) => signSubmissionSet({ ...input, ...sealCert }));
  const link: DmpiLink = {
    call: createSoapCall({
      baseUrl,
      transport,
      vihfs: createVihfCache(signFresh, clock, config.vihf.validityMinutes),
      retries: config.retries ?? 2,
      retryBaseMs: config.retryBaseMs ?? 250,
      ...(config.transport?.maxResponseBytes !== undefined ? { maxResponseBytes: config.transport.maxResponseBytes } : {}),
    }),
    clock,
    insOid: config.vihf.insOid ?? INS_OID.TEST_NIR,
    vihf: config.vihf,
    sourceId: config.sourceId,
    signLot,
  };
  return {
    getStatus: (ctx) => getStatus(link, ctx),
    addAuthorization: (ctx) => addAuthorization(link, ctx),
    findDocuments: (ctx, query) => findDocuments(link, ctx, query),
    getDocuments: (ctx, entryUUIDs) => getDocuments(link, ctx, entryUUIDs),
    retrieve: (ctx, ref) => retrieve(link, ctx, ref),
    updateVisibility: (ctx, update) => updateVisibility(link, ctx, update),
    archive: (ctx, entryUUID) => setStatus(link, ctx, entryUUID, 'approved', 'archived'),
    unarchive: (ctx, entryUUID) => setStatus(link, ctx, entryUUID, 'archived', 'approved'),
    deleteDocument: async (ctx, entryUUID) => {
      await setStatus(link, ctx, entryUUID, undefined, 'deleted');
    },
    submit: (ctx, cda, options) => submit(link, ctx, cda, options),
    close() {
      transport.close();
      void workerSigner?.close();
    },
  };
}

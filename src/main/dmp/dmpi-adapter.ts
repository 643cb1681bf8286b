import { createHash, randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { cdaToEntryMetadata, readCdaMetadata, visibilityCodes } from './cda-metadata';
import { DmpError, xdsError } from './errors';
import { addTd02Request, readTd02Response, TD02_ACTION } from './hl7v3';
import { buildMtom, newContentId, xopContent } from './mtom';
import { buildEnvelope, readSoapResponse, type SoapResponse } from './soap';
import { createTransport, type TransportOptions } from './transport';
import {
  VISIBILITY_CODE_SYSTEM,
  TEST_INS_NIR_OID,
  type AvailabilityStatus,
  type DmpDocumentEntry,
  type DmpGateway,
  type DmpRequestContext,
  type FindDocumentsQuery,
  type VisibilityCode,
} from './types';
import { createSignedVihf, type VihfConfig } from './vihf';
import { SIGNATURE_DOC, SIGNS_ASSOCIATION, signSubmissionSet, type SubmissionSignatureInput } from './xades';
import { createWorkerSigner } from './signer';
import {
  GET_ASSOCIATIONS,
  XDS,
  addAssociation,
  addClassification,
  addExternalIdentifier,
  addExtrinsicObject,
  addSlot,
  dateToDtm,
  formatXcn,
  formatXon,
  insToCx,
  parseDocumentEntries,
  queryList,
  queryString,
  readRegistryErrors,
  statusToUrn,
  toEntry,
  type EntryMetadata,
} from './xds';
import { NS, add, child, descendants, serialize, text } from './xml';

const UPDATE_AVAILABILITY_STATUS = 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus';

export const ACTIONS = {
  td02: TD02_ACTION,
  td03: 'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization',
  iti18: 'urn:ihe:iti:2007:RegistryStoredQuery',
  iti41: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  iti43: 'urn:ihe:iti:2007:RetrieveDocumentSet',
  iti57: 'urn:ihe:iti:2010:UpdateDocumentSet',
} as const;

export type DmpService = 'patients' | 'habilitations' | 'registry' | 'repository';

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

/** The submission-set signature document travels as an XDS entry: never shown as a clinical document. */
export function isSignatureEntry(e: Pick<DmpDocumentEntry, 'classCode'>): boolean {
  return e.classCode?.code === SIGNATURE_DOC.classCode.code;
}

const RETRYABLE = new Set(['DMP_TIMEOUT', 'DMP_UNREACHABLE', 'DMP_CONNECTION_RESET', 'DMP_HTTP_ERROR', 'XDSRegistryBusy']);

/** The real implementation of DmpGateway: the DMPi SOAP protocol. */
export function createDmpiGateway(config: DmpiConfig): DmpGateway & { close(): void } {
  const base = config.baseUrl.replace(/\/+$/, '');
  const https = base.startsWith('https:');
  const transport = createTransport({
    ...config.transport,
    ...(https ? { tls: { certPem: config.vihf.certPem, keyPem: config.vihf.keyPem } } : {}),
  });
  const clock = config.clock ?? (() => new Date());
  const insOid = config.vihf.insOid ?? TEST_INS_NIR_OID;
  const sealCert = config.xades ?? { certPem: config.vihf.certPem, keyPem: config.vihf.keyPem };
  const workerSigner = (config.signing ?? 'worker') === 'worker' && (!config.signVihf || !config.signSubmission)
    ? createWorkerSigner({ vihf: config.vihf, xades: sealCert }, config.signerWorkerFile)
    : undefined;
  const signFresh =
    config.signVihf ??
    (workerSigner ? (ctx: DmpRequestContext) => workerSigner.signVihf(ctx, clock()) : async (ctx: DmpRequestContext) => createSignedVihf(ctx, config.vihf, clock()));
  const signLot =
    config.signSubmission ??
    (workerSigner
      ? (input: Omit<SubmissionSignatureInput, 'keyPem' | 'certPem'>) => workerSigner.signSubmission(input)
      : async (input: Omit<SubmissionSignatureInput, 'keyPem' | 'certPem'>) => signSubmissionSet({ ...input, ...sealCert }));
  // A VIHF is a token valid for a few minutes: reused per (user, patient, mode) within that window
  // (each envelope still has its own MessageID), dropped as soon as the DMP rejects it.
  const vihfTtl = Math.max(0, ((config.vihf.validityMinutes ?? 10) - 2) * 60_000);
  const vihfCache = new Map<string, { xml: string; until: number }>();
  const vihfKey = (ctx: DmpRequestContext): string => JSON.stringify([ctx.user.id, ctx.user.rpps ?? '', ctx.user.role, ctx.user.name, ctx.user.professionCode ?? '', ctx.ins, ctx.accessMode]);
  const sign = async (ctx: DmpRequestContext): Promise<string> => {
    const k = vihfKey(ctx);
    const now = clock().getTime();
    const hit = vihfCache.get(k);
    if (hit && hit.until > now) return hit.xml;
    const xml = await signFresh(ctx);
    if (vihfTtl > 0) {
      if (vihfCache.size > 500) vihfCache.clear();
      vihfCache.set(k, { xml, until: now + vihfTtl });
    }
    return xml;
  };
  const retries = config.retries ?? 2;
  const retryBase = config.retryBaseMs ?? 250;

  async function call(
    ctx: DmpRequestContext,
    service: DmpService,
    action: string,
    fill: (body: Element) => void,
    opts: { idempotent: boolean; mtom: boolean; attachments?: { cid: string; contentType: string; data: Buffer }[] },
  ): Promise<SoapResponse> {
    const to = `${base}/${service}`;
    let attempt = 0;
    for (;;) {
      try {
        // A fresh VIHF per attempt: MessageID and IssueInstant must not be replayed.
        const { doc, body } = buildEnvelope(action, to, await sign(ctx));
        fill(body);
        const xml = serialize(doc);
        let payload: Buffer;
        let contentType: string;
        if (opts.mtom) {
          const m = buildMtom(xml, action, (opts.attachments ?? []).map((a) => ({ contentId: a.cid, contentType: a.contentType, data: a.data })));
          payload = m.body;
          contentType = m.contentType;
        } else {
          payload = Buffer.from(xml, 'utf8');
          contentType = `application/soap+xml; charset=UTF-8; action="${action}"`;
        }
        const res = await transport.post(to, payload, contentType, action);
        return readSoapResponse(res, config.transport?.maxResponseBytes);
      } catch (e) {
        if (e instanceof DmpError && e.code === 'DMP_VIHF_REJECTED') vihfCache.delete(vihfKey(ctx));
        if (!opts.idempotent || attempt >= retries || !(e instanceof DmpError) || !RETRYABLE.has(e.code)) throw e;
        attempt++;
        await new Promise((r) => setTimeout(r, retryBase * 2 ** (attempt - 1)));
      }
    }
  }

  function throwRegistryErrors(resp: SoapResponse): void {
    const { status, errors } = readRegistryErrors(resp.body);
    const blocking = errors.filter((e) => e.severity === XDS.severityError);
    if (status === XDS.responseFailure || blocking.length) {
      const first = blocking[0] ?? errors[0];
      throw first ? xdsError(first.errorCode, first.codeContext) : new DmpError('XDSRegistryError', 'Le DMP a refusé la requête sans préciser la raison.');
    }
  }

  async function storedQuery(ctx: DmpRequestContext, queryId: string, slots: Record<string, string>): Promise<SoapResponse> {
    const resp = await call(ctx, 'registry', ACTIONS.iti18, (body) => {
      const req = add(body, NS.query, 'AdhocQueryRequest');
      add(req, NS.query, 'ResponseOption', { returnComposedObjects: 'true', returnType: 'LeafClass' });
      const q = add(req, NS.rim, 'AdhocQuery', { id: queryId });
      for (const [name, value] of Object.entries(slots)) addSlot(q, name, [value]);
    }, { idempotent: true, mtom: false });
    if (!child(resp.body, NS.query, 'AdhocQueryResponse')) {
      throw new DmpError('DMP_RESPONSE_INVALID', 'La réponse du DMP à la recherche de documents est incomplète (AdhocQueryResponse absente).');
    }
    throwRegistryErrors(resp);
    return resp;
  }

  /** RPLC links are associations, not DocumentEntry attributes: fetched when a replaced entry is listed. */
  async function withReplacementLinks(ctx: DmpRequestContext, entries: DmpDocumentEntry[]): Promise<DmpDocumentEntry[]> {
    if (!entries.some((e) => e.availabilityStatus === 'deprecated')) return entries;
    const resp = await storedQuery(ctx, GET_ASSOCIATIONS, { $uuid: queryList(entries.map((e) => e.entryUUID)) });
    const byId = new Map(entries.map((e) => [e.entryUUID, e]));
    for (const a of descendants(resp.body, NS.rim, 'Association')) {
      if (a.getAttribute('associationType') !== XDS.rplc) continue;
      const src = byId.get(a.getAttribute('sourceObject') ?? '');
      const tgt = byId.get(a.getAttribute('targetObject') ?? '');
      if (src && tgt) {
        src.replaces = tgt.entryUUID;
        tgt.replacedBy = src.entryUUID;
      }
    }
    return entries;
  }

  function addSubmissionSet(list: Element, ctx: DmpRequestContext, patientCx: string, ssId: string, ssUniqueId: string, contentType: EntryMetadata['classCode']): void {
    const rp = add(list, NS.rim, 'RegistryPackage', { id: ssId, objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage' });
    addSlot(rp, 'submissionTime', [dateToDtm(clock())]);
    const nameEl = add(rp, NS.rim, 'Name');
    add(nameEl, NS.rim, 'LocalizedString', { value: 'Lot de soumission', charset: 'UTF-8', 'xml:lang': 'fr-FR' });
    const author = add(rp, NS.rim, 'Classification', {
      id: `${ssId}-author`,
      classificationScheme: XDS.ssAuthor,
      classifiedObject: ssId,
      nodeRepresentation: '',
      objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    });
    addSlot(author, 'authorPerson', [formatXcn({ id: ctx.user.rpps ?? ctx.user.id, family: ctx.user.name, idRoot: ctx.user.rpps ? '1.2.250.1.71.4.2.1' : undefined })]);
    addSlot(author, 'authorInstitution', [formatXon(config.vihf.structureId, config.vihf.structureId)]);
    addClassification(rp, XDS.ssContentTypeCode, ssId, `${ssId}-ct`, contentType);
    addExternalIdentifier(rp, XDS.ssUniqueId, ssId, `${ssId}-uid`, ssUniqueId, 'XDSSubmissionSet.uniqueId');
    addExternalIdentifier(rp, XDS.ssSourceId, ssId, `${ssId}-src`, config.sourceId ?? '1.2.250.1.213.1.1.9', 'XDSSubmissionSet.sourceId');
    addExternalIdentifier(rp, XDS.ssPatientId, ssId, `${ssId}-pid`, patientCx, 'XDSSubmissionSet.patientId');
    add(list, NS.rim, 'Classification', {
      id: `${ssId}-class`,
      classifiedObject: ssId,
      classificationNode: XDS.submissionSetNode,
      objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    });
  }

  /**
   * ITI-57 "Update DocumentEntry availabilityStatus" (TD3.3c/d): a submission set and an
   * UpdateAvailabilityStatus association carrying OriginalStatus and NewStatus.
   */
  async function setStatus(ctx: DmpRequestContext, entryUUID: string, from: AvailabilityStatus | undefined, to: AvailabilityStatus): Promise<DmpDocumentEntry> {
    const [current] = await gateway.getDocuments(ctx, [entryUUID]);
    if (!current) throw new DmpError('XDSMissingDocument', "Le document n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents.");
    if (from && current.availabilityStatus !== from) {
      const what = to === 'archived' ? 'archivé' : 'désarchivé';
      throw new DmpError('DMP_INVALID_INPUT', `Ce document ne peut pas être ${what} : son statut actuel est « ${current.availabilityStatus} ». Actualisez la liste des documents.`);
    }
    const ssId = 'SubmissionSet01';
    const resp = await call(ctx, 'registry', ACTIONS.iti57, (body) => {
      const sor = add(body, NS.lcm, 'SubmitObjectsRequest');
      const list = add(sor, NS.rim, 'RegistryObjectList');
      addSubmissionSet(list, ctx, current.patientId, ssId, oidUnique(), current.classCode ?? { code: '10' });
      addAssociation(list, 'UpdateStatus01', UPDATE_AVAILABILITY_STATUS, ssId, current.entryUUID, {
        OriginalStatus: statusToUrn(current.availabilityStatus),
        NewStatus: statusToUrn(to),
      });
    }, { idempotent: false, mtom: false });
    throwRegistryErrors(resp);
    return { ...current, availabilityStatus: to };
  }

  function oidUnique(): string {
    // 2.25 + UUID as an integer: a globally unique OID without an allocated arc (ITU-T X.667).
    return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
  }

  const gateway: DmpGateway & { close(): void } = {
    async getStatus(ctx) {
      const resp = await call(ctx, 'patients', ACTIONS.td02, (body) => addTd02Request(body, ctx.ins, insOid, config.vihf.lps.id, config.vihf.lps.nom, clock()), {
        idempotent: true,
        mtom: false,
      });
      return readTd02Response(resp.body);
    },

    async addAuthorization(ctx) {
      const resp = await call(ctx, 'habilitations', ACTIONS.td03, (body) => {
        const req = add(body, NS.hab, 'setAuthorizationRequest');
        add(req, NS.hab, 'action', {}, 'AJOUT');
      }, { idempotent: false, mtom: false });
      const status = text(descendants(resp.body, NS.hab, 'status')[0]);
      if (status !== 'OK') throw new DmpError('DMP_SOAP_FAULT', `Le DMP n'a pas confirmé l'ajout de l'autorisation d'accès (statut « ${status || 'absent'} »).`);
    },

    async findDocuments(ctx, query: FindDocumentsQuery = {}) {
      const statuses = query.statuses ?? ['approved', 'deprecated', 'archived'];
      const slots: Record<string, string> = {
        $XDSDocumentEntryPatientId: queryString(insToCx(ctx.ins, insOid)),
        $XDSDocumentEntryStatus: queryList(statuses.map(statusToUrn)),
      };
      if (query.classCodes?.length) slots['$XDSDocumentEntryClassCode'] = queryList(query.classCodes.map((c) => `${c}^^1.2.250.1.213.1.1.4.1`));
      if (query.typeCodes?.length) slots['$XDSDocumentEntryTypeCode'] = queryList(query.typeCodes.map((c) => `${c}^^2.16.840.1.113883.6.1`));
      if (query.creationFrom) slots['$XDSDocumentEntryCreationTimeFrom'] = dateToDtm(query.creationFrom);
      if (query.creationTo) slots['$XDSDocumentEntryCreationTimeTo'] = dateToDtm(query.creationTo);
      const resp = await storedQuery(ctx, XDS.findDocuments, slots);
      return withReplacementLinks(ctx, parseDocumentEntries(resp.body).filter((e) => !isSignatureEntry(e)));
    },

    async getDocuments(ctx, entryUUIDs) {
      if (!entryUUIDs.length) return [];
      const resp = await storedQuery(ctx, XDS.getDocuments, { $XDSDocumentEntryEntryUUID: queryList(entryUUIDs) });
      return withReplacementLinks(ctx, parseDocumentEntries(resp.body).filter((e) => !isSignatureEntry(e)));
    },

    async retrieve(ctx, ref) {
      const resp = await call(ctx, 'repository', ACTIONS.iti43, (body) => {
        const req = add(body, NS.xds, 'RetrieveDocumentSetRequest');
        const dr = add(req, NS.xds, 'DocumentRequest');
        add(dr, NS.xds, 'RepositoryUniqueId', {}, ref.repositoryUniqueId);
        add(dr, NS.xds, 'DocumentUniqueId', {}, ref.uniqueId);
      }, { idempotent: true, mtom: true });
      throwRegistryErrors(resp);
      const dr = descendants(resp.body, NS.xds, 'DocumentResponse').find((d) => text(child(d, NS.xds, 'DocumentUniqueId')) === ref.uniqueId);
      const docEl = dr ? child(dr, NS.xds, 'Document') : undefined;
      if (!dr || !docEl) throw new DmpError('XDSMissingDocument', "Le document demandé n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents.");
      return {
        uniqueId: ref.uniqueId,
        repositoryUniqueId: text(child(dr, NS.xds, 'RepositoryUniqueId')) || ref.repositoryUniqueId,
        mimeType: text(child(dr, NS.xds, 'mimeType')) || 'application/octet-stream',
        content: xopContent(docEl, resp.parts),
      };
    },

    async updateVisibility(ctx, update) {
      const [current] = await gateway.getDocuments(ctx, [update.entryUUID]);
      if (!current) throw new DmpError('XDSMissingDocument', "Le document à modifier n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents.");
      const flags = new Set<VisibilityCode>(current.visibility);
      const toggle = (code: VisibilityCode, on: boolean | undefined): void => {
        if (on === undefined) return;
        if (on) flags.add(code);
        else flags.delete(code);
      };
      toggle('MASQUE_PS', update.maskedToProfessionals);
      toggle('INVISIBLE_PATIENT', update.invisibleToPatient);
      toggle('INVISIBLE_REPRESENTANTS_LEGAUX', update.invisibleToLegalRepresentatives);
      const newId = `urn:uuid:${randomUUID()}`;
      const ssId = 'SubmissionSet01';
      // Re-sends the stored metadata unchanged but for the visibility codes (ITI-57 metadata update).
      const meta = entryToMetadata(current);
      meta.entryUUID = newId;
      meta.logicalId = current.logicalId ?? current.entryUUID;
      meta.confidentialityCodes = [
        ...current.confidentialityCodes.filter((c) => c.codeSystem !== VISIBILITY_CODE_SYSTEM),
        ...visibilityCodes([...flags]),
      ];
      const resp = await call(ctx, 'registry', ACTIONS.iti57, (body) => {
        const sor = add(body, NS.lcm, 'SubmitObjectsRequest');
        const list = add(sor, NS.rim, 'RegistryObjectList');
        addSubmissionSet(list, ctx, current.patientId, ssId, oidUnique(), current.classCode ?? { code: '10' });
        addExtrinsicObject(list, meta);
        addAssociation(list, 'Assoc01', XDS.hasMember, ssId, newId, { SubmissionSetStatus: 'Original', PreviousVersion: current.version ?? '1' });
      }, { idempotent: false, mtom: false });
      throwRegistryErrors(resp);
      // Masking may hide the entry from this very caller: answer from what the registry accepted.
      const version = String(Number(current.version ?? '1') + 1);
      return {
        ...toEntry({ ...meta, version }),
        ...(current.replacedBy ? { replacedBy: current.replacedBy } : {}),
        ...(current.replaces ? { replaces: current.replaces } : {}),
      };
    },

    async archive(ctx, entryUUID) {
      return setStatus(ctx, entryUUID, 'approved', 'archived');
    },

    async unarchive(ctx, entryUUID) {
      return setStatus(ctx, entryUUID, 'archived', 'approved');
    },

    async deleteDocument(ctx, entryUUID) {
      await setStatus(ctx, entryUUID, undefined, 'deleted');
    },

    async submit(ctx, cda, options = {}) {
      const meta = readCdaMetadata(cda);
      if (meta.ins !== ctx.ins) {
        throw new DmpError('DMP_INVALID_INPUT', "L'INS du document CDA ne correspond pas au patient sélectionné : envoi annulé.");
      }
      const entryUUID = `urn:uuid:${randomUUID()}`;
      const m = cdaToEntryMetadata(cda, meta, { entryUUID, visibility: options.visibility, ...(options.title ? { title: options.title } : {}) });
      const ssId = 'SubmissionSet01';
      const ssUniqueId = oidUnique();
      const cid = newContentId();
      // TD2.1: the lot carries its XAdES signature as a document of its own (see xades.ts).
      const signingTime = clock();
      const toSign = { submissionSetUniqueId: ssUniqueId, documents: [{ uniqueId: m.uniqueId, content: cda }], signingTime };
      const signatureXml = await signLot(toSign);
      const signature = Buffer.from(signatureXml, 'utf8');
      const sigUUID = `urn:uuid:${randomUUID()}`;
      const sigCid = newContentId();
      const sigMeta = signatureEntryMetadata(ctx, m, sigUUID, oidUnique(), signature, signingTime);
      const resp = await call(ctx, 'repository', ACTIONS.iti41, (body) => {
        const req = add(body, NS.xds, 'ProvideAndRegisterDocumentSetRequest');
        const sor = add(req, NS.lcm, 'SubmitObjectsRequest');
        const list = add(sor, NS.rim, 'RegistryObjectList');
        addSubmissionSet(list, ctx, m.patientCx, ssId, ssUniqueId, m.classCode);
        addExtrinsicObject(list, m);
        addExtrinsicObject(list, sigMeta);
        addAssociation(list, 'Assoc01', XDS.hasMember, ssId, entryUUID, { SubmissionSetStatus: 'Original' });
        addAssociation(list, 'Assoc02', XDS.hasMember, ssId, sigUUID, { SubmissionSetStatus: 'Original' });
        addAssociation(list, 'Assoc03', SIGNS_ASSOCIATION, sigUUID, ssId);
        if (options.replaces) addAssociation(list, 'Assoc04', XDS.rplc, entryUUID, options.replaces);
        const d = add(req, NS.xds, 'Document', { id: entryUUID });
        add(d, NS.xop, 'Include', { href: `cid:${encodeURIComponent(cid)}` });
        const sd = add(req, NS.xds, 'Document', { id: sigUUID });
        add(sd, NS.xop, 'Include', { href: `cid:${encodeURIComponent(sigCid)}` });
      }, {
        idempotent: false,
        mtom: true,
        attachments: [
          { cid, contentType: 'text/xml', data: cda },
          { cid: sigCid, contentType: 'text/xml', data: signature },
        ],
      });
      throwRegistryErrors(resp);
      return { entryUUID, uniqueId: m.uniqueId, submissionSetUniqueId: ssUniqueId };
    },

    close() {
      transport.close();
      void workerSigner?.close();
    },
  };
  return gateway;
}

/**
 * DocumentEntry of the lot's signature (IHE DSG as the DMP uses it, see xades.ts): same patient,
 * facility and practice as the signed document, masked to professionals and invisible to the patient.
 */
function signatureEntryMetadata(ctx: DmpRequestContext, doc: EntryMetadata, entryUUID: string, uniqueId: string, signature: Buffer, at: Date): EntryMetadata {
  const now = dateToDtm(at);
  const person = formatXcn({ id: ctx.user.rpps ?? ctx.user.id, family: ctx.user.name, idRoot: ctx.user.rpps ? '1.2.250.1.71.4.2.1' : undefined });
  return {
    entryUUID,
    uniqueId,
    patientCx: doc.patientCx,
    title: SIGNATURE_DOC.title,
    mimeType: 'text/xml',
    typeCode: { ...SIGNATURE_DOC.typeCode },
    classCode: { ...SIGNATURE_DOC.classCode },
    formatCode: { ...SIGNATURE_DOC.formatCode },
    healthcareFacilityTypeCode: doc.healthcareFacilityTypeCode,
    practiceSettingCode: doc.practiceSettingCode,
    eventCodes: [{ ...SIGNATURE_DOC.eventCode }],
    confidentialityCodes: [{ code: 'N', codeSystem: '2.16.840.1.113883.5.25', display: 'Normal' }, ...visibilityCodes(['MASQUE_PS', 'INVISIBLE_PATIENT'])],
    status: 'approved',
    creationTime: now,
    serviceStartTime: now,
    serviceStopTime: now,
    languageCode: SIGNATURE_DOC.languageCode,
    legalAuthenticator: person,
    authors: [{ person, institutions: doc.authors[0]?.institutions ?? [] }],
    size: signature.length,
    hash: createHash('sha1').update(signature).digest('hex'),
  };
}

/** Back from the typed entry to writable metadata (ITI-57 re-sends every field). */
function entryToMetadata(e: DmpDocumentEntry): EntryMetadata {
  const dtm = (iso?: string): string | undefined => (iso ? dateToDtm(new Date(iso)) : undefined);
  const m: EntryMetadata = {
    entryUUID: e.entryUUID,
    uniqueId: e.uniqueId,
    patientCx: e.patientId,
    title: e.title,
    mimeType: e.mimeType,
    typeCode: e.typeCode ?? { code: '' },
    classCode: e.classCode ?? { code: '' },
    formatCode: e.formatCode ?? { code: '' },
    healthcareFacilityTypeCode: e.healthcareFacilityTypeCode ?? { code: '' },
    practiceSettingCode: e.practiceSettingCode ?? { code: '' },
    eventCodes: e.eventCodes,
    confidentialityCodes: e.confidentialityCodes,
    status: e.availabilityStatus,
    creationTime: dtm(e.creationTime) ?? '',
    languageCode: e.languageCode ?? 'fr-FR',
    authors: e.authors.map((a) => ({
      institutions: a.institutions.map((i) => i.raw),
      ...(a.person ? { person: a.person.raw } : {}),
      ...(a.role ? { role: a.role } : {}),
      ...(a.specialty ? { specialty: a.specialty } : {}),
    })),
  };
  const opt: Partial<EntryMetadata> = {
    version: e.version,
    comments: e.comments,
    serviceStartTime: dtm(e.serviceStartTime),
    serviceStopTime: dtm(e.serviceStopTime),
    legalAuthenticator: e.legalAuthenticator?.raw,
    size: e.size,
    hash: e.hash,
    repositoryUniqueId: e.repositoryUniqueId || undefined,
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
  return m;
}


import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Document, Element } from '@xmldom/xmldom';
import { cdaToEntryMetadata, readCdaMetadata } from '../cda-metadata';
import { DmpError } from '../errors';
import { addTd02Response, readTd02Request } from '../hl7v3';
import { buildMtom, newContentId, parseContentType, parseMultipart, xopContent, type MimePart } from '../mtom';
import { buildFault } from '../soap';
import { VISIBILITY_CODE_SYSTEM, type AccessMode, type AvailabilityStatus, type DmpStatus, type VisibilityCode } from '../types';

const UPDATE_AVAILABILITY_STATUS = 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus';
import { readVihf, verifyVihf, VIHF_ATTR, SECRETARY_ROLE, type VerifiedVihf } from '../vihf';
import { SIGNATURE_DOC, SIGNS_ASSOCIATION, verifySubmissionSignature } from '../xades';
import {
  GET_ASSOCIATIONS,
  XDS,
  addAssociation,
  addExtrinsicObject,
  addRegistryErrorList,
  cxToIns,
  dateToDtm,
  parseQueryValue,
  readEntryMetadata,
  slotValues,
  statusToUrn,
  type EntryMetadata,
} from '../xds';
import { NS, add, attr, child, childElements, descendants, newDocument, parseXml, path as xpath, serialize, text } from '../xml';
import { openStore, type SandboxPatient, type SandboxStore, type StoredEntry } from './store';

export type FaultMode =
  | 'latency'
  | '5xx'
  | 'soap-fault'
  | 'reset'
  | 'duplicate-uniqueid'
  | 'registry-error'
  | 'xxe'
  | 'billion-laughs'
  | 'oversize'
  | 'malformed-mtom';

export const FAULT_MODES: FaultMode[] = ['latency', '5xx', 'soap-fault', 'reset', 'duplicate-uniqueid', 'registry-error', 'xxe', 'billion-laughs', 'oversize', 'malformed-mtom'];

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

export interface AddDocumentOptions {
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

export const SERVICES_PATH = '/si-dmp-server/v2/services';
const REPOSITORY_ID = '1.2.250.1.213.4.1.1.2.99';
const RESPONSE_ACTIONS: Record<string, string> = {
  'urn:hl7-org:v3:PRPA_IN201307UV02': 'urn:hl7-org:v3:PRPA_IN201308UV02',
  'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization': 'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorizationResponse',
  'urn:ihe:iti:2007:RegistryStoredQuery': 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b': 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
  'urn:ihe:iti:2007:RetrieveDocumentSet': 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
  'urn:ihe:iti:2010:UpdateDocumentSet': 'urn:ihe:iti:2010:UpdateDocumentSetResponse',
};
const ACTION_SERVICE: Record<string, string> = {
  'urn:hl7-org:v3:PRPA_IN201307UV02': 'patients',
  'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization': 'habilitations',
  'urn:ihe:iti:2007:RegistryStoredQuery': 'registry',
  'urn:ihe:iti:2010:UpdateDocumentSet': 'registry',
  'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b': 'repository',
  'urn:ihe:iti:2007:RetrieveDocumentSet': 'repository',
};

/** A SOAP fault the handler raises; becomes HTTP 500 + soap:Fault as SOAP 1.2 requires. */
class Fault extends Error {
  constructor(readonly sub: string, readonly reason: string, readonly code: 'Sender' | 'Receiver' = 'Sender') {
    super(reason);
  }
}
/** XDS errors travel inside a normal response (RegistryResponse status Failure). */
class XdsFailure extends Error {
  constructor(readonly errorCode: string, readonly context: string) {
    super(context);
  }
}

interface Requester {
  vihf: VerifiedVihf;
  professionalId: string;
  structure: string;
  role: string;
  ins: string;
  mode: AccessMode;
}

export async function startDmpSandbox(options: SandboxOptions): Promise<DmpSandbox> {
  const store = openStore(options.dataDir);
  let fault = options.fault;
  let latencyMs = options.latencyMs ?? 0;
  let failRate = options.failRate ?? 0;
  const maxRequest = options.maxRequestBytes ?? 60 * 1024 * 1024;

  function readRequester(doc: Document, rawXml: string): Requester {
    const assertion = descendants(doc, NS.saml, 'Assertion')[0];
    const security = xpath(doc.documentElement!, [NS.soap, 'Header'], [NS.wsse, 'Security']);
    if (!assertion || !security || assertion.parentNode !== security) throw new Fault('VIHF_ABSENT', 'Jeton VIHF absent de wsse:Security');
    let vihf: VerifiedVihf | undefined;
    if (options.lenient) vihf = readVihf(assertion);
    else vihf = verifyVihf(rawXml, options.trustedCertPems, doc);
    if (!vihf) throw new Fault('VIHF_INVALIDE', 'Signature du VIHF invalide ou certificat non reconnu');
    if (!options.lenient && vihf.notOnOrAfter && Date.parse(vihf.notOnOrAfter) < Date.now()) throw new Fault('VIHF_INVALIDE', 'VIHF expiré');
    const a = vihf.attributes;
    for (const name of [VIHF_ATTR.version, VIHF_ATTR.authMode, VIHF_ATTR.structure, VIHF_ATTR.role, VIHF_ATTR.resourceId, VIHF_ATTR.purposeOfUse, VIHF_ATTR.lpsNom]) {
      if (!a[name]) throw new Fault('VIHF_INVALIDE', `Attribut VIHF manquant : ${name}`);
    }
    if (a[VIHF_ATTR.resourceUrn] !== 'urn:dmp') throw new Fault('VIHF_INVALIDE', 'Ressource_URN doit valoir urn:dmp');
    const mode = a[VIHF_ATTR.purposeOfUse] as AccessMode;
    if (!['normal', 'bris_de_glace', 'centre_15'].includes(mode)) throw new Fault('VIHF_INVALIDE', "Mode d'accès inconnu");
    return {
      vihf,
      professionalId: vihf.nameId,
      structure: a[VIHF_ATTR.structure]!,
      role: a[VIHF_ATTR.role]!,
      ins: cxToIns(a[VIHF_ATTR.resourceId]!).ins,
      mode,
    };
  }

  function statusFor(p: SandboxPatient | undefined, r: Requester): DmpStatus | undefined {
    if (!p) return undefined;
    return { exists: true, authorization: p.authorizations[r.professionalId] ?? 'NON_EXISTE', oppositions: { ...p.oppositions } };
  }

  /** The real DMP's read rule: a valid authorisation, or break-glass / centre 15 without opposition. */
  function checkRead(r: Requester): SandboxPatient {
    if (r.role === SECRETARY_ROLE) throw new Fault('ROLE_NON_AUTORISE', 'Le secrétariat médical ne consulte pas le DMP');
    const p = store.patient(r.ins);
    if (!p) throw new Fault('PATIENT_INCONNU', 'DMP inexistant');
    const auth = p.authorizations[r.professionalId] ?? 'NON_EXISTE';
    if (auth === 'INTERDIT') throw new Fault('ACCES_INTERDIT', 'Professionnel bloqué par le patient');
    if (r.mode === 'bris_de_glace' && p.oppositions.brisDeGlace) throw new Fault('OPPOSITION_BRIS_DE_GLACE', 'Opposition du patient au bris de glace');
    if (r.mode === 'centre_15' && p.oppositions.centre15) throw new Fault('OPPOSITION_ACCES_URGENCE', 'Opposition du patient au centre 15');
    if (r.mode === 'normal' && auth !== 'VALIDE') throw new Fault('ACCES_NON_AUTORISE', 'Aucune autorisation valide');
    return p;
  }

  function visibleTo(e: StoredEntry, r: Requester): boolean {
    if (e.meta.status === 'deleted') return false;
    const masked = e.meta.confidentialityCodes.some((c) => c.code === 'MASQUE_PS' && c.codeSystem === VISIBILITY_CODE_SYSTEM);
    return !masked || e.authorStructure === r.structure;
  }

  /** An RPLC makes the replaced entry deprecated, as an XDS registry does. */
  function deprecate(e: StoredEntry): void {
    e.meta = { ...e.meta, status: 'deprecated' };
  }

  function withRepo(m: EntryMetadata): EntryMetadata {
    return { ...m, repositoryUniqueId: m.repositoryUniqueId ?? REPOSITORY_ID };
  }

  function queryResponse(body: Element, objects: (list: Element) => void): Element {
    const resp = add(body, NS.query, 'AdhocQueryResponse', { status: XDS.responseSuccess });
    objects(add(resp, NS.rim, 'RegistryObjectList'));
    return resp;
  }

  // Serialised ExtrinsicObject per stored entry: building and serialising ~50 entries per query
  // dominated the search time. Keyed by the metadata object and checked against its JSON, so any
  // change (RPLC, ITI-57, a test editing the store) rebuilds it.
  const eoCache = new WeakMap<EntryMetadata, { json: string; xml: string }>();
  function serializedEntry(e: StoredEntry): string {
    const json = JSON.stringify(e.meta);
    const hit = eoCache.get(e.meta);
    if (hit && hit.json === json) return hit.xml;
    const doc = newDocument(NS.rim, 'rim:RegistryObjectList');
    const xml = serialize(addExtrinsicObject(doc.documentElement!, withRepo(e.meta)));
    eoCache.set(e.meta, { json, xml });
    return xml;
  }

  /**
   * Entries to splice into the response: a comment marker stands for them in the DOM and is replaced
   * by the cached fragments after serialisation. Fragments are our own serializer's output (each
   * declares its namespaces), never outside text.
   */
  interface Splice {
    marker: string;
    fragments: string[];
  }
  let pendingSplice: Splice | undefined;
  function entriesResponse(out: Element, hits: StoredEntry[]): void {
    queryResponse(out, (list) => {
      const marker = `entries-${randomUUID()}`;
      list.appendChild(list.ownerDocument!.createComment(marker));
      pendingSplice = { marker, fragments: hits.map(serializedEntry) };
    });
  }
  function serializeResponse(doc: Document): string {
    const xml = serialize(doc);
    const splice = pendingSplice;
    pendingSplice = undefined;
    if (!splice) return xml;
    const token = `<!--${splice.marker}-->`;
    const at = xml.indexOf(token);
    if (at < 0) throw new Error('marqueur de réponse introuvable');
    return xml.slice(0, at) + splice.fragments.join('') + xml.slice(at + token.length);
  }

  function handleStoredQuery(req: Element, r: Requester, out: Element): void {
    const q = child(req, NS.rim, 'AdhocQuery');
    const id = attr(q, 'id');
    const slot = (name: string): string[] => (q ? slotValues(q, name).flatMap(parseQueryValue) : []);
    if (id === XDS.findDocuments) {
      const pid = slot('$XDSDocumentEntryPatientId')[0];
      const statuses = slot('$XDSDocumentEntryStatus');
      if (!pid || !statuses.length) throw new XdsFailure('XDSStoredQueryParamNumber', 'Paramètres $XDSDocumentEntryPatientId et $XDSDocumentEntryStatus requis');
      const ins = cxToIns(pid).ins;
      if (ins !== r.ins) throw new XdsFailure('XDSPatientIdDoesNotMatch', "L'INS de la requête diffère de celui du VIHF");
      checkRead(r);
      const classes = slot('$XDSDocumentEntryClassCode').map((c) => c.split('^')[0]);
      const types = slot('$XDSDocumentEntryTypeCode').map((c) => c.split('^')[0]);
      const from = slot('$XDSDocumentEntryCreationTimeFrom')[0];
      const to = slot('$XDSDocumentEntryCreationTimeTo')[0];
      const hits = store.state.entries.filter(
        (e) =>
          cxToIns(e.meta.patientCx).ins === ins &&
          statuses.includes(statusToUrn(e.meta.status)) &&
          visibleTo(e, r) &&
          (!classes.length || classes.includes(e.meta.classCode.code)) &&
          (!types.length || types.includes(e.meta.typeCode.code)) &&
          (!from || e.meta.creationTime >= from) &&
          (!to || e.meta.creationTime < to) &&
          // FindDocuments lists each document once, at its current metadata version;
          // older versions stay reachable by entryUUID (GetDocuments).
          !superseded(e),
      );
      entriesResponse(out, hits);
      return;
    }
    if (id === XDS.getDocuments) {
      const uuids = slot('$XDSDocumentEntryEntryUUID');
      if (!uuids.length) throw new XdsFailure('XDSStoredQueryParamNumber', 'Paramètre $XDSDocumentEntryEntryUUID requis');
      checkRead(r);
      const hits = uuids.map((u) => store.byEntryUUID(u)).filter((e): e is StoredEntry => !!e && cxToIns(e.meta.patientCx).ins === r.ins && visibleTo(e, r));
      entriesResponse(out, hits);
      return;
    }
    if (id === GET_ASSOCIATIONS) {
      const uuids = new Set(slot('$uuid'));
      checkRead(r);
      const hits = store.state.associations.filter((a) => uuids.has(a.source) || uuids.has(a.target));
      queryResponse(out, (list) => hits.forEach((a) => addAssociation(list, a.id, a.type, a.source, a.target)));
      return;
    }
    throw new XdsFailure('XDSUnknownStoredQuery', `Requête stockée inconnue : ${id ?? ''}`);
  }

  function registryResponse(out: Element, errors: { code: string; context: string }[] = []): Element {
    const rr = add(out, NS.rs, 'RegistryResponse', { status: errors.length ? XDS.responseFailure : XDS.responseSuccess });
    addRegistryErrorList(rr, errors);
    return rr;
  }

  function handleProvide(req: Element, r: Requester, parts: Map<string, MimePart>, out: Element): void {
    const sor = child(req, NS.lcm, 'SubmitObjectsRequest');
    const list = sor ? child(sor, NS.rim, 'RegistryObjectList') : undefined;
    if (!list) throw new XdsFailure('XDSRegistryMetadataError', 'RegistryObjectList absente');
    const eos = childElements(list, NS.rim, 'ExtrinsicObject');
    if (!eos.length) throw new XdsFailure('XDSMissingDocumentMetadata', 'Aucune fiche de document');
    const docs = new Map(childElements(req, NS.xds, 'Document').map((d) => [d.getAttribute('id') ?? '', d]));
    const assocs = childElements(list, NS.rim, 'Association');
    const pending: { meta: EntryMetadata; content: Buffer; rplc?: string; signature: boolean; symbolicId: string }[] = [];
    for (const eo of eos) {
      const meta = readEntryMetadata(eo);
      const symbolicId = eo.getAttribute('id') ?? '';
      const d = docs.get(meta.entryUUID);
      if (!d) throw new XdsFailure('XDSMissingDocument', `Document ${meta.entryUUID} absent du message`);
      const content = xopContent(d, parts);
      const ins = cxToIns(meta.patientCx).ins;
      if (ins !== r.ins) throw new XdsFailure('XDSPatientIdDoesNotMatch', "L'INS du document diffère de celui du VIHF");
      if (!store.patient(ins)) {
        if (options.lenient) store.upsertPatient({ ins });
        else throw new XdsFailure('XDSUnknownPatientId', `Patient inconnu : ${ins}`);
      }
      if (fault === 'duplicate-uniqueid' || store.byUniqueId(meta.uniqueId)) throw new XdsFailure('XDSDuplicateUniqueIdInRegistry', `uniqueId déjà enregistré : ${meta.uniqueId}`);
      const hash = createHash('sha1').update(content).digest('hex');
      if (meta.hash && meta.hash.toLowerCase() !== hash) throw new XdsFailure('XDSRepositoryMetadataError', 'Empreinte (hash) incorrecte');
      if (meta.size !== undefined && meta.size !== content.length) throw new XdsFailure('XDSRepositoryMetadataError', 'Taille (size) incorrecte');
      // Symbolic ids get a registry-assigned UUID, as an XDS registry does.
      if (!meta.entryUUID.startsWith('urn:uuid:')) meta.entryUUID = `urn:uuid:${randomUUID()}`;
      const rplc = assocs.find((a) => a.getAttribute('associationType') === XDS.rplc && a.getAttribute('sourceObject') === symbolicId);
      const target = rplc?.getAttribute('targetObject') ?? undefined;
      if (target) {
        const old = store.byEntryUUID(target);
        if (!old || old.meta.status !== 'approved') throw new XdsFailure('XDSRegistryMetadataError', 'Document remplacé introuvable ou non actif');
      }
      pending.push({
        meta: { ...meta, hash, size: content.length, repositoryUniqueId: REPOSITORY_ID, status: 'approved', submissionTime: dateToDtm(new Date()) },
        content,
        signature: meta.classCode.code === SIGNATURE_DOC.classCode.code,
        symbolicId,
        ...(target ? { rplc: target } : {}),
      });
    }
    const signatures = pending.filter((p) => p.signature);
    const documents = pending.filter((p) => !p.signature);
    if (!documents.length) throw new XdsFailure('XDSMissingDocumentMetadata', 'Aucun document de santé dans le lot');
    if (!options.lenient) {
      // TD2.1: the lot must carry one XAdES signature covering the lot and every document's bytes.
      if (signatures.length !== 1) throw new XdsFailure('SIGNATURE_LOT_INVALIDE', signatures.length ? 'Plusieurs signatures dans le lot' : 'Lot de soumission non signé');
      const sig = signatures[0]!;
      const ss = childElements(list, NS.rim, 'RegistryPackage')[0];
      const ssUniqueId = ss ? childElements(ss, NS.rim, 'ExternalIdentifier').find((e) => e.getAttribute('identificationScheme') === XDS.ssUniqueId)?.getAttribute('value') : undefined;
      if (!ss || !ssUniqueId) throw new XdsFailure('XDSRegistryMetadataError', 'Lot de soumission (RegistryPackage) sans uniqueId');
      const signs = assocs.some((a) => a.getAttribute('associationType') === SIGNS_ASSOCIATION && a.getAttribute('sourceObject') === sig.symbolicId && a.getAttribute('targetObject') === (ss.getAttribute('id') ?? ''));
      if (!signs) throw new XdsFailure('SIGNATURE_LOT_INVALIDE', 'Association « signs » de la signature vers le lot absente');
      try {
        verifySubmissionSignature(sig.content, {
          submissionSetUniqueId: ssUniqueId,
          documents: documents.map((d) => ({ uniqueId: d.meta.uniqueId, content: d.content })),
          trustedCertPems: options.trustedCertPems,
        });
      } catch (e) {
        throw new XdsFailure('SIGNATURE_LOT_INVALIDE', e instanceof Error ? e.message : 'Signature invalide');
      }
    }
    for (const p of pending) {
      if (p.rplc) deprecate(store.byEntryUUID(p.rplc)!);
      store.addEntry(p.meta, p.content, r.structure, p.rplc ? [{ id: `urn:uuid:${randomUUID()}`, type: XDS.rplc, source: p.meta.entryUUID, target: p.rplc }] : []);
    }
    registryResponse(out);
  }

  /**
   * ITI-57 UpdateDocumentSet. Two forms, as the DMP uses them:
   * - a new version of a DocumentEntry's metadata (TD3.3a/b visibility): the registry keeps the
   *   old version, now deprecated, and registers the new one (same logicalId, version + 1);
   * - an UpdateAvailabilityStatus association (TD3.3c/d): archive, un-archive, delete (author only).
   */
  function handleUpdate(req: Element, r: Requester, out: Element): void {
    checkRead(r);
    const list = child(req, NS.rim, 'RegistryObjectList');
    if (!list) throw new XdsFailure('XDSRegistryMetadataError', 'RegistryObjectList absente');
    const statusUpdate = childElements(list, NS.rim, 'Association').find((a) => a.getAttribute('associationType') === UPDATE_AVAILABILITY_STATUS);
    if (statusUpdate) {
      handleStatusUpdate(statusUpdate, r);
      registryResponse(out);
      return;
    }
    const eo = child(list, NS.rim, 'ExtrinsicObject');
    if (!eo) throw new XdsFailure('XDSRegistryMetadataError', 'Fiche de document absente');
    const meta = readEntryMetadata(eo);
    const lid = meta.logicalId ?? '';
    const current = latestVersion(lid, r.ins);
    if (!current || !visibleTo(current, r)) throw new XdsFailure('XDSMissingDocument', 'Document à mettre à jour introuvable');
    const assoc = childElements(list, NS.rim, 'Association').find((a) => a.getAttribute('targetObject') === meta.entryUUID);
    const prev = assoc ? slotValues(assoc, 'PreviousVersion')[0] : undefined;
    if (prev !== (current.meta.version ?? '1')) throw new XdsFailure('XDSMetadataVersionError', 'Version précédente incorrecte');
    if (meta.uniqueId !== current.meta.uniqueId || meta.patientCx !== current.meta.patientCx) throw new XdsFailure('XDSMetadataUpdateError', 'uniqueId et patient ne se modifient pas');
    if (!meta.entryUUID.startsWith('urn:uuid:') || store.byEntryUUID(meta.entryUUID)) throw new XdsFailure('XDSMetadataUpdateError', 'Nouvelle version sans entryUUID neuf');
    // Only the visibility is updatable here (TD3.3a/b); other fields stay as registered.
    const oldId = current.meta.entryUUID;
    const next: StoredEntry = {
      ...current,
      meta: { ...current.meta, entryUUID: meta.entryUUID, logicalId: lid, version: String(Number(current.meta.version ?? '1') + 1), confidentialityCodes: meta.confidentialityCodes, status: current.meta.status },
    };
    current.meta = { ...current.meta, logicalId: lid, version: current.meta.version ?? '1', status: 'deprecated' };
    // Document-level associations (RPLC) follow the document's current version.
    for (const a of store.state.associations) {
      if (a.source === oldId) a.source = meta.entryUUID;
      if (a.target === oldId) a.target = meta.entryUUID;
    }
    store.state.entries.push(next);
    store.save();
    registryResponse(out);
  }

  /** The current version of a logical document (ITI-57 keeps older ones, deprecated). */
  function latestVersion(logicalId: string, ins: string): StoredEntry | undefined {
    let best: StoredEntry | undefined;
    for (const e of store.state.entries) {
      if ((e.meta.logicalId ?? e.meta.entryUUID) !== logicalId || cxToIns(e.meta.patientCx).ins !== ins) continue;
      if (!best || Number(e.meta.version ?? '1') > Number(best.meta.version ?? '1')) best = e;
    }
    return best;
  }

  /** Is this entry an older metadata version, superseded by an ITI-57 update? */
  function superseded(e: StoredEntry): boolean {
    const lid = e.meta.logicalId;
    if (!lid) return false;
    const latest = latestVersion(lid, cxToIns(e.meta.patientCx).ins);
    return !!latest && latest !== e;
  }

  const STATUS_BY_URN = new Map<string, AvailabilityStatus>((['approved', 'deprecated', 'archived', 'deleted'] as AvailabilityStatus[]).map((st) => [statusToUrn(st), st]));

  function handleStatusUpdate(a: Element, r: Requester): void {
    const target = a.getAttribute('targetObject') ?? '';
    const original = STATUS_BY_URN.get(slotValues(a, 'OriginalStatus')[0] ?? '');
    const wanted = STATUS_BY_URN.get(slotValues(a, 'NewStatus')[0] ?? '');
    if (!original || !wanted) throw new XdsFailure('XDSMetadataUpdateError', 'OriginalStatus / NewStatus absents ou inconnus');
    const e = store.byEntryUUID(target);
    if (!e || cxToIns(e.meta.patientCx).ins !== r.ins || !visibleTo(e, r)) throw new XdsFailure('XDSUnresolvedReferenceException', `Document introuvable : ${target}`);
    if (e.meta.status !== original) throw new XdsFailure('XDSMetadataUpdateError', `Statut actuel différent de OriginalStatus (${statusToUrn(e.meta.status)})`);
    const allowed =
      (original === 'approved' && wanted === 'archived') ||
      (original === 'archived' && wanted === 'approved') ||
      (wanted === 'deleted' && original !== 'deleted');
    if (!allowed) throw new XdsFailure('XDSMetadataUpdateError', `Passage de ${original} à ${wanted} non autorisé`);
    // TD3.3d: only the author (its structure) deletes a document.
    if (wanted === 'deleted' && e.authorStructure !== r.structure) throw new XdsFailure('AUTEUR_REQUIS', 'Seul l’auteur du document peut le supprimer');
    e.meta = { ...e.meta, status: wanted };
    store.save();
  }

  function handleRetrieve(req: Element, r: Requester, out: Element): MimePart[] {
    checkRead(r);
    const resp = add(out, NS.xds, 'RetrieveDocumentSetResponse');
    const rr = add(resp, NS.rs, 'RegistryResponse', { status: XDS.responseSuccess });
    const parts: MimePart[] = [];
    const errors: { code: string; context: string }[] = [];
    for (const dr of childElements(req, NS.xds, 'DocumentRequest')) {
      const uid = text(child(dr, NS.xds, 'DocumentUniqueId'));
      const repo = text(child(dr, NS.xds, 'RepositoryUniqueId'));
      const e = store.byUniqueId(uid);
      if (repo !== REPOSITORY_ID) {
        errors.push({ code: 'XDSUnknownRepositoryId', context: repo });
        continue;
      }
      if (!e || cxToIns(e.meta.patientCx).ins !== r.ins || !visibleTo(e, r)) {
        errors.push({ code: 'XDSDocumentUniqueIdError', context: uid });
        continue;
      }
      const cid = newContentId();
      const d = add(resp, NS.xds, 'DocumentResponse');
      add(d, NS.xds, 'RepositoryUniqueId', {}, REPOSITORY_ID);
      add(d, NS.xds, 'DocumentUniqueId', {}, uid);
      add(d, NS.xds, 'mimeType', {}, e.meta.mimeType);
      add(add(d, NS.xds, 'Document'), NS.xop, 'Include', { href: `cid:${encodeURIComponent(cid)}` });
      parts.push({ contentId: cid, contentType: e.meta.mimeType, data: store.content(e) });
    }
    if (errors.length) {
      rr.setAttribute('status', parts.length ? XDS.responsePartial : XDS.responseFailure);
      addRegistryErrorList(rr, errors);
    }
    return parts;
  }

  function dispatch(action: string, service: string, body: Element, r: Requester, parts: Map<string, MimePart>, out: Element): MimePart[] | undefined {
    if (ACTION_SERVICE[action] !== service) throw new Fault('ActionNotSupported', `Action ${action} non servie par ${service}`);
    const payload = childElements(body)[0];
    if (!payload) throw new Fault('CorpsVide', 'Corps SOAP vide');
    try {
      switch (action) {
        case 'urn:hl7-org:v3:PRPA_IN201307UV02': {
          const q = readTd02Request(body);
          if (!q) throw new Fault('RequeteInvalide', 'patientIdentifier absent');
          if (q.ins !== r.ins) throw new Fault('RequeteInvalide', "L'INS de la requête diffère de celui du VIHF");
          addTd02Response(out, q.ins, q.root, statusFor(store.patient(q.ins), r), new Date());
          return undefined;
        }
        case 'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization': {
          if (r.role === SECRETARY_ROLE) throw new Fault('ROLE_NON_AUTORISE', 'Le secrétariat médical ne gère pas les autorisations');
          if (text(descendants(body, NS.hab, 'action')[0]) !== 'AJOUT') throw new Fault('RequeteInvalide', 'Action AJOUT attendue');
          const p = store.patient(r.ins);
          if (!p) throw new Fault('PATIENT_INCONNU', 'DMP inexistant');
          if (p.authorizations[r.professionalId] === 'INTERDIT') throw new Fault('ACCES_INTERDIT', 'Professionnel bloqué par le patient');
          store.upsertPatient({ ins: r.ins, authorizations: { [r.professionalId]: 'VALIDE' } });
          add(add(out, NS.hab, 'setAuthorizationResponse'), NS.hab, 'status', {}, 'OK');
          return undefined;
        }
        case 'urn:ihe:iti:2007:RegistryStoredQuery':
          if (payload.localName !== 'AdhocQueryRequest') throw new Fault('RequeteInvalide', 'AdhocQueryRequest attendue');
          handleStoredQuery(payload, r, out);
          return undefined;
        case 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b':
          if (payload.localName !== 'ProvideAndRegisterDocumentSetRequest') throw new Fault('RequeteInvalide', 'ProvideAndRegisterDocumentSetRequest attendue');
          handleProvide(payload, r, parts, out);
          return [];
        case 'urn:ihe:iti:2007:RetrieveDocumentSet':
          if (payload.localName !== 'RetrieveDocumentSetRequest') throw new Fault('RequeteInvalide', 'RetrieveDocumentSetRequest attendue');
          return handleRetrieve(payload, r, out);
        case 'urn:ihe:iti:2010:UpdateDocumentSet':
          if (payload.localName !== 'SubmitObjectsRequest') throw new Fault('RequeteInvalide', 'SubmitObjectsRequest attendue');
          handleUpdate(payload, r, out);
          return undefined;
        default:
          throw new Fault('ActionNotSupported', `Action inconnue : ${action}`);
      }
    } catch (e) {
      if (!(e instanceof XdsFailure)) throw e;
      while (out.firstChild) out.removeChild(out.firstChild);
      pendingSplice = undefined;
      if (action === 'urn:ihe:iti:2007:RegistryStoredQuery') {
        const resp = add(out, NS.query, 'AdhocQueryResponse', { status: XDS.responseFailure });
        addRegistryErrorList(resp, [{ code: e.errorCode, context: e.context }]);
      } else {
        registryResponse(out, [{ code: e.errorCode, context: e.context }]);
      }
      return action.includes('ProvideAndRegister') || action.includes('Retrieve') ? [] : undefined;
    }
  }

  function send(res: http.ServerResponse, status: number, contentType: string, body: Buffer): void {
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
    res.end(body);
  }

  function envelope(action: string, relatesTo: string | undefined): { doc: Document; body: Element } {
    const doc = newDocument(NS.soap, 'soap:Envelope');
    const header = add(doc.documentElement!, NS.soap, 'Header');
    add(header, NS.wsa, 'Action', {}, action);
    add(header, NS.wsa, 'MessageID', {}, `urn:uuid:${randomUUID()}`);
    if (relatesTo) add(header, NS.wsa, 'RelatesTo', {}, relatesTo);
    return { doc, body: add(doc.documentElement!, NS.soap, 'Body') };
  }

  function sendHostile(res: http.ServerResponse, mode: FaultMode): boolean {
    const xml = (s: string): void => send(res, 200, 'application/soap+xml; charset=UTF-8', Buffer.from(s, 'utf8'));
    if (mode === 'xxe') {
      xml('<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>&x;</r></soap:Body></soap:Envelope>');
      return true;
    }
    if (mode === 'billion-laughs') {
      const ents = ['<!ENTITY l0 "ha">'];
      for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
      xml(`<?xml version="1.0"?><!DOCTYPE e [${ents.join('')}]><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>&l9;</r></soap:Body></soap:Envelope>`);
      return true;
    }
    if (mode === 'oversize') {
      // 51 MB of well-formed SOAP, streamed: the client must stop reading at its cap.
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=UTF-8' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      res.write('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>');
      const pump = (): void => {
        while (sent < 51) {
          sent++;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('</r></soap:Body></soap:Envelope>');
      };
      res.on('error', () => undefined);
      pump();
      return true;
    }
    return false;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const service = url.pathname.startsWith(`${SERVICES_PATH}/`) ? url.pathname.slice(SERVICES_PATH.length + 1) : '';
    if (!['patients', 'habilitations', 'registry', 'repository'].includes(service)) {
      send(res, 404, 'text/plain; charset=utf-8', Buffer.from('Service DMP inconnu'));
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, 'text/plain; charset=utf-8', Buffer.from('POST attendu'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > maxRequest) {
        send(res, 413, 'text/plain; charset=utf-8', Buffer.from('Requête trop volumineuse'));
        req.destroy();
        return;
      }
      chunks.push(c);
    }
    const raw = Buffer.concat(chunks);
    if (latencyMs > 0 || fault === 'latency') await new Promise((r) => setTimeout(r, latencyMs || 2000));
    if (fault === '5xx' || (failRate > 0 && Math.random() < failRate)) {
      send(res, 503, 'text/html; charset=utf-8', Buffer.from('<html><body>Service Unavailable</body></html>'));
      return;
    }
    if (fault && sendHostile(res, fault)) return;

    try {
      const ctype = String(req.headers['content-type'] ?? '');
      const { type } = parseContentType(ctype);
      let rootXml: Buffer;
      let parts = new Map<string, MimePart>();
      if (type === 'multipart/related') {
        const mp = parseMultipart(ctype, raw);
        rootXml = mp.root.data;
        parts = mp.parts;
      } else if (type === 'application/soap+xml' || type === 'text/xml') {
        rootXml = raw;
      } else {
        throw new Fault('TypeContenuInvalide', `Type de contenu ${type} non accepté`);
      }
      const rootText = rootXml.toString('utf8');
      const doc = parseXml(rootText, { what: 'requête' });
      const env = doc.documentElement!;
      if (env.namespaceURI !== NS.soap || env.localName !== 'Envelope') throw new Fault('VersionMismatch', 'Enveloppe SOAP 1.2 attendue');
      const header = child(env, NS.soap, 'Header');
      const requestAction = text(header ? child(header, NS.wsa, 'Action') : undefined);
      const relatesTo = text(header ? child(header, NS.wsa, 'MessageID') : undefined) || undefined;
      if (!requestAction) throw new Fault('MessageAddressingHeaderRequired', 'wsa:Action absent');
      const body = child(env, NS.soap, 'Body');
      if (!body) throw new Fault('CorpsVide', 'Corps SOAP absent');
      const requester = readRequester(doc, rootText);
      if (fault === 'soap-fault') throw new Fault('ErreurInterne', 'Erreur interne simulée du DMP', 'Receiver');
      const responseAction = RESPONSE_ACTIONS[requestAction] ?? `${requestAction}Response`;
      const out = envelope(responseAction, relatesTo);
      if (fault === 'registry-error') {
        const isQuery = requestAction === 'urn:ihe:iti:2007:RegistryStoredQuery';
        const resp = isQuery ? add(out.body, NS.query, 'AdhocQueryResponse', { status: XDS.responseFailure }) : add(out.body, NS.rs, 'RegistryResponse', { status: XDS.responseFailure });
        addRegistryErrorList(resp, [{ code: 'XDSRegistryError', context: 'Erreur simulée du registre' }]);
        send(res, 200, 'application/soap+xml; charset=UTF-8', Buffer.from(serialize(out.doc), 'utf8'));
        return;
      }
      pendingSplice = undefined;
      const mtomParts = dispatch(requestAction, service, body, requester, parts, out.body);
      const xml = serializeResponse(out.doc);
      if (mtomParts) {
        const m = buildMtom(xml, responseAction, mtomParts);
        let payload = m.body;
        if (fault === 'malformed-mtom') payload = payload.subarray(0, Math.max(0, payload.length - 60));
        if (fault === 'reset') return resetMidway(res, m.contentType, payload);
        send(res, 200, m.contentType, payload);
      } else {
        const payload = Buffer.from(xml, 'utf8');
        if (fault === 'reset') return resetMidway(res, 'application/soap+xml; charset=UTF-8', payload);
        send(res, 200, `application/soap+xml; charset=UTF-8; action="${responseAction}"`, payload);
      }
    } catch (e) {
      const f =
        e instanceof Fault
          ? e
          : e instanceof DmpError
            ? new Fault('RequeteInvalide', e.message)
            : new Fault('ErreurInterne', 'Erreur interne du DMP de test', 'Receiver');
      if (!(e instanceof Fault) && !(e instanceof DmpError)) console.error('[dmp-sandbox] erreur interne :', (e as Error).message);
      const doc = buildFault(f.code, f.sub, f.reason);
      send(res, f.code === 'Sender' ? 400 : 500, 'application/soap+xml; charset=UTF-8', Buffer.from(serialize(doc), 'utf8'));
    }
  }

  function resetMidway(res: http.ServerResponse, contentType: string, payload: Buffer): void {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(payload.length) });
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      console.error('[dmp-sandbox] erreur :', e.message);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', Buffer.from('Erreur interne'));
      else res.destroy();
    });
  });
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
      fault = mode;
      if (ms !== undefined) latencyMs = ms;
    },
    setFailRate(rate) {
      failRate = rate;
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
    addDocument(cda, opts = {}) {
      const meta = readCdaMetadata(cda);
      if (!store.patient(meta.ins)) store.upsertPatient({ ins: meta.ins });
      if (store.byUniqueId(meta.uniqueId)) throw new DmpError('XDSDuplicateUniqueIdInRegistry', `Document déjà présent dans le DMP de test : ${meta.uniqueId}`);
      const m = cdaToEntryMetadata(cda, meta, {
        entryUUID: `urn:uuid:${randomUUID()}`,
        visibility: opts.visibility,
        status: opts.status ?? 'approved',
        repositoryUniqueId: REPOSITORY_ID,
        submissionTime: dateToDtm(opts.submissionTime ?? new Date()),
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
    },
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


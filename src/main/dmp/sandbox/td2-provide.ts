import { createHash, randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { xopContent } from '../mtom';
import { SIGNATURE_DOC, SIGNS_ASSOCIATION, verifySubmissionSignature } from '../xades';
import { XDS, cxToIns, readEntryMetadata, type EntryMetadata } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { NS, child, childElements } from '../xml';
import { REPOSITORY_ID, XdsFailure, registryResponse, type SandboxContext, type TransactionRequest } from './context';
import { deprecate } from './rules';

interface PendingEntry {
  meta: EntryMetadata;
  content: Buffer;
  rplc?: string;
  signature: boolean;
  symbolicId: string;
}

/** TD2.1 (ITI-41 ProvideAndRegisterDocumentSet-b): checks every entry and the lot's signature, then stores. */
export function handleProvide({ ctx, payload, r, parts, reply }: TransactionRequest): void {
  const { store } = ctx;
  const sor = child(payload, NS.lcm, 'SubmitObjectsRequest');
  const list = sor ? child(sor, NS.rim, 'RegistryObjectList') : undefined;
  if (!list) throw new XdsFailure('XDSRegistryMetadataError', 'RegistryObjectList absente');
  const eos = childElements(list, NS.rim, 'ExtrinsicObject');
  if (!eos.length) throw new XdsFailure('XDSMissingDocumentMetadata', 'Aucune fiche de document');
  const docs = new Map(childElements(payload, NS.xds, 'Document').map((d) => [d.getAttribute('id') ?? '', d]));
  const assocs = childElements(list, NS.rim, 'Association');
  const pending: PendingEntry[] = [];
  for (const eo of eos) {
    const meta = readEntryMetadata(eo);
    const symbolicId = eo.getAttribute('id') ?? '';
    const d = docs.get(meta.entryUUID);
    if (!d) throw new XdsFailure('XDSMissingDocument', `Document ${meta.entryUUID} absent du message`);
    const content = xopContent(d, parts);
    const ins = cxToIns(meta.patientCx).ins;
    if (ins !== r.ins) throw new XdsFailure('XDSPatientIdDoesNotMatch', "L'INS du document diffère de celui du VIHF");
    if (!store.patient(ins)) {
      if (ctx.lenient) store.upsertPatient({ ins });
      else throw new XdsFailure('XDSUnknownPatientId', `Patient inconnu : ${ins}`);
    }
    if (ctx.controls.fault === 'duplicate-uniqueid' || store.byUniqueId(meta.uniqueId)) throw new XdsFailure('XDSDuplicateUniqueIdInRegistry', `uniqueId déjà enregistré : ${meta.uniqueId}`);
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
      meta: { ...meta, hash, size: content.length, repositoryUniqueId: REPOSITORY_ID, status: 'approved', submissionTime: toXdsDtm(new Date()) },
      content,
      signature: meta.classCode.code === SIGNATURE_DOC.classCode.code,
      symbolicId,
      ...(target ? { rplc: target } : {}),
    });
  }
  const documents = pending.filter((p) => !p.signature);
  if (!documents.length) throw new XdsFailure('XDSMissingDocumentMetadata', 'Aucun document de santé dans le lot');
  if (!ctx.lenient) checkLotSignature(ctx, list, assocs, pending);
  for (const p of pending) {
    if (p.rplc) deprecate(store.byEntryUUID(p.rplc)!);
    store.addEntry(p.meta, p.content, r.structure, p.rplc ? [{ id: `urn:uuid:${randomUUID()}`, type: XDS.rplc, source: p.meta.entryUUID, target: p.rplc }] : []);
  }
  registryResponse(reply.out);
}

/** The lot must carry one XAdES signature covering the lot and every document's bytes. */
function checkLotSignature(ctx: SandboxContext, list: Element, assocs: Element[], pending: PendingEntry[]): void {
  const signatures = pending.filter((p) => p.signature);
  const documents = pending.filter((p) => !p.signature);
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
      trustedCertPems: ctx.trustedCertPems,
    });
  } catch (e) {
    throw new XdsFailure('SIGNATURE_LOT_INVALIDE', e instanceof Error ? e.message : 'Signature invalide');
  }
}

import type { Element } from '@xmldom/xmldom';
import type { AvailabilityStatus } from '../types';
import { cxToIns, readEntryMetadata, slotValues, statusToUrn } from '../xds';
import { NS, child, childElements } from '../xml';
import { XdsFailure, registryResponse, type Requester, type SandboxContext, type TransactionRequest } from './context';
import { checkRead, latestVersion, visibleTo } from './rules';
import type { StoredEntry } from './store';

const UPDATE_AVAILABILITY_STATUS = 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus';

/**
 * TD3.3 (ITI-57 UpdateDocumentSet). Two forms, as the DMP uses them:
 * - a new version of a DocumentEntry's metadata (TD3.3a/b visibility): the registry keeps the
 *   old version, now deprecated, and registers the new one (same logicalId, version + 1);
 * - an UpdateAvailabilityStatus association (TD3.3c/d): archive, un-archive, delete (author only).
 */
export function handleUpdate({ ctx, payload, r, reply }: TransactionRequest): void {
  const { store } = ctx;
  checkRead(store, r);
  const list = child(payload, NS.rim, 'RegistryObjectList');
  if (!list) throw new XdsFailure('XDSRegistryMetadataError', 'RegistryObjectList absente');
  const statusUpdate = childElements(list, NS.rim, 'Association').find((a) => a.getAttribute('associationType') === UPDATE_AVAILABILITY_STATUS);
  if (statusUpdate) {
    handleStatusUpdate(ctx, statusUpdate, r);
    registryResponse(reply.out);
    return;
  }
  const eo = child(list, NS.rim, 'ExtrinsicObject');
  if (!eo) throw new XdsFailure('XDSRegistryMetadataError', 'Fiche de document absente');
  const meta = readEntryMetadata(eo);
  const lid = meta.logicalId ?? '';
  const current = latestVersion(store, lid, r.ins);
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
  registryResponse(reply.out);
}

const STATUS_BY_URN = new Map<string, AvailabilityStatus>((['approved', 'deprecated', 'archived', 'deleted'] as AvailabilityStatus[]).map((st) => [statusToUrn(st), st]));

function handleStatusUpdate(ctx: SandboxContext, a: Element, r: Requester): void {
  const target = a.getAttribute('targetObject') ?? '';
  const original = STATUS_BY_URN.get(slotValues(a, 'OriginalStatus')[0] ?? '');
  const wanted = STATUS_BY_URN.get(slotValues(a, 'NewStatus')[0] ?? '');
  if (!original || !wanted) throw new XdsFailure('XDSMetadataUpdateError', 'OriginalStatus / NewStatus absents ou inconnus');
  const e = ctx.store.byEntryUUID(target);
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
  ctx.store.save();
}

import { randomUUID } from 'node:crypto';
import { visibilityCodes } from '../cda-metadata';
import { DmpError } from '../errors';
import { VISIBILITY_CODE_SYSTEM, type AvailabilityStatus, type DmpDocumentEntry, type DmpRequestContext, type VisibilityCode, type VisibilityUpdate } from '../types';
import { XDS, addAssociation, addExtrinsicObject, statusToUrn, toEntry, type EntryMetadata } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { NS, add } from '../xml';
import { ACTIONS, throwRegistryErrors, type DmpiLink } from './call';
import { getDocuments } from './reads';
import { addSubmissionSet, oidUnique } from './submission-set';

const UPDATE_AVAILABILITY_STATUS = 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus';

/** TD3.3a/b (ITI-57 metadata update): a new version of the entry with other visibility codes. */
export async function updateVisibility(link: DmpiLink, ctx: DmpRequestContext, update: VisibilityUpdate): Promise<DmpDocumentEntry> {
  const [current] = await getDocuments(link, ctx, [update.entryUUID]);
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
  const resp = await link.call(ctx, 'registry', ACTIONS.iti57, (body) => {
    const sor = add(body, NS.lcm, 'SubmitObjectsRequest');
    const list = add(sor, NS.rim, 'RegistryObjectList');
    addSubmissionSet(link, list, ctx, current.patientId, ssId, oidUnique(), current.classCode ?? { code: '10' });
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
}

/**
 * TD3.3c/d (ITI-57 "Update DocumentEntry availabilityStatus"): a submission set and an
 * UpdateAvailabilityStatus association carrying OriginalStatus and NewStatus.
 */
export async function setStatus(link: DmpiLink, ctx: DmpRequestContext, entryUUID: string, from: AvailabilityStatus | undefined, to: AvailabilityStatus): Promise<DmpDocumentEntry> {
  const [current] = await getDocuments(link, ctx, [entryUUID]);
  if (!current) throw new DmpError('XDSMissingDocument', "Le document n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents.");
  if (from && current.availabilityStatus !== from) {
    const what = to === 'archived' ? 'archivé' : 'désarchivé';
    throw new DmpError('DMP_INVALID_INPUT', `Ce document ne peut pas être ${what} : son statut actuel est « ${current.availabilityStatus} ». Actualisez la liste des documents.`);
  }
  const ssId = 'SubmissionSet01';
  const resp = await link.call(ctx, 'registry', ACTIONS.iti57, (body) => {
    const sor = add(body, NS.lcm, 'SubmitObjectsRequest');
    const list = add(sor, NS.rim, 'RegistryObjectList');
    addSubmissionSet(link, list, ctx, current.patientId, ssId, oidUnique(), current.classCode ?? { code: '10' });
    addAssociation(list, 'UpdateStatus01', UPDATE_AVAILABILITY_STATUS, ssId, current.entryUUID, {
      OriginalStatus: statusToUrn(current.availabilityStatus),
      NewStatus: statusToUrn(to),
    });
  }, { idempotent: false, mtom: false });
  throwRegistryErrors(resp);
  return { ...current, availabilityStatus: to };
}

/** Back from the typed entry to writable metadata (ITI-57 re-sends every field). */
function entryToMetadata(e: DmpDocumentEntry): EntryMetadata {
  const dtm = (iso?: string): string | undefined => (iso ? toXdsDtm(new Date(iso)) : undefined);
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

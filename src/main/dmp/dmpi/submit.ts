import { createHash, randomUUID } from 'node:crypto';
import { cdaToEntryMetadata, readCdaMetadata, visibilityCodes } from '../cda-metadata';
import { DmpError } from '../errors';
import { newContentId } from '../mtom';
import type { DmpRequestContext, SubmitOptions, SubmitResult } from '../types';
import { SIGNATURE_DOC, SIGNS_ASSOCIATION } from '../xades';
import { XDS, addAssociation, addExtrinsicObject, type EntryMetadata } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { NS, add } from '../xml';
import { ACTIONS, throwRegistryErrors, type DmpiLink } from './call';
import { addSubmissionSet, authorXcn, oidUnique } from './submission-set';

/** TD2.1 (ITI-41 ProvideAndRegisterDocumentSet-b): one CDA and the lot's XAdES signature. */
export async function submit(link: DmpiLink, ctx: DmpRequestContext, cda: Buffer, options: SubmitOptions = {}): Promise<SubmitResult> {
  const meta = readCdaMetadata(cda);
  if (meta.ins !== ctx.ins) {
    throw new DmpError('DMP_INVALID_INPUT', "L'INS du document CDA ne correspond pas au patient sélectionné : envoi annulé.");
  }
  const entryUUID = `urn:uuid:${randomUUID()}`;
  const m = cdaToEntryMetadata(cda, meta, { entryUUID, visibility: options.visibility, ...(options.title ? { title: options.title } : {}) });
  const ssId = 'SubmissionSet01';
  const ssUniqueId = oidUnique();
  const cid = newContentId();
  // The lot carries its XAdES signature as a document of its own (see xades.ts).
  const signingTime = link.clock();
  const signatureXml = await link.signLot({ submissionSetUniqueId: ssUniqueId, documents: [{ uniqueId: m.uniqueId, content: cda }], signingTime });
  const signature = Buffer.from(signatureXml, 'utf8');
  const sigUUID = `urn:uuid:${randomUUID()}`;
  const sigCid = newContentId();
  const sigMeta = signatureEntryMetadata(ctx, m, sigUUID, oidUnique(), signature, signingTime);
  const resp = await link.call(ctx, 'repository', ACTIONS.iti41, (body) => {
    const req = add(body, NS.xds, 'ProvideAndRegisterDocumentSetRequest');
    const sor = add(req, NS.lcm, 'SubmitObjectsRequest');
    const list = add(sor, NS.rim, 'RegistryObjectList');
    addSubmissionSet(link, list, ctx, m.patientCx, ssId, ssUniqueId, m.classCode);
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
}

/**
 * DocumentEntry of the lot's signature (IHE DSG as the DMP uses it, see xades.ts): same patient,
 * facility and practice as the signed document, masked to professionals and invisible to the patient.
 */
function signatureEntryMetadata(ctx: DmpRequestContext, doc: EntryMetadata, entryUUID: string, uniqueId: string, signature: Buffer, at: Date): EntryMetadata {
  const now = toXdsDtm(at);
  const person = authorXcn(ctx);
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

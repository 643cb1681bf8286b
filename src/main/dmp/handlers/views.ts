import type { DmpEntry, DmpRetrieved } from '../../../shared/bridge/methods-dmp';
import type { DmpDocumentEntry, DmpPerson, RetrievedDocument } from '../types';

function personName(p: DmpPerson | undefined): string | undefined {
  if (!p) return undefined;
  const name = [p.given, p.family].filter(Boolean).join(' ').trim();
  return name || p.raw || undefined;
}

/** The gateway's entry, reduced to what the panel shows and filters on (no patient CX). */
export function toEntryView(e: DmpDocumentEntry): DmpEntry {
  const author = e.authors[0];
  const view: DmpEntry = {
    entryUUID: e.entryUUID,
    uniqueId: e.uniqueId,
    repositoryUniqueId: e.repositoryUniqueId,
    title: e.title,
    mimeType: e.mimeType,
    visibility: [...e.visibility],
    availabilityStatus: e.availabilityStatus,
    patientAuthored: e.patientAuthored,
  };
  const opt: Partial<DmpEntry> = {
    comments: e.comments,
    typeCode: e.typeCode,
    classCode: e.classCode,
    formatCode: e.formatCode,
    practiceSettingCode: e.practiceSettingCode,
    creationTime: e.creationTime,
    serviceStartTime: e.serviceStartTime,
    serviceStopTime: e.serviceStopTime,
    submissionTime: e.submissionTime,
    author: personName(author?.person),
    authorSpecialty: author?.specialty,
    organisation: e.organisation,
    legalAuthenticator: e.legalAuthenticator,
    size: e.size,
    replacedBy: e.replacedBy,
    replaces: e.replaces,
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (view as Record<string, unknown>)[k] = v;
  return view;
}

function isXml(mimeType: string): boolean {
  return /(^|\/|\+)xml(;|$)/i.test(mimeType.trim());
}

/** A retrieved document as it crosses the bridge: CDA as text, anything else (PDF, image) as base64. */
export function toRetrieved(doc: RetrievedDocument): DmpRetrieved {
  const xml = isXml(doc.mimeType);
  return {
    uniqueId: doc.uniqueId,
    mimeType: doc.mimeType,
    encoding: xml ? 'text' : 'base64',
    content: xml ? doc.content.toString('utf8') : doc.content.toString('base64'),
    size: doc.content.length,
  };
}

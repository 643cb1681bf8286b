// Plain-data model of a CDA R2 document (ANS CI-SIS flavour). Everything here is
// serialisable data: no DOM nodes, so it crosses workers, react-query caches and tests.

export interface CdaIdentifier {
  root?: string;
  extension?: string;
  assigningAuthorityName?: string;
  nullFlavor?: string;
}

export interface CdaCode {
  code?: string;
  codeSystem?: string;
  codeSystemName?: string;
  displayName?: string;
  /** originalText, with `<reference value="#id"/>` resolved against the narrative. */
  originalText?: string;
  nullFlavor?: string;
  translations: CdaCode[];
}

/** An HL7 TS value, split into its parts; `raw` is kept as written. */
export interface CdaTime {
  raw: string;
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** "+0100" as written, when present. */
  timezone?: string;
  /** ISO 8601 form when the value is a valid date ("1979-03-28", "2019-12-03T13:30:00+01:00"). */
  iso?: string;
}

export interface CdaInterval {
  value?: CdaTime;
  low?: CdaTime;
  high?: CdaTime;
  nullFlavor?: string;
}

export interface CdaPersonName {
  prefixes: string[];
  givens: string[];
  families: string[];
  suffixes: string[];
  /** Human display, e.g. "Dr Charles DAVID". */
  display: string;
}

export interface CdaTelecom {
  value: string;
  use?: string;
}

export interface CdaOrganization {
  ids: CdaIdentifier[];
  name?: string;
  telecoms: CdaTelecom[];
  addressLines: string[];
  /** standardIndustryClassCode (cadre d'exercice). */
  industryClass?: CdaCode;
}

/** assignedEntity / assignedAuthor / associatedEntity, normalised. */
export interface CdaAssignedEntity {
  ids: CdaIdentifier[];
  /** Profession / specialty. */
  code?: CdaCode;
  person?: CdaPersonName;
  organization?: CdaOrganization;
  addressLines: string[];
  telecoms: CdaTelecom[];
  /** assignedAuthoringDevice: software that authored the document. */
  device?: string;
}

export type InsKind = 'INS-NIR' | 'INS-NIA' | 'INS-NIR de test' | 'INS-NIR de démonstration';

export interface CdaIns {
  value: string;
  oid: string;
  kind: InsKind;
}

export interface CdaBirthplace {
  /** INSEE code of the birth commune (CI-SIS puts it in addr/county). */
  inseeCode?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  name?: string;
}

export interface CdaPatient {
  /** "DOMINIQUE PAT-TROIS": used given name and used family name, falling back to birth traits. */
  display: string;
  ids: CdaIdentifier[];
  ins: CdaIns[];
  /** Nom de naissance (family qualifier BR, else the first unqualified family). */
  birthFamilyName?: string;
  /** Prénoms de l'acte de naissance (unqualified given). */
  birthGivenNames?: string;
  /** Premier prénom de l'acte de naissance (given qualifier BR). */
  firstBirthGivenName?: string;
  /** Nom utilisé (family CL, else SP). */
  usedFamilyName?: string;
  /** Prénom utilisé (given CL). */
  usedGivenName?: string;
  names: CdaPersonName[];
  sex?: { code: string; label: string };
  birthDate?: CdaTime;
  deceased?: boolean;
  deathDate?: CdaTime;
  birthplace?: CdaBirthplace;
  addressLines: string[];
  telecoms: CdaTelecom[];
}

export interface CdaAuthor {
  time?: CdaTime;
  entity: CdaAssignedEntity;
}

export interface CdaLegalAuthenticator {
  time?: CdaTime;
  signatureCode?: string;
  entity: CdaAssignedEntity;
}

export interface CdaParticipant {
  typeCode?: string;
  functionCode?: CdaCode;
  time?: CdaInterval;
  entity: CdaAssignedEntity;
}

export interface CdaEncounter {
  ids: CdaIdentifier[];
  code?: CdaCode;
  effectiveTime?: CdaInterval;
  location?: {
    ids: CdaIdentifier[];
    /** healthCareFacility code (modalité d'exercice / type d'établissement). */
    facilityCode?: CdaCode;
    name?: string;
    addressLines: string[];
  };
  responsible?: CdaAssignedEntity;
}

export interface CdaServiceEvent {
  ids: CdaIdentifier[];
  code?: CdaCode;
  effectiveTime?: CdaInterval;
  performers: { typeCode?: string; entity: CdaAssignedEntity }[];
}

export interface CdaRelatedDocument {
  typeCode?: string;
  parentIds: CdaIdentifier[];
}

export interface CdaHeader {
  id?: CdaIdentifier;
  code?: CdaCode;
  title?: string;
  effectiveTime?: CdaTime;
  confidentiality?: CdaCode;
  language?: string;
  setId?: CdaIdentifier;
  version?: number;
  templateIds: string[];
  patient?: CdaPatient;
  authors: CdaAuthor[];
  custodian?: CdaOrganization;
  legalAuthenticator?: CdaLegalAuthenticator;
  participants: CdaParticipant[];
  recipients: CdaAssignedEntity[];
  encounter?: CdaEncounter;
  serviceEvents: CdaServiceEvent[];
  relatedDocuments: CdaRelatedDocument[];
}

// ---- Narrative block (section/text) ---------------------------------------------------

/** Style codes kept from styleCode; anything else is dropped (never used as a class name). */
export type CdaStyle =
  | 'bold'
  | 'italics'
  | 'underline'
  | 'emphasis'
  | 'lrule'
  | 'rrule'
  | 'toprule'
  | 'botrule';

export type NarrativeNode =
  | { type: 'text'; text: string }
  | { type: 'paragraph'; styles: CdaStyle[]; caption?: NarrativeNode[]; children: NarrativeNode[] }
  | { type: 'content'; styles: CdaStyle[]; revised?: 'insert' | 'delete'; children: NarrativeNode[] }
  | { type: 'list'; ordered: boolean; caption?: NarrativeNode[]; items: NarrativeNode[][] }
  | NarrativeTable
  | { type: 'br' }
  | { type: 'sub'; children: NarrativeNode[] }
  | { type: 'sup'; children: NarrativeNode[] }
  | { type: 'footnote'; id?: string; children: NarrativeNode[] }
  | { type: 'footnoteRef'; idref?: string }
  /** linkHtml: kept inert; href is shown, never followed. */
  | { type: 'link'; href?: string; safeScheme: boolean; children: NarrativeNode[] }
  /** renderMultiMedia resolved to an embedded image (data URI of png/jpeg/gif only). */
  | { type: 'image'; objectId: string; mediaType: CdaImageType; dataUri: string; caption?: NarrativeNode[] }
  /** renderMultiMedia that is not shown inline: PDF (shown as attachment), external, unsupported, missing. */
  | {
      type: 'media';
      objectId: string;
      mediaType?: string;
      status: 'pdf' | 'external' | 'unsupported' | 'missing' | 'invalid';
      /** External reference as written (never fetched). */
      reference?: string;
      caption?: NarrativeNode[];
    }
  | { type: 'unknown'; name: string; text?: string }
  | { type: 'truncated' };

export type CdaImageType = 'image/png' | 'image/jpeg' | 'image/gif';

export interface NarrativeTable {
  type: 'table';
  caption?: NarrativeNode[];
  groups: NarrativeTableGroup[];
}

export interface NarrativeTableGroup {
  kind: 'thead' | 'tbody' | 'tfoot';
  rows: NarrativeTableRow[];
}

export interface NarrativeTableRow {
  cells: NarrativeTableCell[];
}

export interface NarrativeTableCell {
  header: boolean;
  colSpan?: number;
  rowSpan?: number;
  styles: CdaStyle[];
  children: NarrativeNode[];
}

// ---- Coded entries ------------------------------------------------------------------

export interface CdaEntry {
  /** Element local name: observation, act, substanceAdministration, organizer, … */
  kind: string;
  /** typeCode of the enclosing entry / entryRelationship / component. */
  relationType?: string;
  classCode?: string;
  moodCode?: string;
  negated: boolean;
  templateIds: string[];
  ids: CdaIdentifier[];
  code?: CdaCode;
  /** Narrative text of the entry (text/reference resolved). */
  text?: string;
  statusCode?: string;
  effectiveTime?: CdaInterval;
  /** Human display of value(s). */
  value?: string;
  valueCode?: CdaCode;
  interpretation?: CdaCode;
  referenceRange?: string;
  participants: { typeCode?: string; code?: CdaCode; name?: string }[];
  /** substanceAdministration / supply: the product. */
  product?: { name?: string; code?: CdaCode };
  dose?: string;
  frequency?: string;
  route?: CdaCode;
  /** entryRelationship and organizer components. */
  children: CdaEntry[];
}

export interface CdaAttachment {
  /** observationMedia ID. */
  id?: string;
  mediaType?: string;
  bytes?: Uint8Array;
  /** External reference as written; never fetched. */
  reference?: string;
  error?: string;
}

export interface CdaSection {
  id?: CdaIdentifier;
  code?: CdaCode;
  title?: string;
  templateIds: string[];
  text: NarrativeNode[];
  entries: CdaEntry[];
  /** observationMedia found in this section's entries (PDF copy, images). */
  attachments: CdaAttachment[];
  /** Section coded LOINC 55108-5 "Copie du document" (PDF copy of a level-3 document). */
  isPdfCopy: boolean;
  sections: CdaSection[];
}

export type CdaBody =
  | { kind: 'structured'; sections: CdaSection[] }
  | {
      kind: 'nonXml';
      mediaType?: string;
      bytes?: Uint8Array;
      /** text/plain bodies (inline, or base64 decoded as UTF-8). */
      plainText?: string;
      /** png/jpeg/gif bodies whose bytes match their declared type, as a data URI. */
      imageDataUri?: string;
      reference?: string;
      error?: string;
    }
  | { kind: 'none' };

export interface CdaDocument {
  header: CdaHeader;
  body: CdaBody;
  /** 1 for nonXMLBody, 3 for structuredBody (2 is not told apart from 3 here). */
  level?: 1 | 3;
  /** Non-fatal problems, in French, for display. */
  warnings: string[];
}

export type CdaParseResult = { ok: true; document: CdaDocument } | { ok: false; error: string };

/** Data shapes and the gateway interface of the DMP operations (DOMAIN.md §2–3). */

export type AccessMode = 'normal' | 'bris_de_glace' | 'centre_15';
export type AuthorizationStatus = 'NON_EXISTE' | 'INTERDIT' | 'EXPIRE' | 'VALIDE';
export type AvailabilityStatus = 'approved' | 'deprecated' | 'archived' | 'deleted';
export type VisibilityCode = 'MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX';

export const VISIBILITY_CODE_SYSTEM = '1.2.250.1.213.1.1.4.13';
export const ACCESS_MODE_CODE_SYSTEM = '1.2.250.1.213.1.1.4.248';

/** The professional the request is made for (authenticated by the hospital software). */
export interface DmpUser {
  id: string;
  name: string;
  role: string;
  rpps?: string;
  /** Profession code (TRE_G15, e.g. "10" médecin); derived from the role when absent. */
  professionCode?: string;
}

/** Everything the VIHF needs for one request. */
export interface DmpRequestContext {
  user: DmpUser;
  /** INS-NIR (15 characters) of the patient. */
  ins: string;
  accessMode: AccessMode;
}

export interface Coded {
  code: string;
  codeSystem?: string;
  display?: string;
}

export interface DmpPerson {
  id?: string;
  family?: string;
  given?: string;
  /** XCN as carried in XDS, kept for display when parsing fails. */
  raw: string;
}

export interface DmpOrganisation {
  name: string;
  id?: string;
  raw: string;
}

export interface DmpAuthor {
  person?: DmpPerson;
  institutions: DmpOrganisation[];
  role?: string;
  specialty?: string;
}

/** One XDS DocumentEntry, typed with every field the DMP panel shows or filters on. */
export interface DmpDocumentEntry {
  entryUUID: string;
  uniqueId: string;
  repositoryUniqueId: string;
  logicalId?: string;
  version?: string;
  patientId: string;
  title: string;
  comments?: string;
  mimeType: string;
  typeCode?: Coded;
  classCode?: Coded;
  formatCode?: Coded;
  healthcareFacilityTypeCode?: Coded;
  practiceSettingCode?: Coded;
  eventCodes: Coded[];
  confidentialityCodes: Coded[];
  /** Visibility flags extracted from confidentialityCodes (OID 1.2.250.1.213.1.1.4.13). */
  visibility: VisibilityCode[];
  availabilityStatus: AvailabilityStatus;
  /** ISO 8601 UTC strings parsed from XDS DTM (YYYYMMDD[hhmm[ss]]). */
  creationTime?: string;
  serviceStartTime?: string;
  serviceStopTime?: string;
  submissionTime?: string;
  authors: DmpAuthor[];
  /** First author institution, the "organisation" column of the panel. */
  organisation?: string;
  legalAuthenticator?: DmpPerson;
  languageCode?: string;
  size?: number;
  hash?: string;
  /** entryUUID of the entry that replaced this one (RPLC targeting us). */
  replacedBy?: string;
  /** entryUUID of the entry this one replaces. */
  replaces?: string;
  /** classCode 90: written by the patient. */
  patientAuthored: boolean;
}

export interface DmpStatus {
  /** Does a DMP exist for this INS. */
  exists: boolean;
  authorization: AuthorizationStatus;
  oppositions: { brisDeGlace: boolean; centre15: boolean };
}

export interface FindDocumentsQuery {
  statuses?: AvailabilityStatus[];
  classCodes?: string[];
  typeCodes?: string[];
  creationFrom?: Date;
  creationTo?: Date;
}

export interface RetrievedDocument {
  uniqueId: string;
  repositoryUniqueId: string;
  mimeType: string;
  content: Buffer;
}

export interface VisibilityUpdate {
  entryUUID: string;
  /** TD3.3a: hide from / show to professionals. */
  maskedToProfessionals?: boolean;
  /** TD3.3b: hide from / show to the patient. */
  invisibleToPatient?: boolean;
  invisibleToLegalRepresentatives?: boolean;
}

export interface SubmitOptions {
  /** Visibility chosen at feed time. */
  visibility?: VisibilityCode[];
  /** entryUUID of the document this one replaces (RPLC). */
  replaces?: string;
  /** Override of the derived title. */
  title?: string;
}

export interface SubmitResult {
  entryUUID: string;
  uniqueId: string;
  submissionSetUniqueId: string;
}

/** The DMP operations, one method per transaction (DOMAIN.md §3). */
export interface DmpGateway {
  /** TD0.2: DMP existence, authorisation status and oppositions. */
  getStatus(ctx: DmpRequestContext): Promise<DmpStatus>;
  /** TD0.3: adds the access authorisation ("AJOUT"). Only after explicit patient consent. */
  addAuthorization(ctx: DmpRequestContext): Promise<void>;
  /** TD3.1 ITI-18 FindDocuments (LeafClass). */
  findDocuments(ctx: DmpRequestContext, query?: FindDocumentsQuery): Promise<DmpDocumentEntry[]>;
  /** TD3.1 ITI-18 GetDocuments by entryUUID. */
  getDocuments(ctx: DmpRequestContext, entryUUIDs: string[]): Promise<DmpDocumentEntry[]>;
  /** TD3.2 ITI-43 RetrieveDocumentSet. */
  retrieve(ctx: DmpRequestContext, ref: { repositoryUniqueId: string; uniqueId: string }): Promise<RetrievedDocument>;
  /** TD3.3a/b ITI-57 metadata update of the visibility codes. */
  updateVisibility(ctx: DmpRequestContext, update: VisibilityUpdate): Promise<DmpDocumentEntry>;
  /** TD2.1 ITI-41 ProvideAndRegisterDocumentSet-b of one CDA. */
  submit(ctx: DmpRequestContext, cda: Buffer, options?: SubmitOptions): Promise<SubmitResult>;
  /** TD3.3c ITI-57 availability status → Archived (out of the default view, still in the DMP). */
  archive(ctx: DmpRequestContext, entryUUID: string): Promise<DmpDocumentEntry>;
  /** Archived → Approved again (ITI-57 availability status). */
  unarchive(ctx: DmpRequestContext, entryUUID: string): Promise<DmpDocumentEntry>;
  /** TD3.3d ITI-57 availability status → Deleted; the DMP accepts it from the document's author only. */
  deleteDocument(ctx: DmpRequestContext, entryUUID: string): Promise<void>;
}

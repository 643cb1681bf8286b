/**
 * Every error code that crosses the bridge, declared once: main's dispatcher, handlers and DMP
 * layer answer with them, and the renderer switches on them exhaustively (a new code does not
 * compile until each mapping says what it means).
 */

/** The dispatcher's and handlers' codes. */
export const GENERAL_ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'LOCKED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

/** What the DMP layer refuses or fails at (main/dmp/errors.ts), and the DMP handlers' own refusals. */
export const DMP_ERROR_CODES = [
  // transport
  'DMP_TIMEOUT',
  'DMP_UNREACHABLE',
  'DMP_CONNECTION_RESET',
  'DMP_HTTP_ERROR',
  'DMP_RESPONSE_TOO_LARGE',
  'DMP_RESPONSE_INVALID',
  'DMP_XML_HOSTILE',
  'DMP_MTOM_INVALID',
  // SOAP / DMP faults
  'DMP_SOAP_FAULT',
  'DMP_VIHF_REJECTED',
  'DMP_ACCESS_DENIED',
  'DMP_PATIENT_UNKNOWN',
  // XDS registry errors (IHE ITI TF-3 Table 4.2.4.1-2)
  'XDSUnknownPatientId',
  'XDSRegistryError',
  'XDSRepositoryError',
  'XDSDuplicateUniqueIdInRegistry',
  'XDSMissingDocument',
  'XDSMissingDocumentMetadata',
  'XDSPatientIdDoesNotMatch',
  'XDSRegistryMetadataError',
  'XDSUnknownRepositoryId',
  'XDSDocumentUniqueIdError',
  'XDSRegistryBusy',
  'XDSStoredQueryParamNumber',
  'XDSError',
  // local consent enforcement and input checks
  'DMP_CONSENT_REQUIRED',
  'DMP_AUTHORIZATION_FORBIDDEN',
  'DMP_PATIENT_OPPOSED',
  'DMP_ROLE_FORBIDDEN',
  'DMP_JUSTIFICATION_REQUIRED',
  'DMP_EXPLICIT_CONSENT_REQUIRED',
  'DMP_NO_DMP',
  'DMP_INVALID_INPUT',
  'DMP_CDA_INVALID',
  'DMP_CONFIG_INVALID',
  // TD2.1 submission-set signature (XAdES) refused
  'DMP_SIGNATURE_INVALID',
  // TD3.3c/d: only the author may delete
  'DMP_NOT_AUTHOR',
  // the DMP handlers: identity checks before any call
  'DMP_INS_NOT_QUALIFIED',
  'DMP_INS_OID_REFUSED',
  'DMP_PATIENT_MISMATCH',
] as const;

export const ERROR_CODES = [...GENERAL_ERROR_CODES, ...DMP_ERROR_CODES] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type DmpErrorCode = (typeof DMP_ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

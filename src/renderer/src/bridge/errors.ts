import type { ErrorCode } from '../../../shared/bridge/errors';

/**
 * What a refused call means for the screen, for every code: `session` (the session ended or
 * locked: re-read it), `transient` (worth retrying), `refused` (a rule said no), `invalid` (what
 * was sent is wrong), `failed` (something broke). A Record, so a new code must be placed here.
 */
export type ErrorKind = 'session' | 'transient' | 'refused' | 'invalid' | 'failed';

export const ERROR_KIND: Record<ErrorCode, ErrorKind> = {
  INVALID_INPUT: 'invalid',
  UNKNOWN_METHOD: 'failed',
  UNAUTHENTICATED: 'session',
  FORBIDDEN: 'refused',
  LOCKED: 'session',
  NOT_FOUND: 'invalid',
  CONFLICT: 'refused',
  UNAVAILABLE: 'transient',
  TIMEOUT: 'transient',
  INTERNAL: 'failed',
  DMP_TIMEOUT: 'transient',
  DMP_UNREACHABLE: 'transient',
  DMP_CONNECTION_RESET: 'transient',
  DMP_HTTP_ERROR: 'failed',
  DMP_RESPONSE_TOO_LARGE: 'failed',
  DMP_RESPONSE_INVALID: 'failed',
  DMP_XML_HOSTILE: 'failed',
  DMP_MTOM_INVALID: 'failed',
  DMP_SOAP_FAULT: 'failed',
  DMP_VIHF_REJECTED: 'failed',
  DMP_ACCESS_DENIED: 'refused',
  DMP_PATIENT_UNKNOWN: 'refused',
  XDSUnknownPatientId: 'refused',
  XDSRegistryError: 'failed',
  XDSRepositoryError: 'failed',
  XDSDuplicateUniqueIdInRegistry: 'refused',
  XDSMissingDocument: 'invalid',
  XDSMissingDocumentMetadata: 'invalid',
  XDSPatientIdDoesNotMatch: 'invalid',
  XDSRegistryMetadataError: 'invalid',
  XDSUnknownRepositoryId: 'invalid',
  XDSDocumentUniqueIdError: 'invalid',
  XDSRegistryBusy: 'transient',
  XDSStoredQueryParamNumber: 'failed',
  XDSError: 'failed',
  DMP_CONSENT_REQUIRED: 'refused',
  DMP_AUTHORIZATION_FORBIDDEN: 'refused',
  DMP_PATIENT_OPPOSED: 'refused',
  DMP_ROLE_FORBIDDEN: 'refused',
  DMP_JUSTIFICATION_REQUIRED: 'invalid',
  DMP_EXPLICIT_CONSENT_REQUIRED: 'invalid',
  DMP_NO_DMP: 'refused',
  DMP_INVALID_INPUT: 'invalid',
  DMP_CDA_INVALID: 'invalid',
  DMP_CONFIG_INVALID: 'failed',
  DMP_SIGNATURE_INVALID: 'failed',
  DMP_NOT_AUTHOR: 'refused',
  DMP_INS_NOT_QUALIFIED: 'refused',
  DMP_INS_OID_REFUSED: 'refused',
  DMP_PATIENT_MISMATCH: 'refused',
};

/** The session ended or locked: the screen re-reads it instead of showing a stale one. */
export function endsSession(code: ErrorCode): boolean {
  return ERROR_KIND[code] === 'session';
}

/** The signed local audit journal (issue 4): what the host wires. */
export { openJournal, type Journal, type JournalOptions, type InclusionProof, type ConsistencyProof, type RecoveryReport } from './journal';
export { verifyJournal, type VerifyOptions, type VerifyResult } from './verify';
export { exportJournal, type ExportOptions, type ExportResult } from './export';
export { createJournalAuditPort } from './port';
export { createPemSigner, createPkcs12Signer, type Signer, type WorkerSigner } from './signer';
export { toFhirAuditEvent, toFhirBundle } from './fhir';
export { keyIdFromCertificatePem, type Checkpoint } from './checkpoint';
export { AuditInputError, validateAuditInput, serializeEntry, type JournalEntry } from './entry';
export type { JournalQuery, QueryResult } from './query';
export { verifyInclusion, verifyConsistency, leafHash, ProofError } from './merkle';

import type { DmpAccessMode } from '../../../../shared/bridge/methods-dmp';

/** Every DMP query lives under ['dmp', …]: memory only, dropped on patient switch, lock and sign-out. */
export const dmpKeys = {
  all: ['dmp'] as const,
  emergency: ['dmp', 'emergency-access'] as const,
  /** Every patient's DMP data: the prefix a patient switch clears. */
  patients: ['dmp', 'patient'] as const,
  patient: (patientId: string) => ['dmp', 'patient', patientId] as const,
  status: (patientId: string) => ['dmp', 'patient', patientId, 'status'] as const,
  documents: (patientId: string, mode: DmpAccessMode) => ['dmp', 'patient', patientId, 'documents', mode] as const,
  document: (patientId: string, mode: DmpAccessMode, uniqueId: string) => ['dmp', 'patient', patientId, 'document', mode, uniqueId] as const,
};

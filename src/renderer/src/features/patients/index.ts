export { PatientSearch } from './PatientSearch';
export { NewPatientForm } from './NewPatientForm';
export { ageAt, displayName, SEX_LABEL, toPatientRef } from './patient-ref';
export { recordDb } from './record-db';
export { patientKeys } from './keys';

export { DmpPanel, type DmpPanelProps } from './DmpPanel';
export { DmpEmergencyBanner, useDmpEmergencyAccesses, type DmpEmergencyAccess } from './emergency';
export { useDmpAlerts, type DmpAlerts } from './alerts';
export { useDmpPatientScope } from './queries';
export { isRecentExam } from './document-filters';
export { dmpKeys } from './keys';
export type { DmpPatient, DmpIntegration } from './types';

export * from './bundle';
export * from './batch';
export { LIMITS, frenchIssue } from '../../../../shared/fhir/schemas';
export { MappingError, decodeContent } from '../../../../shared/fhir/map';

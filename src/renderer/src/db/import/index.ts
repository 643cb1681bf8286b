export * from './bundle';
export * from './batch';
export { LIMITS, frenchIssue } from './fhir-schemas';
export { MappingError, decodeContent } from './map';

export * from './generate';
export * from './fhir-types';
export * from './prng';

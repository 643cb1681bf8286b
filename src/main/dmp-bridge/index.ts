export { createDmpHandlers, type DmpHandlers, type DmpHandlerDeps } from './handlers';
export { createDmpRuntime, type DmpRuntime, type DmpRuntimeDeps, type DmpEndpoint } from './runtime';
export { DEMO_DMP_PATIENTS, type DemoDmpPatient } from '../../shared/demo/dmp-patients';

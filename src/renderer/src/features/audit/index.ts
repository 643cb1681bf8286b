export { AuditWorkspace } from './AuditWorkspace';
export { downloadBlob } from './download';

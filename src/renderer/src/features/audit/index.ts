export { AuditWorkspace } from './AuditWorkspace';
export { base64ToBytes, downloadBlob } from './download';

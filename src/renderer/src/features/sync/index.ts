export { SyncIndicator } from './SyncIndicator';
export { FirstReplicaProgress } from './FirstReplicaProgress';
export { ReplicaStrip } from './ReplicaStrip';
export { syncClient, useSyncClientState, useSyncRunner } from './client';
export { syncKeys } from './keys';

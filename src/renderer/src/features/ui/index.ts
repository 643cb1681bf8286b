export { VirtualList, virtualRowId, nextIndex, type VirtualListHandle, type VirtualListProps } from './VirtualList';
export { Dialog, type DialogProps } from './Dialog';

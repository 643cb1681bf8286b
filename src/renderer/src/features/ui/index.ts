export { VirtualList, virtualRowId, nextIndex, type VirtualListHandle, type VirtualListProps } from './VirtualList';

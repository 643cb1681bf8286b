export * from './dom';
export * from './parse';

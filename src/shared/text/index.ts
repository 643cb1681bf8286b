export * from './normalise';
export * from './query';

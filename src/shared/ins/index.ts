export * from './nir';
export * from './oids';
export * from './identity-status';

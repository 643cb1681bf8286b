// The roles are declared in shared/authz/roles.ts; the contract's modules import them from here too.
export { ROLES, ROLE_LABELS, type Role } from '../authz/roles';

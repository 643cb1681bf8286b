import type { Role } from './roles';

/**
 * The authorisation matrix: role × bridge method × patient scope.
 * The contract says which roles may call each method; this file says how a
 * patient-scoped call is judged. Main evaluates it on every call
 * (src/main/session/authorizer.ts); the renderer uses it only to hide what
 * would be refused anyway.
 */

/** Where the patient stands relative to the caller. */
export type PatientScopeFact = 'in_unit' | 'break_glass' | 'out_of_unit';

export type Decision = { allow: true } | { allow: false; reason: 'role' | 'scope' };

export function judge(allowedRoles: 'public' | readonly Role[], role: Role | null, scope: 'none' | 'patient', fact: PatientScopeFact | null): Decision {
  if (allowedRoles === 'public') return { allow: true };
  if (!role || !allowedRoles.includes(role)) return { allow: false, reason: 'role' };
  if (scope === 'none') return { allow: true };
  if (fact === 'in_unit' || fact === 'break_glass') return { allow: true };
  return { allow: false, reason: 'scope' };
}

/**
 * Where the patient stands, from main's own care index (in care in one of the caller's units)
 * and the caller's open break-glass grant for exactly that patient; never from the call.
 */
export function patientScopeFact(inCareInUserUnits: boolean, breakGlassActive: boolean): PatientScopeFact {
  if (inCareInUserUnits) return 'in_unit';
  return breakGlassActive ? 'break_glass' : 'out_of_unit';
}

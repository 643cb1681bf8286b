import type { z } from 'zod';
import type { ErrorCode } from './errors';
import type { Role } from './roles';

/**
 * Who may call a method:
 * - 'public': anyone, even before sign-in (app info, login itself);
 * - a list of roles: only a signed-in user holding one of them.
 */
export type Access = 'public' | readonly Role[];

/**
 * Whether a call concerns one patient. 'patient' methods carry the patient in
 * their input (`patient`, a PatientRef), and main checks the caller's unit scope (or an
 * active local break-glass) before running them.
 */
export type PatientScope = 'none' | 'patient';

/** A refusal with its own code and French message, for when the domain says more than "your role does not allow this". */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, A extends Access = Access, S extends PatientScope = PatientScope> {
  input: I;
  output: O;
  access: A;
  scope: S;
  /** What a role outside `access` is told; the authorizer's generic refusal otherwise. */
  roleRefusal?: (role: Role, input: z.output<I>) => Refusal;
  /** One line saying what the method does, in English, for the method index. */
  summary: string;
  /**
   * Largest serialised input accepted, bytes; DEFAULT_MAX_INPUT_BYTES when absent. Both transports refuse
   * a larger call before parsing it, so a method that carries files says so here.
   */
  maxInputBytes?: number;
  /**
   * A background poll (replication, sync status): it does not count as the user's activity, so a
   * renderer polling every few seconds cannot keep an unattended session from locking.
   */
  passive?: true;
}

/** Every bridge input today is a few fields; the largest, a personal certificate, declares its own cap. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

/**
 * Identity helper that keeps the literal types of each method's schemas, access and
 * scope: main types each handler's authorised context from them (public, signed-in, patient).
 */
export function method<I extends z.ZodType, O extends z.ZodType, A extends Access, S extends PatientScope>(spec: MethodSpec<I, O, A, S>): MethodSpec<I, O, A, S> {
  return spec;
}

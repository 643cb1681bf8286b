import type { z } from 'zod';
import type { Contract, MethodName } from '../../shared/bridge/contract';
import type { Caller, PatientAccess } from '../session/context';

/** Who is calling: one renderer (an Electron window, or a page of the browser host). */
export interface CallContext {
  /** Stable for the life of that renderer; sessions are keyed by it. */
  clientId: string;
  transport: 'ipc' | 'http';
}

/** A call the authorizer let through for a signed-in, unlocked user. */
export interface SignedInCall extends CallContext {
  caller: Caller;
}

/** A patient-scoped call: the authorizer also decided on what grounds this patient may be seen. */
export interface PatientCall extends SignedInCall {
  patient: PatientAccess;
}

export type AuthorisedCall = CallContext | SignedInCall | PatientCall;

/** What a handler receives, derived from its contract entry: the session is resolved once, by the authorizer. */
export type CallFor<M extends MethodName> = Contract[M]['access'] extends 'public'
  ? CallContext
  : Contract[M]['scope'] extends 'patient'
    ? PatientCall
    : SignedInCall;

export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type HandlerOutput<M extends MethodName> = z.input<Contract[M]['output']>;

export type Handler<M extends MethodName> = (input: HandlerInput<M>, call: CallFor<M>) => Promise<HandlerOutput<M>>;

/** One handler per contract method: a missing one does not compile. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** A slice of the handlers, written by one service (the methods of one namespace of the contract). */
export type HandlerSlice<P extends string> = { [M in MethodName as M extends `${P}.${string}` ? M : never]: Handler<M> };

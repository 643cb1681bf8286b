import type { z } from 'zod';
import type { Contract, MethodName } from '../../shared/bridge/contract';

/** Who is calling: one renderer (an Electron window, or a page of the browser host). */
export interface CallContext {
  /** Stable for the life of that renderer; sessions are keyed by it. */
  clientId: string;
  transport: 'ipc' | 'http';
}

export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type HandlerOutput<M extends MethodName> = z.input<Contract[M]['output']>;

export type Handler<M extends MethodName> = (input: HandlerInput<M>, ctx: CallContext) => Promise<HandlerOutput<M>>;

/** One handler per contract method: a missing one does not compile. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** A slice of the handlers, written by one service. */
export type HandlerSlice<P extends string> = { [M in MethodName as M extends `${P}.${string}` ? M : never]: Handler<M> };

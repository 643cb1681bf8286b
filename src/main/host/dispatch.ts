import type { z } from 'zod';
import { contract, isMethodName, type MethodName } from '../../shared/bridge/contract';
import { BridgeFailure, fail, ok, type Result } from '../../shared/bridge/result';
import type { AuthorisedCall, CallContext, Handlers } from './handlers';
import type { Logger } from './logger';

/**
 * Decides whether a validated call may run: the authorised call (caller and patient
 * grounds resolved once) for its handler, or the typed error to answer. Implemented
 * by the session service (authorisation matrix); it also records denied calls.
 */
export type Authorizer = (method: MethodName, input: unknown, ctx: CallContext) => Promise<Result<AuthorisedCall>>;

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Données invalides.';
  const where = first.path.length ? ` (champ « ${first.path.join('.')} »)` : '';
  return `Données invalides${where} : ${first.message}`;
}

/**
 * The single entry point of every bridge call, whatever the transport.
 * Never throws: unknown methods, bad payloads, denials and handler errors all
 * come back as typed error results, so one bad call cannot take the host down.
 */
export function createDispatcher(handlers: Handlers, authorize: Authorizer, logger: Logger) {
  return async function dispatch(methodName: unknown, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isMethodName(methodName)) {
      return fail('UNKNOWN_METHOD', 'Opération inconnue.');
    }
    const spec = contract[methodName];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) {
      return fail('INVALID_INPUT', describeIssues(parsed.error));
    }
    try {
      const authorised = await authorize(methodName, parsed.data, ctx);
      if (!authorised.ok) return authorised;
      // The authorizer built the call this method's contract entry promises its handler.
      const handler = handlers[methodName] as (input: unknown, call: AuthorisedCall) => Promise<unknown>;
      const value = await handler(parsed.data, authorised.value);
      const out = spec.output.safeParse(value);
      if (!out.success) {
        // Our own bug: say so plainly, log the shape problem (no data values).
        logger.error('handler output failed its schema', { method: methodName, issues: out.error.issues.map((i) => i.path.join('.')) });
        return fail('INTERNAL', 'Erreur interne du poste : réponse non conforme. Réessayez ; si cela persiste, contactez le support.');
      }
      return ok(out.data);
    } catch (err) {
      if (err instanceof BridgeFailure) return fail(err.code, err.message);
      logger.error('handler failed', { method: methodName, error: err instanceof Error ? err.name + ': ' + err.message : String(err) });
      return fail('INTERNAL', 'Erreur interne du poste. Réessayez ; si cela persiste, contactez le support.');
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

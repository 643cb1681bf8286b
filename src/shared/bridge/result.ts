import type { ErrorCode } from './errors';

export type { ErrorCode } from './errors';

/** Every bridge answer: a value, or a typed error with a French message for the user. */
export interface BridgeError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: BridgeError['code'], message: string): { ok: false; error: BridgeError } => ({
  ok: false,
  error: { code, message },
});

/** Thrown by handlers to answer a typed error instead of INTERNAL. */
export class BridgeFailure extends Error {
  constructor(
    readonly code: BridgeError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'BridgeFailure';
  }
}

import { buildApi, type BridgeApi, type MethodName } from '../../../shared/bridge/contract';
import type { ErrorCode, Result } from '../../../shared/bridge/result';
import { createHttpInvoke, createTokenSource } from './http';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser. */
    api?: BridgeApi;
  }
}

/**
 * The one `api` object of the renderer. Under Electron it is the preload's
 * `window.api` (IPC); in a browser it is the HTTP transport of the browser
 * host, built from the same contract. Features never know which.
 */
function pickApi(): { api: BridgeApi; transport: 'ipc' | 'http' } {
  if (typeof window !== 'undefined' && window.api) return { api: window.api, transport: 'ipc' };
  return { api: buildApi(createHttpInvoke(createTokenSource(document, sessionStorageOrNull()))), transport: 'http' };
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: each load signs in again
  }
}

const picked = pickApi();
export const api: BridgeApi = picked.api;
export const transport = picked.transport;

/** Unwraps a result for react-query: errors become exceptions carrying the French message. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function unwrap<T>(promise: Promise<Result<T>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

export type { MethodName };
export { ERROR_KIND, endsSession, type ErrorKind } from './errors';

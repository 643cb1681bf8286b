import './zod-fr';
import type { z } from 'zod';
import { appMethods } from './methods-app';
import { auditMethods } from './methods-audit';
import { dmpMethods } from './methods-dmp';
import { outboxMethods } from './methods-outbox';
import { recordMethods } from './methods-record';
import { sessionMethods } from './methods-session';
import { syncMethods } from './methods-sync';
import { usersMethods } from './methods-users';
import { DEFAULT_MAX_INPUT_BYTES, type MethodSpec } from './define';
import type { Result } from './result';

/**
 * The bridge contract: every method the renderer may call, declared once.
 * The preload's `window.api`, main's IPC handlers and the browser host's HTTP
 * routes are all derived from this object; adding a method is one entry here
 * plus its handler in the host core.
 */
export const contract = {
  ...appMethods,
  ...sessionMethods,
  ...usersMethods,
  ...recordMethods,
  ...outboxMethods,
  ...auditMethods,
  ...dmpMethods,
  ...syncMethods,
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The input size a method accepts (its own cap or the default); the default for a name outside the contract. */
export function maxInputBytes(name: string): number {
  const spec: MethodSpec | undefined = isMethodName(name) ? contract[name] : undefined;
  return spec?.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
}

/** The IPC channel every bridge call travels on under Electron. */
export const BRIDGE_CHANNEL = 'workstation:bridge';

type Namespace<N extends string> = N extends `${infer NS}.${string}` ? NS : never;
type Member<N extends string, NS extends string> = N extends `${NS}.${infer M}` ? M : never;

/** `window.api`: one async function per method, grouped by namespace (api.app.info()). */
export type BridgeApi = {
  [NS in Namespace<MethodName>]: {
    [M in Member<MethodName, NS>]: `${NS}.${M}` extends infer K extends MethodName
      ? (input: MethodInput<K>) => Promise<Result<MethodOutput<K>>>
      : never;
  };
};

/** Builds the nested api object from a single transport function. */
export function buildApi(invoke: (method: MethodName, input: unknown) => Promise<unknown>): BridgeApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of METHOD_NAMES) {
    const dot = name.indexOf('.');
    const ns = name.slice(0, dot);
    const member = name.slice(dot + 1);
    (api[ns] ??= {})[member] = (input: unknown) => invoke(name, input ?? {});
  }
  return api as unknown as BridgeApi;
}

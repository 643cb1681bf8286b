import type { Element } from '@xmldom/xmldom';
import type { MimePart } from '../mtom';
import type { AccessMode } from '../types';
import type { VerifiedVihf } from '../vihf';
import { XDS, addRegistryErrorList } from '../xds';
import { NS, add } from '../xml';
import type { SandboxStore } from './store';

export type FaultMode =
  | 'latency'
  | '5xx'
  | 'soap-fault'
  | 'reset'
  | 'duplicate-uniqueid'
  | 'registry-error'
  | 'xxe'
  | 'billion-laughs'
  | 'oversize'
  | 'element-flood'
  | 'malformed-mtom';

export const FAULT_MODES: FaultMode[] = ['latency', '5xx', 'soap-fault', 'reset', 'duplicate-uniqueid', 'registry-error', 'xxe', 'billion-laughs', 'oversize', 'element-flood', 'malformed-mtom'];

export const REPOSITORY_ID = '1.2.250.1.213.4.1.1.2.99';

/** What every transaction handler reads: the store and the sandbox's current settings. */
export interface SandboxContext {
  store: SandboxStore;
  /** Skip the VIHF signature check; open a DMP for an unknown patient on feeding. */
  lenient: boolean;
  trustedCertPems: string[];
  /** Injected faults, changed while the sandbox runs (setFault, setFailRate). */
  controls: FaultControls;
}

export interface FaultControls {
  fault: FaultMode | undefined;
  latencyMs: number;
  /** Probability (0–1) of answering HTTP 503. */
  failRate: number;
}

/** The professional and patient a request is made for, read from its VIHF. */
export interface Requester {
  vihf: VerifiedVihf;
  professionalId: string;
  structure: string;
  role: string;
  ins: string;
  mode: AccessMode;
}

/**
 * One response being built. Query hits are spliced in after serialisation: a comment marker stands
 * for them in the DOM and is replaced by cached fragments (see td3-query.ts).
 */
export interface Reply {
  out: Element;
  splice?: { marker: string; fragments: string[] };
}

/** What a transaction handler receives. */
export interface TransactionRequest {
  ctx: SandboxContext;
  body: Element;
  /** The first element of the SOAP Body. */
  payload: Element;
  r: Requester;
  parts: Map<string, MimePart>;
  reply: Reply;
}

/** A SOAP fault the handler raises; becomes HTTP 500 + soap:Fault as SOAP 1.2 requires. */
export class Fault extends Error {
  constructor(readonly sub: string, readonly reason: string, readonly code: 'Sender' | 'Receiver' = 'Sender') {
    super(reason);
  }
}

/** XDS errors travel inside a normal response (RegistryResponse status Failure). */
export class XdsFailure extends Error {
  constructor(readonly errorCode: string, readonly context: string) {
    super(context);
  }
}

export function registryResponse(out: Element, errors: { code: string; context: string }[] = []): Element {
  const rr = add(out, NS.rs, 'RegistryResponse', { status: errors.length ? XDS.responseFailure : XDS.responseSuccess });
  addRegistryErrorList(rr, errors);
  return rr;
}

import { buildApi, type BridgeApi } from '../../../../src/shared/bridge/contract';
import { dmpMethods, type DmpEntry, type DmpStatusView } from '../../../../src/shared/bridge/methods-dmp';
import type { ErrorCode, Result } from '../../../../src/shared/bridge/result';

export interface Call {
  method: string;
  input: Record<string, unknown>;
}

/**
 * A fake DMP behind the real contract's `window.api`: every call is validated against
 * the method's input schema (a malformed call fails the test) and logged.
 */
export function createFakeDmp() {
  const calls: Call[] = [];
  const state = {
    status: null as DmpStatusView | null,
    entries: [] as DmpEntry[],
    contents: new Map<string, { mimeType: string; encoding: 'text' | 'base64'; content: string }>(),
    failures: new Map<string, { code: ErrorCode; message: string }>(),
  };
  const invoke = async (method: string, input: unknown): Promise<Result<unknown>> => {
    const spec = (dmpMethods as Record<string, { input: { parse(i: unknown): unknown } }>)[method];
    if (!spec) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' } };
    spec.input.parse(input);
    calls.push({ method, input: input as Record<string, unknown> });
    const failure = state.failures.get(method);
    if (failure) return { ok: false, error: failure };
    const i = input as Record<string, unknown>;
    switch (method) {
      case 'dmp.status':
        return { ok: true, value: state.status };
      case 'dmp.consent':
        return { ok: true, value: { access: { mode: 'normal', source: 'td03_added' } } };
      case 'dmp.refuse':
        return { ok: true, value: { recorded: true, seq: 7 } };
      case 'dmp.emergencyAccess':
        return { ok: true, value: { access: { mode: i.mode, source: i.mode }, oppositions: { brisDeGlace: false, centre15: false } } };
      case 'dmp.documents':
        return { ok: true, value: { entries: state.entries } };
      case 'dmp.retrieve':
      case 'dmp.integrate': {
        const id = (i.document as { uniqueId: string }).uniqueId;
        const c = state.contents.get(id);
        if (!c) return { ok: false, error: { code: 'XDSMissingDocument', message: 'Le document demandé n’existe pas (ou plus) dans le DMP.' } };
        return { ok: true, value: { uniqueId: id, size: c.content.length, ...c, ...(method === 'dmp.integrate' ? { seq: 12 } : {}) } };
      }
      default:
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' } };
    }
  };
  const api: BridgeApi = buildApi(invoke as (m: string, i: unknown) => Promise<unknown>);
  return { api, calls, state, methods: () => calls.map((c) => c.method) };
}

export const QUALIFIED = (over: Partial<Extract<DmpStatusView, { insQualified: true }>> = {}): DmpStatusView => ({
  insQualified: true,
  exists: true,
  authorization: 'NON_EXISTE',
  oppositions: { brisDeGlace: false, centre15: false },
  access: null,
  regulation: false,
  environment: { test: true, label: 'DMP de test' },
  ...over,
});

let n = 0;
export function entry(over: Partial<DmpEntry> = {}): DmpEntry {
  n++;
  return {
    entryUUID: `urn:uuid:e-${n}`,
    uniqueId: `1.2.3.${n}`,
    repositoryUniqueId: '1.2.250.1.213.4.1.1.2.99',
    title: `Document ${n}`,
    mimeType: 'text/xml',
    typeCode: { code: '11490-0', display: 'Lettre de liaison' },
    visibility: [],
    availabilityStatus: 'approved',
    creationTime: '2024-03-01T10:00:00.000Z',
    author: 'Claire MARTIN',
    organisation: 'CHU de démonstration',
    patientAuthored: false,
    ...over,
  };
}

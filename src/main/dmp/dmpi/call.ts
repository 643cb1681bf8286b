import type { Element } from '@xmldom/xmldom';
import { DmpError, xdsError } from '../errors';
import { TD02_ACTION } from '../hl7v3';
import { buildMtom } from '../mtom';
import { buildEnvelope, readSoapResponse, type SoapResponse } from '../soap';
import type { Transport } from '../transport';
import type { DmpRequestContext } from '../types';
import type { VihfConfig } from '../vihf';
import type { SubmissionSignatureInput } from '../xades';
import { XDS, addSlot, readRegistryErrors } from '../xds';
import { NS, add, child, serialize } from '../xml';
import type { VihfCache } from './vihf-cache';

export type DmpServiceName = 'patients' | 'habilitations' | 'registry' | 'repository';

export const ACTIONS = {
  td02: TD02_ACTION,
  td03: 'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization',
  iti18: 'urn:ihe:iti:2007:RegistryStoredQuery',
  iti41: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  iti43: 'urn:ihe:iti:2007:RetrieveDocumentSet',
  iti57: 'urn:ihe:iti:2010:UpdateDocumentSet',
} as const;

export interface CallOptions {
  /** Idempotent reads (TD0.2, ITI-18, ITI-43) are retried on network errors and 5xx. */
  idempotent: boolean;
  mtom: boolean;
  attachments?: { cid: string; contentType: string; data: Buffer }[];
}

/** One SOAP exchange with a DMP service: envelope, VIHF, transport, retries. */
export type SoapCall = (ctx: DmpRequestContext, service: DmpServiceName, action: string, fill: (body: Element) => void, opts: CallOptions) => Promise<SoapResponse>;

export type LotToSign = Omit<SubmissionSignatureInput, 'keyPem' | 'certPem'>;

/** What every transaction needs: the SOAP call and the establishment's settings. */
export interface DmpiLink {
  call: SoapCall;
  clock: () => Date;
  /** OID of the INS-NIR in the patient CX of queries and TD0.2. */
  insOid: string;
  vihf: VihfConfig;
  /** XDS sourceId of the submissions (the establishment's OID). */
  sourceId: string | undefined;
  /** XAdES signature of a submission set (TD2.1). */
  signLot: (input: LotToSign) => Promise<string>;
}

const RETRYABLE = new Set(['DMP_TIMEOUT', 'DMP_UNREACHABLE', 'DMP_CONNECTION_RESET', 'DMP_HTTP_ERROR', 'XDSRegistryBusy']);

export function createSoapCall(cfg: {
  baseUrl: string;
  transport: Transport;
  vihfs: VihfCache;
  retries: number;
  retryBaseMs: number;
  maxResponseBytes?: number;
}): SoapCall {
  return async (ctx, service, action, fill, opts) => {
    const to = `${cfg.baseUrl}/${service}`;
    let attempt = 0;
    for (;;) {
      try {
        // A fresh envelope per attempt: MessageID and IssueInstant must not be replayed.
        const { doc, body } = buildEnvelope(action, to, await cfg.vihfs.get(ctx));
        fill(body);
        const xml = serialize(doc);
        let payload: Buffer;
        let contentType: string;
        if (opts.mtom) {
          const m = buildMtom(xml, action, (opts.attachments ?? []).map((a) => ({ contentId: a.cid, contentType: a.contentType, data: a.data })));
          payload = m.body;
          contentType = m.contentType;
        } else {
          payload = Buffer.from(xml, 'utf8');
          contentType = `application/soap+xml; charset=UTF-8; action="${action}"`;
        }
        const res = await cfg.transport.post(to, payload, contentType, action);
        return readSoapResponse(res, cfg.maxResponseBytes);
      } catch (e) {
        if (e instanceof DmpError && e.code === 'DMP_VIHF_REJECTED') cfg.vihfs.drop(ctx);
        if (!opts.idempotent || attempt >= cfg.retries || !(e instanceof DmpError) || !RETRYABLE.has(e.code)) throw e;
        attempt++;
        await new Promise((r) => setTimeout(r, cfg.retryBaseMs * 2 ** (attempt - 1)));
      }
    }
  };
}

/** XDS failures travel inside a normal response: turned into the DmpError of the first blocking one. */
export function throwRegistryErrors(resp: SoapResponse): void {
  const { status, errors } = readRegistryErrors(resp.body);
  const blocking = errors.filter((e) => e.severity === XDS.severityError);
  if (status === XDS.responseFailure || blocking.length) {
    const first = blocking[0] ?? errors[0];
    throw first ? xdsError(first.errorCode, first.codeContext) : new DmpError('XDSRegistryError', 'Le DMP a refusé la requête sans préciser la raison.');
  }
}

/** ITI-18 Registry Stored Query, checked for an AdhocQueryResponse without errors. */
export async function storedQuery(call: SoapCall, ctx: DmpRequestContext, queryId: string, slots: Record<string, string>): Promise<SoapResponse> {
  const resp = await call(ctx, 'registry', ACTIONS.iti18, (body) => {
    const req = add(body, NS.query, 'AdhocQueryRequest');
    add(req, NS.query, 'ResponseOption', { returnComposedObjects: 'true', returnType: 'LeafClass' });
    const q = add(req, NS.rim, 'AdhocQuery', { id: queryId });
    for (const [name, value] of Object.entries(slots)) addSlot(q, name, [value]);
  }, { idempotent: true, mtom: false });
  if (!child(resp.body, NS.query, 'AdhocQueryResponse')) {
    throw new DmpError('DMP_RESPONSE_INVALID', 'La réponse du DMP à la recherche de documents est incomplète (AdhocQueryResponse absente).');
  }
  throwRegistryErrors(resp);
  return resp;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStructure, parseXmlStrict, XmlRefusal, DEFAULT_MAX_ELEMENTS } from '../../../../src/shared/xml';
import { parseCda } from '../../../../src/shared/cda';
import { createCdaParser } from '../../../../src/main/dmp/cda-parser';
import { SERVICES_PATH } from '../../../../src/main/dmp/sandbox/http';
import { ctx, rejection, startHarness, type Harness } from './helpers';

/**
 * The review's XML amplification findings, reproduced with inputs generated here (no big file committed):
 * a 45 MB DMP answer with 4.5 M elements (killed main after 73 s), a 9.5 MiB CDA (7.3 s and 1.9 GB in
 * parseCda, in main), a 6.7 MB unauthenticated sandbox request (5.7 s and 1.5 GB before its refusal).
 * Each is now refused before any DOM is built, or in a worker whose heap is capped.
 */

const MB = 1024 * 1024;
const heapMb = () => process.memoryUsage().heapUsed / MB;

const refusalOf = (fn: () => unknown): XmlRefusal => {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmlRefusal) return e;
    throw e;
  }
  throw new Error('no refusal');
};

describe('structural caps before any DOM (parseXmlStrict)', () => {
  it('counts elements and depth by scanning tags: comments, CDATA, PIs and quoted ">" do not fool it', () => {
    const doc = '<?xml version="1.0"?><!-- <a><a><a> --><r a="x>y" b=\'<z>\'><![CDATA[<q><q><q>]]><s/><t>1</t><?pi <w>?></r>';
    expect(() => checkStructure(doc, 3, 2)).not.toThrow();
    expect(refusalOf(() => checkStructure(doc, 2, 5)).kind).toBe('too_many_elements');
    expect(refusalOf(() => checkStructure('<a><b><c/></b></a>', 10, 2)).kind).toBe('too_deep');
    expect(() => checkStructure('<a><b><c/></b></a>', 10, 3)).not.toThrow();
  });

  it('refuses a document over the element cap with a French message, without parsing it', () => {
    const xml = `<r>${'<e/>'.repeat(DEFAULT_MAX_ELEMENTS)}</r>`;
    const e = refusalOf(() => parseXmlStrict(xml, 50 * MB));
    expect(e.kind).toBe('too_many_elements');
    expect(e.message).toBe('Document refusé : plus de 300\u202f000 éléments XML, bien au-delà d’un document clinique ou d’une réponse réelle. Il n’a pas été analysé.');
  });

  it('refuses nesting deeper than the cap', () => {
    const e = refusalOf(() => parseXmlStrict(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`, MB));
    expect(e.message).toBe('Document refusé : éléments XML imbriqués sur plus de 128 niveaux. Il n’a pas été analysé.');
  });

  it('a 9.5 MiB CDA of a million elements: parseCda refuses it before building the DOM', () => {
    const rows = '<tr><td>1</td><td>2</td></tr>'.repeat(345_000);
    const cda = `<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody><component><section><text><table><tbody>${rows}</tbody></table></text></section></component></structuredBody></component></ClinicalDocument>`;
    expect(cda.length).toBeGreaterThan(9.5 * MB);
    const before = heapMb();
    const r = parseCda(cda);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^Document refusé : plus de 300\u202f000 éléments XML/) });
    // The DOM of a million elements costs about a gigabyte; the scan allocates nothing of the sort.
    expect(heapMb() - before).toBeLessThan(200);
  });
});

describe('CDA parsing off the main thread, heap-capped', () => {
  const cdaOf = (ins: string, extraRows: number) =>
    `<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="${ins}"/><patient><administrativeGenderCode code="F"/><birthTime value="19700101"/></patient></patientRole></recordTarget>` +
    `<component><structuredBody><component><section><text><table><tbody>${'<tr><td>résultat</td><td>valeur</td></tr>'.repeat(extraRows)}</tbody></table></text></section></component></structuredBody></component></ClinicalDocument>`;

  it('answers the identity check from the worker', async () => {
    const parser = createCdaParser();
    try {
      expect(await parser.patientMismatch(cdaOf('279035121518989', 10), '279035121518989', { birthDate: '1970-01-01', sex: 'F' } as never)).toBeNull();
      expect(await parser.patientMismatch(cdaOf('279035121518989', 10), '180000000000099', {} as never)).toMatch(/ne porte pas l’INS de ce patient/);
    } finally {
      await parser.close();
    }
  });

  it('a CDA heavier than the worker heap kills the worker, not main: French refusal, next call served', async () => {
    // 32 MB of heap for the test; the real cap (512 MB) scales the same way.
    const parser = createCdaParser({ resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
    try {
      const heavy = cdaOf('279035121518989', 90_000);
      const err = await rejection(parser.patientMismatch(heavy, '279035121518989', {} as never));
      expect(err).toMatchObject({ code: 'DMP_CDA_INVALID', message: 'Le document CDA est trop lourd pour être analysé (limite de mémoire atteinte) : il n’est pas intégré.' });
      expect(await parser.patientMismatch(cdaOf('279035121518989', 1), '279035121518989', {} as never)).toBeNull();
    } finally {
      await parser.close();
    }
  }, 60_000);
});

describe('DMP answers and sandbox requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { retries: 0 });
  });
  afterAll(async () => h.close());

  it('a 45 MB answer with 4.5 million elements is refused by count, main heap bounded', async () => {
    h.sandbox.setFault('element-flood');
    try {
      const before = heapMb();
      const err = await rejection(h.gateway.getStatus(ctx()));
      expect(err.code).toBe('DMP_RESPONSE_TOO_LARGE');
      expect(err.message).toBe(
        'La réponse du DMP a été rejetée sans être analysée : plus de 300\u202f000 éléments XML, bien au-delà d’un document clinique ou d’une réponse réelle. Il n’a pas été analysé.',
      );
      // The body itself is 45 MB (as a Buffer, then a string); a DOM of 4.5 M elements would be gigabytes.
      expect(heapMb() - before).toBeLessThan(400);
    } finally {
      h.sandbox.setFault(undefined);
    }
  }, 60_000);

  async function post(service: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${h.sandbox.servicesUrl.replace(SERVICES_PATH, '')}${SERVICES_PATH}/${service}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/soap+xml; charset=UTF-8', ...headers },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  const unauthenticated = (bodyXml: string) =>
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">' +
    '<soap:Header><wsa:Action>urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b</wsa:Action></soap:Header>' +
    `<soap:Body>${bodyXml}</soap:Body></soap:Envelope>`;

  it('a 6.7 MB unauthenticated request is refused for its missing VIHF before its body is parsed', async () => {
    // 840,000 elements: parsed, the body would be refused by the element cap; the fault names the VIHF instead.
    const request = unauthenticated(`<r>${'<e>x</e>'.repeat(840_000)}</r>`);
    expect(request.length).toBeGreaterThan(6.7e6);
    const r = await post('repository', request);
    expect(r.status).toBe(400);
    expect(r.text).toContain('VIHF_ABSENT');
    expect(r.text).toContain('Jeton VIHF absent de wsse:Security');
    expect(r.text).not.toContain('éléments XML');
  }, 60_000);

  it('a query service refuses a 6.7 MB body on its declared length, without reading it', async () => {
    const r = await post('registry', unauthenticated('x'.repeat(Math.round(6.7 * MB))));
    expect(r).toEqual({ status: 413, text: 'Requête trop volumineuse' });
  });

  it('authenticated requests are still served (the header alone carries the VIHF)', async () => {
    expect((await h.gateway.getStatus(ctx())).exists).toBe(false);
  });
});

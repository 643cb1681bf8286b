import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../../src/shared/cda';
import type { CdaDocument, NarrativeNode } from '../../../../src/shared/cda';
import { cdaWithBody, cdaWithSection, MINIMAL_HEADER, PNG_1X1 } from './build';

function ok(xml: string, opts?: Parameters<typeof parseCda>[1]): CdaDocument {
  const result = parseCda(xml, opts);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.document;
}

function refused(xml: string, opts?: Parameters<typeof parseCda>[1]): string {
  const result = parseCda(xml, opts);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

function flatten(nodes: NarrativeNode[]): NarrativeNode[] {
  const out: NarrativeNode[] = [];
  const stack = [...nodes];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    if ('children' in n) stack.push(...n.children);
    if (n.type === 'list') stack.push(...n.items.flat());
    if (n.type === 'table') stack.push(...n.groups.flatMap((g) => g.rows.flatMap((r) => r.cells.flatMap((c) => c.children))));
  }
  return out;
}

function sectionNodes(doc: CdaDocument): NarrativeNode[] {
  if (doc.body.kind !== 'structured') throw new Error('structured body expected');
  return flatten(doc.body.sections[0]!.text);
}

describe('parseCda refuses dangerous XML with a French message', () => {
  it('refuses an external entity (XXE) before parsing', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE ClinicalDocument [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>`;
    expect(refused(xml)).toMatch(/DOCTYPE/);
  });

  it('refuses the billion laughs', () => {
    const entities = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities}\n]>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title></ClinicalDocument>`;
    expect(refused(xml)).toMatch(/DOCTYPE/);
  });

  it('refuses a DOCTYPE hidden after comments and processing instructions, in any case', () => {
    const xml = `\uFEFF<?xml version="1.0"?><!-- a --><?xml-stylesheet href="x.xsl"?>\n<!doctype ClinicalDocument SYSTEM "http://evil.example/x.dtd"><ClinicalDocument/>`;
    expect(refused(xml)).toMatch(/DOCTYPE/);
  });

  it('refuses a document over the size cap without parsing it (50 MB by default)', () => {
    const big = cdaWithSection(`<text>${'x'.repeat(50 * 1024 * 1024)}</text>`);
    const error = refused(big);
    expect(error).toMatch(/trop volumineux/);
    expect(error).toMatch(/50 Mo/);
  });

  it('counts the cap in UTF-8 bytes, not characters', () => {
    const xml = cdaWithSection(`<text>${'é'.repeat(600)}</text>`);
    expect(xml.length).toBeLessThan(2000);
    expect(refused(xml, { maxBytes: 1500 })).toMatch(/trop volumineux/);
    expect(ok(xml, { maxBytes: 4000 }).level).toBe(3);
  });

  it('refuses malformed XML, an unknown entity, a non-CDA root and empty input', () => {
    expect(refused('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>x</ClinicalDocument>')).toMatch(/mal formé/);
    expect(refused('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&foo;</title></ClinicalDocument>')).toMatch(/mal formé/);
    expect(refused('ceci n\u2019est pas du XML')).toMatch(/mal formé/);
    expect(refused('<html><body><script>alert(1)</script></body></html>')).toMatch(/pas un document CDA.*html/);
    expect(refused('')).toMatch(/vide/);
    expect(refused('   \n ')).toMatch(/vide/);
    expect(refused(undefined as unknown as string)).toMatch(/vide/);
  });
});

describe('parseCda keeps hostile content inert', () => {
  it('turns <script> and foreign elements into labelled unknown nodes', () => {
    const doc = ok(
      cdaWithSection(
        `<title>S</title><text><paragraph>avant<script>alert(1)</script><xhtml:iframe xmlns:xhtml="http://www.w3.org/1999/xhtml" src="http://evil.example"/>après</paragraph></text>`,
      ),
    );
    const unknown = sectionNodes(doc).filter((n) => n.type === 'unknown');
    expect(unknown).toHaveLength(2);
    expect(unknown).toEqual(
      expect.arrayContaining([
        { type: 'unknown', name: 'script', text: 'alert(1)' },
        { type: 'unknown', name: 'xhtml:iframe' },
      ]),
    );
  });

  it('keeps javascript: links as text with their target, flagged unsafe', () => {
    const doc = ok(cdaWithSection(`<text><linkHtml href="javascript:alert(1)">cliquez</linkHtml> <linkHtml href="https://ans.fr">ANS</linkHtml></text>`));
    const links = sectionNodes(doc).filter((n) => n.type === 'link');
    expect(links).toEqual(
      expect.arrayContaining([
        { type: 'link', href: 'javascript:alert(1)', safeScheme: false, children: [{ type: 'text', text: 'cliquez' }] },
        { type: 'link', href: 'https://ans.fr', safeScheme: true, children: [{ type: 'text', text: 'ANS' }] },
      ]),
    );
  });

  it('never turns an external or mislabelled image into something loadable', () => {
    const doc = ok(
      cdaWithSection(`<text>
        <renderMultiMedia referencedObject="ext"/>
        <renderMultiMedia referencedObject="svg"/>
        <renderMultiMedia referencedObject="fake"/>
        <renderMultiMedia referencedObject="png"><caption>Radio</caption></renderMultiMedia>
        <renderMultiMedia referencedObject="absent"/>
      </text>
      <entry><observationMedia ID="ext"><value mediaType="image/png"><reference value="http://evil.example/track.png"/></value></observationMedia></entry>
      <entry><observationMedia ID="svg"><value mediaType="image/svg+xml" representation="B64">PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+</value></observationMedia></entry>
      <entry><observationMedia ID="fake"><value mediaType="image/png" representation="B64">PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+</value></observationMedia></entry>
      <entry><observationMedia ID="png"><value mediaType="image/png" representation="B64">${PNG_1X1}</value></observationMedia></entry>`),
    );
    const media = sectionNodes(doc).filter((n) => n.type === 'media' || n.type === 'image');
    expect(media.map((n) => (n.type === 'media' ? [n.objectId, n.status] : [n.objectId, 'image']))).toEqual(
      expect.arrayContaining([
        ['ext', 'external'],
        ['svg', 'unsupported'],
        ['fake', 'invalid'],
        ['png', 'image'],
        ['absent', 'missing'],
      ]),
    );
    const image = media.find((n) => n.type === 'image');
    expect(image?.type === 'image' && image.dataUri).toBe(`data:image/png;base64,${PNG_1X1}`);
    expect(image?.type === 'image' && image.caption).toEqual([{ type: 'text', text: 'Radio' }]);
    expect(doc.warnings.some((w) => w.includes('aucun accès réseau'))).toBe(true);
    expect(doc.warnings.some((w) => w.includes('ne correspond pas au type annoncé'))).toBe(true);
  });

  it('survives 10,000 nested narrative elements: truncated at the depth limit with a warning', () => {
    const depth = 10_000;
    const doc = ok(cdaWithSection(`<text>${'<content>'.repeat(depth)}fond${'</content>'.repeat(depth)}</text>`));
    const nodes = sectionNodes(doc);
    expect(nodes.some((n) => n.type === 'truncated')).toBe(true);
    expect(nodes.filter((n) => n.type === 'content').length).toBeLessThanOrEqual(200);
    expect(doc.warnings.join(' ')).toMatch(/trop profondément imbriqué/);
  });

  it('survives 10,000 nested sections and 10,000 nested entry relationships', () => {
    const depth = 10_000;
    const sections = `<structuredBody>${'<component><section><title>T</title>'.repeat(depth)}${'</section></component>'.repeat(depth)}</structuredBody>`;
    const doc = ok(cdaWithBody(sections));
    expect(doc.warnings.join(' ')).toMatch(/Sections trop profondément imbriquées/);
    const entries = `<text>x</text><entry>${'<act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="COMP">'.repeat(depth)}<observation/>${'</entryRelationship></act>'.repeat(depth)}</entry>`;
    const doc2 = ok(cdaWithSection(entries));
    expect(doc2.warnings.join(' ')).toMatch(/Données codées trop profondément imbriquées/);
  });

  it('ignores prototype keys coming from the document', () => {
    const header = MINIMAL_HEADER.replace('code="F"', 'code="constructor"').replace('1.2.250.1.213.1.4.10', '__proto__');
    const doc = ok(cdaWithBody(`<structuredBody><component><section><text><content styleCode="constructor toString Bold">x</content></text></section></component></structuredBody>`, header));
    expect(doc.header.patient?.sex).toEqual({ code: 'constructor', label: 'constructor' });
    expect(doc.header.patient?.ins).toEqual([]);
    const content = sectionNodes(doc).find((n) => n.type === 'content');
    expect(content?.type === 'content' && content.styles).toEqual(['bold']);
  });

  it('reads a document with unknown header and body elements without failing', () => {
    const doc = ok(
      cdaWithBody(
        `<structuredBody><foo/><component><bar/><section><weird a="1"><deeper/></weird><title>Vue</title><text>ok</text><entry><unknownStatement/></entry></section></component></structuredBody>`,
        `${MINIMAL_HEADER}<strange><x/></strange><author/><legalAuthenticator/><componentOf><encompassingEncounter/></componentOf>`,
      ),
    );
    if (doc.body.kind !== 'structured') throw new Error('structured');
    expect(doc.body.sections[0]?.title).toBe('Vue');
    expect(doc.body.sections[0]?.entries).toEqual([]);
  });

  it('reports a bad base64 body and an external level-1 body without fetching', () => {
    const bad = ok(cdaWithBody(`<nonXMLBody><text mediaType="application/pdf" representation="B64">%%%%</text></nonXMLBody>`));
    expect(bad.body.kind === 'nonXml' && bad.body.error).toMatch(/base64 invalide/);
    const notPdf = ok(cdaWithBody(`<nonXMLBody><text mediaType="application/pdf" representation="B64">${PNG_1X1}</text></nonXMLBody>`));
    expect(notPdf.body.kind === 'nonXml' && notPdf.body.error).toMatch(/%PDF/);
    const ext = ok(cdaWithBody(`<nonXMLBody><text mediaType="application/pdf"><reference value="http://evil.example/doc.pdf"/></text></nonXMLBody>`));
    expect(ext.body.kind === 'nonXml' && ext.body.reference).toBe('http://evil.example/doc.pdf');
    expect(ext.body.kind === 'nonXml' && ext.body.bytes).toBeUndefined();
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseCda(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
    const fragment = fc.constantFrom(
      '<section>', '</section>', '<component>', '</component>', '<text>', '</text>', '<table>', '<tr>', '<td colspan="x">',
      '</td>', '<list>', '<item>', '<content styleCode="Bold">', '</content>', '<renderMultiMedia referencedObject="a b"/>',
      '<entry>', '</entry>', '<observation>', '</observation>', '<value xsi:type="PQ" value="1"/>', 'texte', '&amp;', '<br/>',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (parts) => {
        const r = parseCda(cdaWithBody(`<structuredBody><component><section>${parts.join('')}</section></component></structuredBody>`));
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error).toMatch(/[a-zé]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('level-1 bodies other than PDF', () => {
  it('decodes base64 text/plain and shows only images whose bytes match their type', () => {
    const text = ok(cdaWithBody(`<nonXMLBody><text mediaType="text/plain" representation="B64">${Buffer.from('Compte rendu : RAS é').toString('base64')}</text></nonXMLBody>`));
    expect(text.body.kind === 'nonXml' && text.body.plainText).toBe('Compte rendu : RAS é');
    const png = ok(cdaWithBody(`<nonXMLBody><text mediaType="image/png" representation="B64">${PNG_1X1}</text></nonXMLBody>`));
    expect(png.body.kind === 'nonXml' && png.body.imageDataUri).toBe(`data:image/png;base64,${PNG_1X1}`);
    const liar = ok(cdaWithBody(`<nonXMLBody><text mediaType="image/jpeg" representation="B64">${PNG_1X1}</text></nonXMLBody>`));
    expect(liar.body.kind === 'nonXml' && liar.body.imageDataUri).toBeUndefined();
  });
});

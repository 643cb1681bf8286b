import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../../src/shared/cda';
import type { CdaSection } from '../../../../src/shared/cda';
import { cdaWithSection } from './build';

function section(inner: string): CdaSection {
  const r = parseCda(cdaWithSection(inner));
  if (!r.ok || r.document.body.kind !== 'structured') throw new Error('structured document expected');
  return r.document.body.sections[0]!;
}

describe('section narrative model', () => {
  it('keeps paragraphs, styled content, sub/sup, br and footnotes', () => {
    const s = section(`<title>Conclusion</title><text>
      <paragraph><caption>Note</caption>Texte <content styleCode="Bold Italics">important</content> et <content styleCode="Underline emphasis xcellHorizontalAlign" revised="delete">barré</content>
      H<sub>2</sub>O m<sup>2</sup><br/>fin<footnote ID="f1">source</footnote><footnoteRef IDREF="f1"/></paragraph>
    </text>`);
    expect(s.title).toBe('Conclusion');
    expect(s.text).toEqual([
      {
        type: 'paragraph',
        styles: [],
        caption: [{ type: 'text', text: 'Note' }],
        children: [
          { type: 'text', text: 'Texte ' },
          { type: 'content', styles: ['bold', 'italics'], children: [{ type: 'text', text: 'important' }] },
          { type: 'text', text: ' et ' },
          { type: 'content', styles: ['underline', 'emphasis'], revised: 'delete', children: [{ type: 'text', text: 'barré' }] },
          { type: 'text', text: ' H' },
          { type: 'sub', children: [{ type: 'text', text: '2' }] },
          { type: 'text', text: 'O m' },
          { type: 'sup', children: [{ type: 'text', text: '2' }] },
          { type: 'br' },
          { type: 'text', text: 'fin' },
          { type: 'footnote', id: 'f1', children: [{ type: 'text', text: 'source' }] },
          { type: 'footnoteRef', idref: 'f1' },
        ],
      },
    ]);
  });

  it('reads ordered and unordered lists with captions', () => {
    const s = section(`<text><list listType="ordered"><caption>Étapes</caption><item>un</item><item><content>deux</content></item></list><list><item>a</item></list></text>`);
    expect(s.text).toEqual([
      {
        type: 'list',
        ordered: true,
        caption: [{ type: 'text', text: 'Étapes' }],
        items: [[{ type: 'text', text: 'un' }], [{ type: 'content', styles: [], children: [{ type: 'text', text: 'deux' }] }]],
      },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'a' }]] },
    ]);
  });

  it('reads tables with caption, thead/tbody/tfoot, colspan and rowspan (bounded)', () => {
    const s = section(`<text><table border="1"><caption>Bilan</caption><colgroup><col/></colgroup>
      <thead><tr><th colspan="2" styleCode="Bold">Analyse</th></tr></thead>
      <tbody><tr><td rowspan="2">TSH</td><td>1,95</td></tr><tr><td colspan="999999">x</td></tr></tbody>
      <tfoot><tr><td colspan="abc">pied</td></tr></tfoot></table></text>`);
    const table = s.text[0];
    expect(table).toEqual({
      type: 'table',
      caption: [{ type: 'text', text: 'Bilan' }],
      groups: [
        { kind: 'thead', rows: [{ cells: [{ header: true, colSpan: 2, styles: ['bold'], children: [{ type: 'text', text: 'Analyse' }] }] }] },
        {
          kind: 'tbody',
          rows: [
            {
              cells: [
                { header: false, rowSpan: 2, styles: [], children: [{ type: 'text', text: 'TSH' }] },
                { header: false, styles: [], children: [{ type: 'text', text: '1,95' }] },
              ],
            },
            { cells: [{ header: false, colSpan: 1000, styles: [], children: [{ type: 'text', text: 'x' }] }] },
          ],
        },
        { kind: 'tfoot', rows: [{ cells: [{ header: false, styles: [], children: [{ type: 'text', text: 'pied' }] }] }] },
      ],
    });
  });

  it('labels table parts found outside a table as unknown instead of building broken markup', () => {
    const s = section(`<text><tr><td>orphelin</td></tr><item>x</item></text>`);
    expect(s.text.map((n) => n.type === 'unknown' && n.name)).toEqual(['tr', 'item']);
  });

  it('resolves entry text references against narrative IDs, with or without "#"', () => {
    const s = section(`<text><content ID="a">Alpha</content></text>
      <entry><observation classCode="OBS" moodCode="EVN"><code code="X" displayName="Code X"/><text><reference value="#a"/></text><value xsi:type="ST">v</value></observation></entry>
      <entry><observation classCode="OBS" moodCode="EVN"><text><reference value="a"/></text><value xsi:type="IVL_TS"><low value="20240101"/><high value="20240131"/></value></observation></entry>`);
    expect(s.entries.map((e) => [e.text, e.value])).toEqual([
      ['Alpha', 'v'],
      ['Alpha', 'du 01/01/2024 au 31/01/2024'],
    ]);
  });
});

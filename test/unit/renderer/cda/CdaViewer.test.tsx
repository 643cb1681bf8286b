import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CdaViewer, PdfLoaderContext } from '../../../../src/renderer/src/features/cda';
import { hasFixtures, listFixtures, readFixture } from '../../../support/fixtures';
import { cdaWithBody, cdaWithSection, PNG_1X1 } from '../../shared/cda/build';
import { fakePdfLoader } from './fake-pdf';

function show(xml: string) {
  const pdf = fakePdfLoader();
  const view = render(
    <PdfLoaderContext.Provider value={pdf.loader}>
      <CdaViewer xml={xml} />
    </PdfLoaderContext.Provider>,
  );
  return { ...view, pdf };
}

/** Nothing executable, framable or fetchable in what the viewer produced. */
function expectInert(container: HTMLElement) {
  expect(container.querySelectorAll('script, iframe, object, embed, frame, link, style, base, form, svg')).toHaveLength(0);
  expect(container.querySelectorAll('a')).toHaveLength(0);
  for (const el of container.querySelectorAll('*')) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith('on')).toBe(false);
      expect(attr.name).not.toBe('style');
      if (attr.name === 'src' || attr.name === 'href' || attr.name === 'srcset' || attr.name === 'poster') {
        expect(attr.value).toMatch(/^data:image\/(png|jpeg|gif);base64,/);
      }
    }
  }
}

describe.skipIf(!hasFixtures)('CdaViewer on the ANS example documents', () => {
  it.each(listFixtures('cda'))('%s renders the header facts, inertly', (name) => {
    const { container } = show(readFixture('cda', name));
    const patient = screen.getByRole('region', { name: 'Patient' });
    expect(within(patient).getAllByText('PAT-TROIS').length).toBeGreaterThan(0);
    expect(within(patient).getByText('DOMINIQUE MARIE-LOUISE')).toBeTruthy();
    expect(within(patient).getByText('Féminin')).toBeTruthy();
    expect(within(patient).getByText('28/03/1979')).toBeTruthy();
    const ins = within(patient).getByText('INS-NIR de test').nextElementSibling;
    expect(ins?.textContent).toBe('279035121518989 (OID 1.2.250.1.213.1.4.10)');
    expect(within(patient).getByText('DOMPREMY, code INSEE 51215')).toBeTruthy();
    expect(screen.getByText('Responsable (signataire)')).toBeTruthy();
    expectInert(container);
  });

  it('lettre de liaison: title, section headings, tables and coded entries', () => {
    const { container } = show(readFixture('cda', 'LDL-SES_2022.01.xml'));
    expect(screen.getByRole('heading', { level: 2, name: "Lettre de liaison à la sortie de l'établissement de santé" })).toBeTruthy();
    for (const title of ['Synthèse médicale du séjour', 'Traitements à la sortie', 'Allergies identifiées pendant le séjour']) {
      expect(screen.getByRole('heading', { name: title })).toBeTruthy();
    }
    expect(screen.getByText('Lettre de liaison à la sortie')).toBeTruthy(); // French type label
    expect(screen.getByText('Dr Charles DAVID — Médecin - Médecine interne (SM) — Hôpital Européen Georges Pompidou')).toBeTruthy();
    expect(screen.getByText('du 29/10/2019 11:17 au 03/12/2019 13:30')).toBeTruthy();
    const synthese = screen.getByRole('region', { name: 'Synthèse médicale du séjour' });
    const th = within(synthese).getByRole('columnheader', { name: 'Synthèse médicale du séjour' });
    expect(th.getAttribute('colspan')).toBe('2');
    expect(within(synthese).getByText('Streptococcus pneumoniae', { selector: 'td span' })).toBeTruthy();
    const sortie = screen.getByRole('region', { name: 'Traitements à la sortie' });
    expect(within(sortie).getByText('Données codées (1)')).toBeTruthy();
    expect(within(sortie).getAllByText('LEPONEX 100 mg').length).toBeGreaterThan(0);
    expect(container.querySelectorAll('canvas')).toHaveLength(0);
  });

  it('imaging report (level 1): the PDF body goes to the PDF view', async () => {
    const { pdf } = show(readFixture('cda', 'IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml'));
    expect(screen.getByText('Document non structuré (PDF)')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/Document PDF — \d+ pages?/)).toBeTruthy());
    expect(pdf.loader).toHaveBeenCalledTimes(1);
    const bytes = pdf.loader.mock.calls[0]![0];
    expect(String.fromCharCode(...bytes.slice(0, 5))).toBe('%PDF-');
    await waitFor(() => expect(pdf.handles[0]!.renderPage).toHaveBeenCalled()); // drawn in an effect after the page count shows
  });

  it('biology report: nested sections, results and the PDF copy', async () => {
    const { container } = show(readFixture('cda', 'BIO-CR-BIO_2024.01_TSH_1.xml'));
    expect(screen.getByRole('heading', { level: 3, name: 'BIOCHIMIE' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 4, name: 'Biochimie' })).toBeTruthy();
    expect(screen.getByText('Thyréostimuline (TSH)')).toBeTruthy();
    expect(screen.getByText('1.950 mUI/l')).toBeTruthy();
    expect(screen.getByText('Document PDF joint (affiché ci-dessous)')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/Copie PDF du document — \d+ pages?/)).toBeTruthy());
    expect(container.querySelectorAll('canvas').length).toBeGreaterThan(0);
    expectInert(container);
  });
});

describe('CdaViewer on hostile documents', () => {
  it('shows scripts and foreign elements as unsupported, links as inert text, no external image', () => {
    const xml = cdaWithSection(`<title>Piégé</title><text>
      <paragraph>Début<script>alert(1)</script><xhtml:iframe xmlns:xhtml="http://www.w3.org/1999/xhtml" src="https://evil.example"/></paragraph>
      <paragraph><linkHtml href="javascript:alert(document.cookie)">cliquez ici</linkHtml></paragraph>
      <paragraph styleCode="Bold" ID="x" onclick="alert(1)" style="background:url(https://evil.example/x)">gras</paragraph>
      <renderMultiMedia referencedObject="ext"/><renderMultiMedia referencedObject="ok"/>
    </text>
    <entry><observationMedia ID="ext"><value mediaType="image/png"><reference value="https://evil.example/pixel.png"/></value></observationMedia></entry>
    <entry><observationMedia ID="ok"><value mediaType="image/png" representation="B64">${PNG_1X1}</value></observationMedia></entry>`);
    const { container } = show(xml);
    expect(screen.getByText('Élément non pris en charge : script — « alert(1) »')).toBeTruthy();
    expect(screen.getByText('Élément non pris en charge : xhtml:iframe')).toBeTruthy();
    expect(screen.getByText('cliquez ici')).toBeTruthy();
    expect(screen.getByText(/lien suspect non ouvert : javascript:alert\(document.cookie\)/)).toBeTruthy();
    expect(screen.getByText('Contenu externe non chargé : https://evil.example/pixel.png')).toBeTruthy();
    const images = container.querySelectorAll('img');
    expect(images).toHaveLength(1);
    expect(images[0]!.getAttribute('src')).toBe(`data:image/png;base64,${PNG_1X1}`);
    // The allow-listed style code shows as the reader sees it (the viewer's own stylesheet), whatever the class names.
    const sheet = document.createElement('style');
    sheet.textContent = readFileSync(path.resolve(__dirname, '../../../../src/renderer/src/features/cda/cda.css'), 'utf8');
    document.head.append(sheet);
    try {
      expect(getComputedStyle(screen.getByText('gras')).fontWeight).toBe('700');
      expect(getComputedStyle(screen.getByText('Élément non pris en charge : xhtml:iframe')).fontWeight).not.toBe('700');
    } finally {
      sheet.remove();
    }
    expect(screen.getByRole('list', { name: 'Avertissements' })).toBeTruthy();
    expectInert(container);
  });

  it('renders 10,000 levels of nesting as a truncated, labelled document', () => {
    const depth = 10_000;
    show(cdaWithSection(`<title>Profond</title><text>${'<content>'.repeat(depth)}fond${'</content>'.repeat(depth)}</text>`));
    expect(screen.getByRole('heading', { name: 'Profond' })).toBeTruthy();
    expect(screen.getByText('Contenu trop profondément imbriqué : non affiché')).toBeTruthy();
  });

  it('shows refusals as a French alert, never a crash', () => {
    const cases: [string, RegExp][] = [
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ClinicalDocument xmlns="urn:hl7-org:v3"/>', /DOCTYPE/],
      ['<ClinicalDocument><title>', /mal formé/],
      ['<Bundle xmlns="http://hl7.org/fhir"/>', /pas un document CDA/],
      ['', /vide/],
    ];
    for (const [xml, message] of cases) {
      const { unmount } = show(xml);
      expect(screen.getByRole('alert').textContent).toMatch(message);
      unmount();
    }
  });

  it('shows an invalid level-1 PDF as such', async () => {
    show(cdaWithBody(`<nonXMLBody><text mediaType="application/pdf" representation="B64">${PNG_1X1}</text></nonXMLBody>`));
    expect(screen.getByRole('alert').textContent).toMatch(/%PDF/);
  });
});

import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CdaViewer } from '../../../../src/renderer/src/features/cda/CdaViewer';

function cdaWithTable(rows: number): string {
  const body = Array.from({ length: rows }, (_, i) => `<tr><td>Analyse ${i + 1}</td><td>${i}</td></tr>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><code code="11502-2" codeSystem="2.16.840.1.113883.6.1"/><title>CR de biologie</title>
<effectiveTime value="20240601"/><recordTarget><patientRole><patient><name><family>TEST</family><given>Long</given></name></patient></patientRole></recordTarget>
<component><structuredBody><component><section><title>Résultats</title><text><table><thead><tr><th>Examen</th><th>Valeur</th></tr></thead><tbody>${body}</tbody></table></text></section></component></structuredBody></component>
</ClinicalDocument>`;
}

describe('long narrative tables', () => {
  it('open on their first 100 rows and show the rest on request', () => {
    render(<CdaViewer xml={cdaWithTable(2300)} />);
    expect(screen.getByText('Analyse 100')).toBeTruthy();
    expect(screen.queryByText('Analyse 101')).toBeNull();
    const more = screen.getByRole('button', { name: /Afficher les 2200 lignes suivantes/ });
    act(() => more.click());
    expect(screen.getByText('Analyse 2300')).toBeTruthy();
  });

  it('show short tables whole', () => {
    render(<CdaViewer xml={cdaWithTable(120)} />);
    expect(screen.getByText('Analyse 120')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /lignes suivantes/ })).toBeNull();
  });
});

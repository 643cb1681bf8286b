import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CdaSection } from '../../../../src/shared/cda';
import { CdaSectionViewsContext, CdaViewer, SECTION_VIEWS, sectionViewFor, type SectionViewProps } from '../../../../src/renderer/src/features/cda';
import { cdaWithBody } from '../../shared/cda/build';

const LOINC = 'codeSystem="2.16.840.1.113883.6.1"';
const XML = cdaWithBody(`<structuredBody>
  <component><section><code code="48765-2" ${LOINC}/><title>Allergies</title><text><paragraph>Pénicilline</paragraph></text>
    <component><section><code code="10160-0" ${LOINC}/><title>Traitements</title><text><paragraph>Bisoprolol</paragraph></text></section></component>
  </section></component>
  <component><section><code code="constructor" ${LOINC}/><title>Hostile</title><text><paragraph>Texte seul</paragraph></text></section></component>
</structuredBody>`);

/** A view a future file would register: shows it received the parsed section. */
function AllergyList({ section }: SectionViewProps) {
  return <p data-testid="allergy-view">Vue allergies ({section.code?.code})</p>;
}

describe('CDA section registry', () => {
  it('renders a registered view for its LOINC code, the narrative for every other section, headings and nesting kept', () => {
    render(
      <CdaSectionViewsContext.Provider value={{ ...SECTION_VIEWS, '48765-2': AllergyList }}>
        <CdaViewer xml={XML} />
      </CdaSectionViewsContext.Provider>,
    );
    const allergies = screen.getByRole('region', { name: 'Allergies' });
    expect(within(allergies).getByTestId('allergy-view').textContent).toBe('Vue allergies (48765-2)');
    expect(allergies.textContent).not.toContain('Pénicilline');
    // The sub-section is not the registered code: its narrative, inside the parent section.
    const treatments = within(allergies).getByRole('region', { name: 'Traitements' });
    expect(treatments.textContent).toContain('Bisoprolol');
    expect(within(treatments).getByRole('heading', { level: 4 }).textContent).toBe('Traitements');
    expect(screen.getByRole('region', { name: 'Hostile' }).textContent).toContain('Texte seul');
  });

  it('without a registered view, every section shows its narrative', () => {
    render(<CdaViewer xml={XML} />);
    expect(screen.getByRole('region', { name: 'Allergies' }).textContent).toContain('Pénicilline');
    expect(screen.queryByTestId('allergy-view')).toBeNull();
  });

  it('looks codes up among the registry’s own keys only', () => {
    const section = (code: string) => ({ code: { code } }) as unknown as CdaSection;
    const narrative = sectionViewFor(section('00000-0'), {});
    expect(sectionViewFor(section('constructor'), {})).toBe(narrative);
    expect(sectionViewFor(section('__proto__'), {})).toBe(narrative);
    expect(sectionViewFor(section('48765-2'), { '48765-2': AllergyList })).toBe(AllergyList);
  });
});

import { createContext, useContext, type ComponentType } from 'react';
import type { CdaSection } from '../../../../../shared/cda';
import { NarrativeSection } from './NarrativeSection';

/** What a section view receives: the parsed section (its heading and sub-sections are drawn around it). */
export interface SectionViewProps {
  section: CdaSection;
}
export type SectionView = ComponentType<SectionViewProps>;
/** LOINC section code → the view of that section's body. */
export type SectionViews = Readonly<Record<string, SectionView>>;

/**
 * The section views of the viewer, by LOINC section code. Adding one is one file in this folder
 * (a component taking `{ section }`) and its line here; every section not listed shows its
 * narrative. Entries must stay inert like the narrative: React elements only, nothing from the
 * document as markup, URL or class name.
 */
export const SECTION_VIEWS: SectionViews = {};

/** Lets a screen (or a test) add or replace views for the documents it shows. */
export const CdaSectionViewsContext = createContext<SectionViews>(SECTION_VIEWS);

/** The view for a section: its LOINC code's registered view, the narrative otherwise. */
export function sectionViewFor(section: CdaSection, views: SectionViews): SectionView {
  const code = section.code?.code;
  // Own keys only: a hostile code such as "constructor" must not reach Object.prototype.
  return (code !== undefined && Object.hasOwn(views, code) ? views[code] : undefined) ?? NarrativeSection;
}

export function useSectionView(section: CdaSection): SectionView {
  return sectionViewFor(section, useContext(CdaSectionViewsContext));
}

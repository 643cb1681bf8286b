import { useId } from 'react';
import type { CdaSection } from '../../../../shared/cda';
import { useSectionView } from './sections/registry';

/** One section: its heading, its body as the section registry says (narrative by default), its sub-sections. */
export function CdaSectionView({ section, depth }: { section: CdaSection; depth: number }) {
  const headingId = useId();
  const Body = useSectionView(section);
  const title = section.title ?? section.code?.displayName ?? 'Section sans titre';
  const level = Math.min(3 + depth, 6);
  const Heading = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6';
  return (
    <section className="cda-section" aria-labelledby={headingId}>
      <Heading id={headingId} className="cda-section-title">
        {title}
      </Heading>
      <Body section={section} />
      {section.sections.map((s, i) => (
        <CdaSectionView key={i} section={s} depth={depth + 1} />
      ))}
    </section>
  );
}

import { describe, expect, it } from 'vitest';
import { extractAllergies, extractTreatments, parseCda } from '../../../../src/shared/cda';
import type { CdaDocument } from '../../../../src/shared/cda';
import { cdaWithSection } from './build';

function doc(inner: string): CdaDocument {
  const r = parseCda(cdaWithSection(inner));
  if (!r.ok) throw new Error(r.error);
  return r.document;
}

// IHE PCC Allergies and Other Adverse Reactions section with a concern act, as the CI-SIS models use.
const allergySection = (observationExtra: string, value = '<value xsi:type="CD" code="419511003" displayName="Propension aux réactions indésirables à un médicament" codeSystem="2.16.840.1.113883.6.96"/>') => `
  <code code="48765-2" codeSystem="2.16.840.1.113883.6.1" displayName="Allergies et hypersensibilités"/>
  <title>Allergies</title>
  <text><content ID="all1">Pénicilline : urticaire</content></text>
  <entry><act classCode="ACT" moodCode="EVN">
    <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.5.3"/>
    <statusCode code="active"/>
    <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" ${observationExtra}>
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.6"/>
      <code code="416098002" displayName="allergie médicamenteuse" codeSystem="2.16.840.1.113883.6.96"/>
      <text><reference value="#all1"/></text>
      <statusCode code="completed"/>
      <effectiveTime><low value="20150612"/></effectiveTime>
      ${value}
      <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
        <code code="J01CE01" displayName="Benzylpénicilline" codeSystem="2.16.840.1.113883.6.73"/><name>Pénicilline G</name>
      </playingEntity></participantRole></participant>
      <entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
        <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.5"/><code code="75325-1" codeSystem="2.16.840.1.113883.6.1"/>
        <value xsi:type="CD" code="126485001" displayName="urticaire" codeSystem="2.16.840.1.113883.6.96"/>
      </observation></entryRelationship>
      <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
        <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.1"/><code code="SEV" codeSystem="2.16.840.1.113883.5.4"/>
        <value xsi:type="CD" code="H" displayName="Sévère" codeSystem="2.16.840.1.113883.5.1063"/>
      </observation></entryRelationship>
    </observation></entryRelationship>
  </act></entry>`;

describe('extractAllergies', () => {
  it('reads agent, type, reaction, severity, status and source', () => {
    const allergies = extractAllergies(doc(allergySection('')), { externalRef: 'local:7' });
    expect(allergies).toHaveLength(1);
    expect(allergies[0]).toMatchObject({
      agent: 'Pénicilline G',
      agentCode: { code: 'J01CE01' },
      type: 'allergie médicamenteuse',
      description: 'Propension aux réactions indésirables à un médicament',
      reactions: ['urticaire'],
      severity: 'Sévère',
      status: 'active',
      onset: { iso: '2015-06-12' },
      source: {
        typeCode: '11490-0',
        typeLabel: 'Lettre de liaison à la sortie',
        title: 'Document de test',
        sectionTitle: 'Allergies',
        externalRef: 'local:7',
        documentId: '1.2.3.4^DOC-1',
      },
    });
  });

  it('raises nothing for a negated entry or a "no known allergy" statement', () => {
    expect(extractAllergies(doc(allergySection('negationInd="true"')))).toEqual([]);
    const none = allergySection('', '<value xsi:type="CD" code="716186003" displayName="Aucune allergie connue" codeSystem="2.16.840.1.113883.6.96"/>')
      .replace(/<participant typeCode="CSM">[\s\S]*?<\/participant>/, '');
    expect(extractAllergies(doc(none))).toEqual([]);
  });
});

describe('extractTreatments', () => {
  const sbadm = (period: string, status = 'active', mood = 'INT') => `
    <title>Traitement</title><text>x</text>
    <entry><substanceAdministration classCode="SBADM" moodCode="${mood}">
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.7"/>
      <statusCode code="${status}"/>
      ${period}
      <routeCode code="20053000" displayName="Voie orale"/>
      <doseQuantity value="500" unit="mg"/>
      <consumable><manufacturedProduct><manufacturedMaterial>
        <code code="60234100" displayName="DOLIPRANE 500 mg" codeSystem="1.2.250.1.213.2.3.1"/>
      </manufacturedMaterial></manufacturedProduct></consumable>
      <entryRelationship typeCode="COMP"><substanceAdministration classCode="SBADM" moodCode="INT"><consumable/></substanceAdministration></entryRelationship>
    </substanceAdministration></entry>`;
  const at = new Date('2024-06-15T10:00:00Z');

  it('names the product from its code when no name is given, and ignores nested dose steps', () => {
    const list = extractTreatments(doc(sbadm('<effectiveTime xsi:type="IVL_TS"><low value="20240601"/></effectiveTime>')), { at });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'DOLIPRANE 500 mg', dose: '500 mg', route: 'Voie orale', current: true, moodCode: 'INT' });
  });

  it('decides "current" from the period and the status', () => {
    const ended = extractTreatments(doc(sbadm('<effectiveTime xsi:type="IVL_TS"><low value="20240101"/><high value="20240614"/></effectiveTime>')), { at });
    expect(ended[0]?.current).toBe(false);
    const lastDay = extractTreatments(doc(sbadm('<effectiveTime xsi:type="IVL_TS"><low value="20240101"/><high value="20240615"/></effectiveTime>')), { at });
    expect(lastDay[0]?.current).toBe(true);
    const future = extractTreatments(doc(sbadm('<effectiveTime xsi:type="IVL_TS"><low value="20240701"/></effectiveTime>')), { at });
    expect(future[0]?.current).toBe(false);
    const aborted = extractTreatments(doc(sbadm('<effectiveTime xsi:type="IVL_TS"><low value="20240101"/></effectiveTime>', 'aborted')), { at });
    expect(aborted[0]?.current).toBe(false);
    const undated = extractTreatments(doc(sbadm('')), { at });
    expect(undated[0]?.current).toBe(true);
    const undatedDone = extractTreatments(doc(sbadm('', 'completed', 'EVN')), { at });
    expect(undatedDone[0]?.current).toBe(false);
  });
});

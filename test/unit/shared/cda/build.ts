// Builds small synthetic CDA documents around a body, for hostile and narrative tests.
export const MINIMAL_HEADER = `
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.2.8.2.1"/>
  <id root="1.2.3.4" extension="DOC-1"/>
  <code code="11490-0" codeSystem="2.16.840.1.113883.6.1" displayName="Lettre de liaison"/>
  <title>Document de test</title>
  <effectiveTime value="20240105083000+0100"/>
  <recordTarget><patientRole>
    <id root="1.2.250.1.213.1.4.10" extension="279035121518989"/>
    <patient>
      <name><family qualifier="BR">PAT-TROIS</family><given>DOMINIQUE</given></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
      <birthTime value="19790328"/>
    </patient>
  </patientRole></recordTarget>`;

export function cdaWithBody(body: string, header = MINIMAL_HEADER): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${header}
  <component>${body}</component>
</ClinicalDocument>`;
}

export function cdaWithSection(sectionInner: string): string {
  return cdaWithBody(`<structuredBody><component><section>${sectionInner}</section></component></structuredBody>`);
}

/** A 1×1 transparent PNG. */
export const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

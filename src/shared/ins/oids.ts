/** INS matricule OIDs (DOMAIN.md §4). Generated and demo patients always use the test NIR OID. */
export const INS_OID = {
  NIR: '1.2.250.1.213.1.4.8',
  NIA: '1.2.250.1.213.1.4.9',
  TEST_NIR: '1.2.250.1.213.1.4.10',
  DEMO: '1.2.250.1.213.1.4.11',
} as const;

export type InsOid = (typeof INS_OID)[keyof typeof INS_OID];

export const INS_OIDS: readonly InsOid[] = Object.values(INS_OID);

export function isInsOid(oid: string): oid is InsOid {
  return (INS_OIDS as readonly string[]).includes(oid);
}

/** FHIR identifier system of an INS OID, e.g. `urn:oid:1.2.250.1.213.1.4.10`. */
export function insSystem(oid: InsOid): string {
  return `urn:oid:${oid}`;
}

/** Reverse of insSystem; undefined when the system is not an INS one. */
export function insOidFromSystem(system: string | undefined): InsOid | undefined {
  if (!system) return undefined;
  const oid = system.startsWith('urn:oid:') ? system.slice('urn:oid:'.length) : system;
  return isInsOid(oid) ? oid : undefined;
}

/**
 * Identifier system of the hospital's own patient number (IPP). The real one is the
 * establishment's OID; this demo value is what the seed writes and the importer also
 * recognises any identifier typed `PI` (HL7 v2-0203) as an IPP.
 */
export const DEFAULT_IPP_SYSTEM = 'urn:chu-demo:ipp';

/**
 * Deterministic 106-bit hash (two cyrb53 lanes) as 27 base-36 chars: stable ids for imported rows
 * derived from FHIR identifiers, so a re-import overwrites instead of duplicating.
 */
export function stableHash(text: string): string {
  return cyrb53(text, 0x9e3779b1).toString(36).padStart(11, '0') + cyrb53(text, 0x85ebca6b).toString(36).padStart(11, '0');
}

function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

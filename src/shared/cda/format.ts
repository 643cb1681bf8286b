// French display helpers over the CDA model, shared by the viewer, the DMP list and alerts.
import { INS_OID } from '../ins/oids';
import { own } from './own';
import type { CdaCode, CdaIdentifier, CdaIns, CdaPersonName } from './types';

const TITLES: Record<string, string> = { DR: 'Dr', PR: 'Pr', MR: 'M.', M: 'M.', MME: 'Mme', MLLE: 'Mlle' };

function title(raw: string): string {
  return own(TITLES, raw.toUpperCase().replace(/\./g, '')) ?? raw;
}

/** "Dr Charles DAVID": professional title (suffix DR/PR) first, else civility prefix. */
export function formatPersonName(name: Pick<CdaPersonName, 'prefixes' | 'givens' | 'families' | 'suffixes'>): string {
  const honorific = name.suffixes.length > 0 ? name.suffixes.map(title) : name.prefixes.map(title);
  return [...honorific, ...name.givens, ...name.families]
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(' ');
}

export function formatCode(code: CdaCode | undefined): string {
  if (!code) return '';
  return code.displayName ?? code.originalText ?? code.code ?? '';
}

export function formatIdentifier(id: CdaIdentifier | undefined): string {
  if (!id) return '';
  if (id.extension && id.root) return `${id.extension} (${id.root})`;
  return id.extension ?? id.root ?? '';
}

/** What kind of INS a CDA id root names, keyed by the OIDs of shared/ins. */
export const INS_KIND_BY_OID: Record<string, CdaIns['kind']> = {
  [INS_OID.NIR]: 'INS-NIR',
  [INS_OID.NIA]: 'INS-NIA',
  [INS_OID.TEST_NIR]: 'INS-NIR de test',
  [INS_OID.DEMO]: 'INS-NIR de démonstration',
};

const SEX_LABELS: Record<string, string> = { F: 'Féminin', M: 'Masculin', U: 'Inconnu', UN: 'Indifférencié' };

export function sexLabel(code: string, displayName?: string): string {
  return own(SEX_LABELS, code.toUpperCase()) ?? displayName ?? code;
}

const CONFIDENTIALITY: Record<string, string> = { N: 'Normal', R: 'Restreint', V: 'Très restreint' };

export function confidentialityLabel(code: CdaCode | undefined): string {
  if (!code) return '';
  return own(CONFIDENTIALITY, code.code) || code.displayName || code.code || '';
}

const TELECOM_USE: Record<string, string> = {
  H: 'domicile',
  HP: 'domicile',
  WP: 'professionnel',
  MC: 'mobile',
  EC: 'urgence',
  PG: 'bipeur',
};

/** "tel:0144534551" → "0144534551 (domicile)": shown as text, never as a link. */
export function formatTelecom(t: { value: string; use?: string }): string {
  const value = t.value.replace(/^(tel|fax|mailto):/i, '');
  const kind = /^fax:/i.test(t.value) ? 'fax' : own(TELECOM_USE, t.use);
  return kind ? `${value} (${kind})` : value;
}

import type { DmpEntry } from '../../../../shared/bridge/methods-dmp';
import { documentTypeCategory, documentTypeLabel } from '../../../../shared/loinc-labels';

export type SortKey = 'date' | 'type' | 'author';

export interface DocumentFilters {
  /** LOINC type code, or '' for every type. */
  type: string;
  /** YYYY-MM-DD bounds on the creation date, inclusive; '' when open. */
  from: string;
  to: string;
  /** Author as shown, or '' for every author. */
  author: string;
  showArchived: boolean;
  showMasked: boolean;
  showObsolete: boolean;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_FILTERS: DocumentFilters = { type: '', from: '', to: '', author: '', showArchived: false, showMasked: false, showObsolete: false, sort: 'date', descending: true };

export const VISIBILITY_LABELS = {
  MASQUE_PS: 'Masqué aux professionnels',
  INVISIBLE_PATIENT: 'Non visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Non visible par les représentants légaux',
} as const;

export const typeLabelOf = (e: DmpEntry): string => documentTypeLabel(e.typeCode?.code, e.typeCode?.display);
export const authorOf = (e: DmpEntry): string => e.author ?? 'Auteur non renseigné';

const DAY = 86_400_000;
export const RECENT_EXAM_DAYS = 30;

/** Imaging or lab report created in the last 30 days: shown as "examen récent" to avoid redundant acts. */
export function isRecentExam(e: DmpEntry, now: Date): boolean {
  const cat = documentTypeCategory(e.typeCode?.code);
  if (cat !== 'imagerie' && cat !== 'biologie') return false;
  if (e.availabilityStatus === 'deprecated') return false;
  const t = e.creationTime ? Date.parse(e.creationTime) : NaN;
  return Number.isFinite(t) && t <= now.getTime() + DAY && now.getTime() - t <= RECENT_EXAM_DAYS * DAY;
}

/** The document's states, each shown in the list. */
export function statesOf(e: DmpEntry): { key: string; label: string }[] {
  const s: { key: string; label: string }[] = [];
  if (e.availabilityStatus === 'archived') s.push({ key: 'archived', label: 'Archivé' });
  if (e.availabilityStatus === 'deprecated') s.push({ key: 'obsolete', label: 'Obsolète (remplacé)' });
  for (const v of e.visibility) s.push({ key: v, label: VISIBILITY_LABELS[v] });
  if (e.patientAuthored) s.push({ key: 'patient', label: 'Rédigé par le patient' });
  return s;
}

export interface FilterOutcome {
  shown: DmpEntry[];
  hidden: { archived: number; masked: number; obsolete: number };
}

/** Applies the list's filters and sort; counts what the state filters hide so the user knows. */
export function applyFilters(entries: readonly DmpEntry[], f: DocumentFilters): FilterOutcome {
  const hidden = { archived: 0, masked: 0, obsolete: 0 };
  const fromMs = f.from ? Date.parse(`${f.from}T00:00:00`) : -Infinity;
  const toMs = f.to ? Date.parse(`${f.to}T23:59:59.999`) : Infinity;
  const shown = entries.filter((e) => {
    if (e.availabilityStatus === 'deleted') return false;
    if (f.type && e.typeCode?.code !== f.type) return false;
    if (f.author && authorOf(e) !== f.author) return false;
    if (f.from || f.to) {
      const t = e.creationTime ? Date.parse(e.creationTime) : NaN;
      if (!Number.isFinite(t) || t < fromMs || t > toMs) return false;
    }
    let keep = true;
    if (e.availabilityStatus === 'archived' && !f.showArchived) {
      hidden.archived++;
      keep = false;
    }
    if (e.availabilityStatus === 'deprecated' && !f.showObsolete) {
      hidden.obsolete++;
      keep = false;
    }
    if (e.visibility.includes('MASQUE_PS') && !f.showMasked) {
      hidden.masked++;
      keep = false;
    }
    return keep;
  });
  const dir = f.descending ? -1 : 1;
  const time = (e: DmpEntry) => (e.creationTime ? Date.parse(e.creationTime) : 0);
  shown.sort((a, b) => {
    let c = 0;
    if (f.sort === 'type') c = typeLabelOf(a).localeCompare(typeLabelOf(b), 'fr');
    else if (f.sort === 'author') c = authorOf(a).localeCompare(authorOf(b), 'fr');
    if (c === 0) c = time(a) - time(b);
    return c * dir;
  });
  return { shown, hidden };
}

/** Distinct types and authors present, for the filter menus. */
export function filterChoices(entries: readonly DmpEntry[]): { types: { code: string; label: string }[]; authors: string[] } {
  const types = new Map<string, string>();
  const authors = new Set<string>();
  for (const e of entries) {
    if (e.typeCode?.code) types.set(e.typeCode.code, typeLabelOf(e));
    authors.add(authorOf(e));
  }
  return {
    types: [...types].map(([code, label]) => ({ code, label })).sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    authors: [...authors].sort((a, b) => a.localeCompare(b, 'fr')),
  };
}

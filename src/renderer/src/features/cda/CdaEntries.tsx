import { formatCdaInterval, formatCode, type CdaEntry } from '../../../../shared/cda';

const KIND_LABELS: Record<string, string> = {
  observation: 'Observation',
  act: 'Acte',
  substanceAdministration: 'Médicament',
  supply: 'Fourniture',
  procedure: 'Acte',
  encounter: 'Rencontre',
  organizer: 'Groupe',
  observationMedia: 'Fichier joint',
  regionOfInterest: 'Région d\u2019intérêt',
};

const STATUS_LABELS: Record<string, string> = {
  active: 'actif',
  completed: 'terminé',
  aborted: 'interrompu',
  cancelled: 'annulé',
  suspended: 'suspendu',
  held: 'en attente',
  new: 'nouveau',
  nullified: 'invalidé',
  obsolete: 'obsolète',
};

function lookup(record: Record<string, string>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function summary(e: CdaEntry): string {
  const label = e.product?.name ?? formatCode(e.product?.code) ?? '';
  return label || formatCode(e.code) || e.text || '';
}

/** Coded entries of a section, summarised (the narrative above is the authoritative text). */
export function CdaEntries({ entries }: { entries: CdaEntry[] }) {
  return <ul className="cda-entry-list">{entries.map((e, i) => <EntryItem key={i} entry={e} />)}</ul>;
}

function EntryItem({ entry: e }: { entry: CdaEntry }) {
  const kind = lookup(KIND_LABELS, e.kind);
  const status = lookup(STATUS_LABELS, e.statusCode) ?? e.statusCode;
  const details = [
    e.value && `valeur : ${e.value}`,
    e.interpretation && `interprétation : ${formatCode(e.interpretation)}`,
    e.referenceRange && `référence : ${e.referenceRange}`,
    e.dose && `dose : ${e.dose}`,
    e.frequency,
    e.route && `voie : ${formatCode(e.route)}`,
    e.participants.map((p) => p.name ?? formatCode(p.code)).filter(Boolean).join(', '),
    formatCdaInterval(e.effectiveTime),
    status && `statut : ${status}`,
  ].filter((d): d is string => !!d);
  return (
    <li className="cda-entry">
      <span className="cda-entry-kind">{kind ?? `Élément non pris en charge : ${e.kind}`}</span>{' '}
      {e.negated && <strong className="cda-negated">Absence : </strong>}
      <span className="cda-entry-label">{summary(e) || '—'}</span>
      {e.code?.code && <span className="cda-muted"> [{e.code.code}]</span>}
      {details.length > 0 && <span className="cda-entry-details"> — {details.join(' ; ')}</span>}
      {e.children.length > 0 && <CdaEntries entries={e.children} />}
    </li>
  );
}

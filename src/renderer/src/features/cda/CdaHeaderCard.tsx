import type { ReactNode } from 'react';
import {
  confidentialityLabel,
  formatCdaInterval,
  formatCdaTime,
  formatCode,
  formatIdentifier,
  formatTelecom,
  type CdaAssignedEntity,
  type CdaHeader,
} from '../../../../shared/cda';
import { documentTypeLabel } from '../../../../shared/loinc-labels';

function Field({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '' || children === false) return null;
  return (
    <div className="cda-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function entityText(entity: CdaAssignedEntity | undefined): string {
  if (!entity) return '';
  const parts = [entity.person?.display, formatCode(entity.code), entity.organization?.name, entity.device].filter(
    (p): p is string => !!p,
  );
  return parts.join(' — ');
}

const PARTICIPANT_ROLES: Record<string, string> = {
  REF: 'Prescripteur',
  PRF: 'Intervenant',
  INF: 'Informateur',
  CALLBCK: 'Rappel',
  ESC: 'Escorte',
  DIST: 'Destinataire',
};

function participantRole(typeCode: string | undefined): string {
  if (!typeCode) return 'Participant';
  return (Object.hasOwn(PARTICIPANT_ROLES, typeCode) ? PARTICIPANT_ROLES[typeCode] : undefined) ?? typeCode;
}

/** Header of a CDA document: who, for whom, when, signed by whom. */
export function CdaHeaderCard({ header, level }: { header: CdaHeader; level?: 1 | 3 }) {
  const p = header.patient;
  const typeLabel = documentTypeLabel(header.code?.code, header.code?.displayName);
  const replaced = header.relatedDocuments.filter((r) => r.typeCode === 'RPLC');
  return (
    <header className="cda-header">
      <h2 className="cda-title">{header.title ?? typeLabel}</h2>
      <dl className="cda-fields cda-doc-facts">
        <Field label="Type">{typeLabel}</Field>
        <Field label="Date du document">{formatCdaTime(header.effectiveTime)}</Field>
        <Field label="Confidentialité">{confidentialityLabel(header.confidentiality)}</Field>
        <Field label="Version">{header.version !== undefined ? String(header.version) : ''}</Field>
        <Field label="Structure">{level === 1 ? 'Document non structuré (PDF)' : level === 3 ? 'Document structuré' : ''}</Field>
        <Field label="Remplace le document">{replaced.flatMap((r) => r.parentIds.map(formatIdentifier)).join(', ')}</Field>
      </dl>

      <div className="cda-header-grid">
        <section className="cda-card" aria-label="Patient">
          <h3>Patient</h3>
          {p ? (
            <dl className="cda-fields">
              <Field label="Nom de naissance">{p.birthFamilyName}</Field>
              <Field label="Prénom(s) de naissance">{p.birthGivenNames}</Field>
              <Field label="Premier prénom de naissance">{p.firstBirthGivenName}</Field>
              <Field label="Nom utilisé">{p.usedFamilyName}</Field>
              <Field label="Prénom utilisé">{p.usedGivenName}</Field>
              <Field label="Sexe">{p.sex?.label}</Field>
              <Field label="Date de naissance">{formatCdaTime(p.birthDate)}</Field>
              <Field label="Lieu de naissance">
                {p.birthplace
                  ? [p.birthplace.city ?? p.birthplace.name, p.birthplace.inseeCode ? `code INSEE ${p.birthplace.inseeCode}` : '', p.birthplace.country]
                      .filter(Boolean)
                      .join(', ')
                  : ''}
              </Field>
              {p.deceased && <Field label="Décès">{formatCdaTime(p.deathDate) || 'oui'}</Field>}
              {p.ins.map((ins) => (
                <Field key={`${ins.oid}-${ins.value}`} label={ins.kind}>
                  {ins.value} <span className="cda-muted">(OID {ins.oid})</span>
                </Field>
              ))}
              <Field label="Autres identifiants">
                {p.ids
                  .filter((id) => !p.ins.some((ins) => ins.oid === id.root && ins.value === id.extension))
                  .map(formatIdentifier)
                  .join(', ')}
              </Field>
              <Field label="Adresse">{p.addressLines.join(', ')}</Field>
              <Field label="Contact">{p.telecoms.map(formatTelecom).join(' ; ')}</Field>
            </dl>
          ) : (
            <p className="cda-muted">Patient non renseigné dans le document.</p>
          )}
        </section>

        <section className="cda-card" aria-label="Auteur et responsabilité">
          <h3>Auteur et responsabilité</h3>
          <dl className="cda-fields">
            {header.authors.map((a, i) => (
              <Field key={i} label={header.authors.length > 1 ? `Auteur ${i + 1}` : 'Auteur'}>
                {entityText(a.entity)}
                {a.time && <span className="cda-muted"> ({formatCdaTime(a.time)})</span>}
              </Field>
            ))}
            <Field label="Responsable (signataire)">
              {header.legalAuthenticator ? (
                <>
                  {entityText(header.legalAuthenticator.entity)}
                  {header.legalAuthenticator.time && (
                    <span className="cda-muted"> (le {formatCdaTime(header.legalAuthenticator.time)})</span>
                  )}
                </>
              ) : (
                ''
              )}
            </Field>
            <Field label="Établissement conservant le document">
              {header.custodian ? [header.custodian.name, header.custodian.addressLines.join(', ')].filter(Boolean).join(' — ') : ''}
            </Field>
            {header.participants.map((pt, i) => (
              <Field key={`p${i}`} label={formatCode(pt.functionCode) || participantRole(pt.typeCode)}>
                {entityText(pt.entity)}
              </Field>
            ))}
            <Field label="Destinataires">{header.recipients.map(entityText).filter(Boolean).join(' ; ')}</Field>
          </dl>
        </section>

        {(header.encounter || header.serviceEvents.length > 0) && (
          <section className="cda-card" aria-label="Prise en charge">
            <h3>Prise en charge</h3>
            <dl className="cda-fields">
              {header.encounter && (
                <>
                  <Field label="Type de prise en charge">{formatCode(header.encounter.code)}</Field>
                  <Field label="Période">{formatCdaInterval(header.encounter.effectiveTime)}</Field>
                  <Field label="Lieu">
                    {[header.encounter.location?.name, formatCode(header.encounter.location?.facilityCode), header.encounter.location?.addressLines.join(', ')]
                      .filter(Boolean)
                      .join(' — ')}
                  </Field>
                  <Field label="Responsable de la prise en charge">{entityText(header.encounter.responsible)}</Field>
                </>
              )}
              {header.serviceEvents.map((se, i) => (
                <Field key={`se${i}`} label="Acte documenté">
                  {[formatCode(se.code), formatCdaInterval(se.effectiveTime), se.performers.map((pf) => entityText(pf.entity)).join(' ; ')]
                    .filter(Boolean)
                    .join(' — ')}
                </Field>
              ))}
            </dl>
          </section>
        )}
      </div>
    </header>
  );
}

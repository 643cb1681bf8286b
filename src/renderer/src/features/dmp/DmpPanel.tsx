import { useId, useState } from 'react';
import { DMP_ACCESS_MODE_LABELS, type DmpEntry, type DmpStatusView } from '../../../../shared/bridge/methods-dmp';
import type { Role } from '../../../../shared/bridge/roles';
import { IDENTITY_STATUS_LABELS } from '../../../../shared/ins/identity-status';
import { Dialog } from '../ui';
import { ConsentDialog } from './ConsentDialog';
import { DocumentList } from './DocumentList';
import { DocumentViewer } from './DocumentViewer';
import { grantedMode, useDmpDocuments, useDmpPatientScope, useDmpStatus } from './queries';
import type { DmpIntegration, DmpPatient } from './types';
import './dmp.css';

export interface DmpPanelProps {
  patient: DmpPatient;
  /** Role of the signed-in user: hides choices main would refuse anyway. */
  role?: Role | undefined;
  /** Writes an integrated document into the local record (Dexie). Without it, no "Intégrer" button. */
  onIntegrate?: ((doc: DmpIntegration) => Promise<void> | void) | undefined;
}

function Notice({ tone, title, children, testId }: { tone: 'info' | 'warning' | 'blocked'; title: string; children: React.ReactNode; testId: string }) {
  return (
    <div className={`dmp-notice dmp-notice-${tone}`} role={tone === 'info' ? 'status' : 'alert'} data-testid={testId}>
      <strong>{title}</strong>
      <div>{children}</div>
    </div>
  );
}

/** What stands between the user and the documents, said plainly with what to do. */
function StatusNotice({ status }: { status: DmpStatusView }) {
  if (!status.insQualified) {
    return (
      <Notice tone="warning" title="Identité non qualifiée : DMP inaccessible" testId="dmp-ins-not-qualified">
        Statut actuel : {IDENTITY_STATUS_LABELS[status.identityStatus]}. L’INS ne peut être utilisé pour accéder au DMP que si l’identité est
        qualifiée (pièce d’identité contrôlée et INS vérifié par le téléservice INSi). Faites qualifier l’identité par le bureau des entrées ou la
        cellule d’identitovigilance, puis rouvrez cet onglet.
      </Notice>
    );
  }
  if (!status.exists) {
    return (
      <Notice tone="info" title="Ce patient n’a pas de DMP" testId="dmp-no-dmp">
        Aucun dossier médical partagé n’existe pour cet INS. Le patient peut activer son DMP dans « Mon espace santé » ; les documents de
        l’hôpital y seront alors versés.
      </Notice>
    );
  }
  if (status.authorization === 'INTERDIT') {
    return (
      <Notice tone="blocked" title="Le patient vous a interdit l’accès à son DMP" testId="dmp-interdit">
        Aucun accès n’est possible, même en urgence. Seul le patient peut lever ce blocage, depuis « Mon espace santé ». Appuyez-vous sur le
        dossier de l’hôpital et sur l’interrogatoire.
      </Notice>
    );
  }
  return null;
}

/**
 * The DMP tab of a patient's chart. Opening it calls TD0.2 only; documents are listed
 * only once an authorisation is valid, given, or an emergency access is declared.
 */
export function DmpPanel({ patient, role, onIntegrate }: DmpPanelProps) {
  useDmpPatientScope(patient.ref.id, { onUnmount: false });
  const status = useDmpStatus(patient);
  const [refusedFor, setRefusedFor] = useState<string | null>(null);
  const [opening, setOpening] = useState<{ patientId: string; entry: DmpEntry; confirmed: boolean } | null>(null);
  const mode = grantedMode(status.data);
  const documents = useDmpDocuments(patient, mode);
  const current = opening?.patientId === patient.ref.id ? opening : null;

  return (
    <section className="dmp-panel" aria-label="Dossier Médical Partagé" data-testid="dmp-panel">
      <header className="dmp-panel-head">
        <h2>Dossier Médical Partagé</h2>
        {status.data && <span className={`dmp-env ${status.data.environment.test ? 'dmp-env-test' : ''}`}>{status.data.environment.label}</span>}
        {mode && mode !== 'normal' && (
          <span className="dmp-mode-emergency" data-testid="dmp-mode">
            {DMP_ACCESS_MODE_LABELS[mode]}
          </span>
        )}
      </header>

      {status.isPending && <p role="status">Interrogation du DMP (statut et autorisation d’accès)…</p>}
      {status.error && (
        <div className="dmp-error" role="alert" data-testid="dmp-error">
          <p>{status.error.message}</p>
          <button type="button" onClick={() => void status.refetch()}>
            Réessayer
          </button>
        </div>
      )}
      {status.data && <StatusNotice status={status.data} />}

      {status.data?.insQualified && status.data.exists && status.data.authorization !== 'INTERDIT' && !mode &&
        (refusedFor === patient.ref.id ? (
          <Notice tone="info" title="Refus du patient enregistré" testId="dmp-refused">
            Aucun document du DMP n’a été consulté. Si le patient change d’avis, vous pouvez{' '}
            <button type="button" className="link" onClick={() => setRefusedFor(null)}>
              revenir au recueil du consentement
            </button>
            .
          </Notice>
        ) : (
          <ConsentDialog patient={patient} status={status.data} role={role} onRefused={() => setRefusedFor(patient.ref.id)} />
        ))}

      {mode && documents.isPending && <p role="status">Chargement de la liste des documents…</p>}
      {mode && documents.error && (
        <p className="dmp-error" role="alert">
          {documents.error.message}
        </p>
      )}
      {mode && documents.data && current && !current.confirmed && (
        <InvisibleWarning onOpen={() => setOpening({ ...current, confirmed: true })} onCancel={() => setOpening(null)} />
      )}
      {mode && documents.data && current?.confirmed && (
        <DocumentViewer patient={patient} mode={mode} entry={current.entry} onClose={() => setOpening(null)} onIntegrate={onIntegrate} />
      )}
      {mode && documents.data && !current?.confirmed && (
        <DocumentList
          entries={documents.data}
          onOpen={(entry) => setOpening({ patientId: patient.ref.id, entry, confirmed: !entry.visibility.includes('INVISIBLE_PATIENT') })}
        />
      )}
    </section>
  );
}

/** Asked before opening a document the patient cannot see yet: modal, Escape cancels. */
function InvisibleWarning({ onOpen, onCancel }: { onOpen(): void; onCancel(): void }) {
  const titleId = useId();
  return (
    <Dialog role="alertdialog" labelledBy={titleId} onClose={onCancel} className="dmp-warning-dialog" testId="dmp-invisible-warning">
      <h3 id={titleId}>Document non visible par le patient</h3>
      <p>
        Ce document n’est pas visible par le patient dans son DMP : il attend d’en être informé par un professionnel (annonce d’un diagnostic, par
        exemple). N’en révélez pas le contenu au patient avant que cette information ait eu lieu.
      </p>
      <div className="dmp-actions">
        <button type="button" className="primary" onClick={onOpen}>
          Ouvrir le document
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </Dialog>
  );
}

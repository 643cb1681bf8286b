import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { RecordAccessEvent } from '../../../../shared/bridge/methods-record';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { api } from '../../bridge';
import { addAllergy, addNote, addProblem, addTreatment } from '../../db/clinical';
import { RecordStateError, RecordValidationError } from '../../../../shared/record/validation';
import { FormFooter } from '../forms';
import { recordDb } from '../patients';
import { useSession } from '../session';
import { Dialog } from '../ui';
import { chartKeys } from './keys';

type Kind = 'allergy' | 'treatment' | 'problem' | 'note';

interface Field {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select';
  options?: [string, string][];
  placeholder?: string;
}

const FORMS: Record<Kind, { title: string; event: RecordAccessEvent; fields: Field[] }> = {
  allergy: {
    title: 'Allergie',
    event: 'record.allergy.write',
    fields: [
      { name: 'substance', label: 'Allergène', placeholder: 'ex. Pénicilline' },
      { name: 'reaction', label: 'Réaction', placeholder: 'ex. urticaire' },
      { name: 'criticality', label: 'Gravité', type: 'select', options: [['', '—'], ['low', 'Faible'], ['high', 'Élevée'], ['unable-to-assess', 'Non évaluable']] },
    ],
  },
  treatment: {
    title: 'Traitement',
    event: 'record.treatment.write',
    fields: [
      { name: 'medication', label: 'Médicament', placeholder: 'ex. Bisoprolol 2,5 mg' },
      { name: 'dosage', label: 'Posologie', placeholder: 'ex. 1 comprimé le matin' },
      { name: 'kind', label: 'Type', type: 'select', options: [['current', 'Traitement en cours'], ['discharge', 'Ordonnance de sortie']] },
    ],
  },
  problem: {
    title: 'Problème / diagnostic',
    event: 'record.problem.write',
    fields: [
      { name: 'code', label: 'Code CIM-10', placeholder: 'ex. I21.0' },
      { name: 'label', label: 'Libellé', placeholder: 'ex. Infarctus aigu du myocarde' },
    ],
  },
  note: { title: 'Note clinique', event: 'record.note.write', fields: [{ name: 'text', label: 'Note', type: 'textarea' }] },
};

/**
 * Bedside writing, network or not: each form is validated field by field
 * (French messages), saved in one IndexedDB transaction, then journalled.
 */
export function BedsideForms({ patient }: { patient: PatientRef }) {
  const [kind, setKind] = useState<Kind | null>(null);
  return (
    <div className="bedside">
      <div className="bedside-buttons">
        {(Object.keys(FORMS) as Kind[]).map((k) => (
          <button key={k} type="button" onClick={() => setKind(k)} className={kind === k ? 'active' : ''}>
            + {FORMS[k].title}
          </button>
        ))}
      </div>
      {kind && <BedsideForm key={kind} kind={kind} patient={patient} onDone={() => setKind(null)} />}
    </div>
  );
}

function BedsideForm({ kind, patient, onDone }: { kind: Kind; patient: PatientRef; onDone: () => void }) {
  const spec = FORMS[kind];
  const qc = useQueryClient();
  const { status } = useSession();
  const [values, setValues] = useState<Record<string, string>>(() => (kind === 'treatment' ? { kind: 'current' } : ({} as Record<string, string>)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const titleId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(null);
    setSaving(true);
    const author = status?.user?.displayName ?? 'inconnu';
    const db = recordDb();
    try {
      const v = Object.fromEntries(Object.entries(values).filter(([, x]) => x !== ''));
      const written =
        kind === 'allergy'
          ? await addAllergy(db, patient.id, { substance: v.substance ?? '', ...(v.reaction ? { reaction: v.reaction } : {}), ...(v.criticality ? { criticality: v.criticality as 'low' } : {}), recordedBy: author })
          : kind === 'treatment'
            ? await addTreatment(db, patient.id, { medication: v.medication ?? '', dosage: v.dosage ?? '', kind: (v.kind as 'current' | 'discharge') ?? 'current', prescriber: author })
            : kind === 'problem'
              ? await addProblem(db, patient.id, { code: v.code ?? '', label: v.label ?? '' })
              : await addNote(db, patient.id, { author, text: v.text ?? '' });
      const ack = await api.record.reportAccess({ patient, event: spec.event, entity: written.audit.entity ?? { type: 'Patient', id: patient.id } });
      if (!ack.ok) setError(`Enregistré dans le dossier local, mais la trace n’a pas pu être écrite : ${ack.error.message}`);
      await qc.invalidateQueries({ queryKey: chartKeys.chart(patient.id) });
      if (ack.ok) onDone();
    } catch (err) {
      if (err instanceof RecordValidationError) setErrors(err.fieldErrors);
      else if (err instanceof RecordStateError) setError(err.message);
      else setError(`Enregistrement impossible : ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    // Inline, not modal: the chart stays readable while typing; Escape cancels, the focus goes back to "+ …".
    <Dialog modal={false} focusFirstControl labelledBy={titleId} onClose={onDone} className="dialog bedside-form">
      <h3 id={titleId}>{spec.title}</h3>
      <form className="dialog-form" onSubmit={submit}>
        {spec.fields.map((f) => (
          <label key={f.name}>
            {f.label}
            {f.type === 'select' ? (
              <select value={values[f.name] ?? ''} onChange={(e) => setValues((x) => ({ ...x, [f.name]: e.target.value }))}>
                {f.options!.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            ) : f.type === 'textarea' ? (
              <textarea rows={5} value={values[f.name] ?? ''} onChange={(e) => setValues((x) => ({ ...x, [f.name]: e.target.value }))} aria-invalid={!!errors[f.name]} />
            ) : (
              <input value={values[f.name] ?? ''} placeholder={f.placeholder} onChange={(e) => setValues((x) => ({ ...x, [f.name]: e.target.value }))} aria-invalid={!!errors[f.name]} />
            )}
            {errors[f.name] && <span className="field-error">{errors[f.name]}</span>}
          </label>
        ))}
        <FormFooter
          otherErrors={Object.entries(errors)
            .filter(([k]) => !spec.fields.some((f) => f.name === k))
            .map(([, m]) => m)}
          error={error}
          onCancel={onDone}
          submitLabel="Enregistrer"
          busy={saving}
        />
      </form>
    </Dialog>
  );
}

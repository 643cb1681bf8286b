import { useId, useState, type FormEvent } from 'react';
import { INS_OID } from '../../../../shared/ins/oids';
import type { IdentityStatus } from '../../../../shared/ins/identity-status';
import { IDENTITY_STATUS_LABELS } from '../../../../shared/ins/identity-status';
import { validateNir } from '../../../../shared/ins/nir';
import { api } from '../../bridge';
import { createPatient } from '../../db/patients';
import type { PatientRow } from '../../db/types';
import { RecordValidationError } from '../../../../shared/record/validation';
import { FormFooter } from '../forms';
import { recordDb } from './record-db';

/** A new identity typed at the desk, INS rules applied: the NIR key is checked before anything is saved. */
export function NewPatientForm({ unit, onCreated, onCancel }: { unit?: string; onCreated: (p: PatientRow) => void; onCancel: () => void }) {
  const [v, setV] = useState({ birthFamilyName: '', birthGivenNames: '', birthDate: '', sex: 'F', birthPlaceCode: '', usedFamilyName: '', nir: '', identityStatus: 'PROV' });
  const titleId = useId();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(null);
    let ins: { value: string; oid: (typeof INS_OID)[keyof typeof INS_OID] } | undefined;
    if (v.nir.trim()) {
      const check = validateNir(v.nir);
      if (!check.ok) return setErrors({ nir: check.error });
      ins = { value: check.nir, oid: INS_OID.TEST_NIR };
    }
    try {
      const { row } = await createPatient(recordDb(), {
        birthFamilyName: v.birthFamilyName,
        birthGivenNames: v.birthGivenNames,
        birthDate: v.birthDate,
        sex: v.sex as 'M' | 'F',
        ...(v.birthPlaceCode ? { birthPlaceCode: v.birthPlaceCode.toUpperCase() } : {}),
        ...(v.usedFamilyName ? { usedFamilyName: v.usedFamilyName } : {}),
        ...(ins ? { ins } : {}),
        identityStatus: v.identityStatus as IdentityStatus,
        ...(unit ? { currentUnit: unit } : {}),
      });
      // Main indexes the new patient in the user's unit (and journals the creation), so the chart opens.
      const ack = unit ? await api.record.registerPatient({ created: { id: row.id, ipp: row.ipp }, unit, provisional: false }) : null;
      if (ack && !ack.ok) setError(`Patient enregistré localement ; non enregistré par le poste : ${ack.error.message}`);
      onCreated(row);
    } catch (err) {
      if (err instanceof RecordValidationError) setErrors(err.fieldErrors);
      else setError(err instanceof Error ? err.message : String(err));
    }
  };

  const field = (k: keyof typeof v, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input value={v[k]} onChange={set(k)} aria-invalid={!!errors[k]} {...extra} />
      {errors[k] && <span className="field-error">{errors[k]}</span>}
    </label>
  );
  return (
    <form className="panel new-patient" onSubmit={submit} aria-labelledby={titleId}>
      <h2 id={titleId}>Nouveau patient</h2>
      <div className="form-grid">
        {field('birthFamilyName', 'Nom de naissance')}
        {field('birthGivenNames', 'Prénoms de naissance (tous, dans l’ordre)')}
        {field('birthDate', 'Date de naissance', { placeholder: 'jj/mm/aaaa' })}
        <label>
          Sexe
          <select value={v.sex} onChange={set('sex')}>
            <option value="F">Femme</option>
            <option value="M">Homme</option>
          </select>
        </label>
        {field('birthPlaceCode', 'Code INSEE du lieu de naissance', { placeholder: 'ex. 21231, 2A004, 99134' })}
        {field('usedFamilyName', 'Nom utilisé (facultatif)')}
        {field('nir', 'Matricule INS (NIR, 15 caractères, facultatif)')}
        <label>
          Statut de l’identité
          <select value={v.identityStatus} onChange={set('identityStatus')}>
            {(['PROV', 'RECUP', 'VALI', 'QUAL'] as const).map((s) => (
              <option key={s} value={s}>
                {IDENTITY_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <FormFooter
        otherErrors={Object.entries(errors)
          .filter(([k]) => !(k in v))
          .map(([, m]) => m)}
        error={error}
        onCancel={onCancel}
        submitLabel="Créer le patient"
      />
    </form>
  );
}

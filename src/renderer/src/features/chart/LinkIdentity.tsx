import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../bridge';
import { linkProvisionalIdentity } from '../../db/patients';
import { searchPatients } from '../../db/search';
import type { PatientRow } from '../../db/types';
import { displayName, recordDb, toPatientRef } from '../patients';
import { useSession } from '../session';
import { chartKeys } from './keys';
import { formatDateFr } from '../../../../shared/time';

/**
 * An unidentified emergency patient, once identified, is linked to the real
 * identity: both histories are kept (nothing is moved) and the link is journalled.
 */
export function LinkIdentity({ provisional, onLinked }: { provisional: PatientRow; onLinked: (real: PatientRow) => void }) {
  const { status } = useSession();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [found, setFound] = useState<PatientRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = async (q: string) => {
    setText(q);
    const r = await searchPatients(recordDb(), q, 8);
    setFound(r.patients.filter((p) => p.id !== provisional.id && !p.linkedTo));
  };
  const link = async (real: PatientRow) => {
    setError(null);
    try {
      await linkProvisionalIdentity(recordDb(), { provisionalId: provisional.id, realId: real.id, linkedBy: status?.user?.displayName ?? 'inconnu' });
      for (const p of [provisional, real]) {
        const ack = await api.record.reportAccess({ patient: toPatientRef(p), event: 'record.identity.link', entity: { type: 'Patient', id: p.id } });
        if (!ack.ok) throw new Error(ack.error.message);
      }
      await qc.invalidateQueries({ queryKey: chartKeys.charts });
      onLinked(real);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section className="dialog link-identity" aria-labelledby="link-title">
      <h3 id="link-title">Rattacher à l’identité réelle</h3>
      <p className="hint">Identité provisoire « {provisional.provisionalLabel ?? displayName(provisional)} » : recherchez le patient une fois identifié. Les deux historiques sont conservés.</p>
      <input type="search" aria-label="Rechercher l’identité réelle" value={text} onChange={(e) => void search(e.target.value)} placeholder="Nom, IPP, INS…" />
      <ul className="link-results">
        {found.map((p) => (
          <li key={p.id}>
            {displayName(p)} — {formatDateFr(p.birthDate)} — IPP {p.ipp}
            <button type="button" onClick={() => void link(p)}>
              Rattacher
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { BreakGlassDialog } from './BreakGlassDialog';
import { chartKeys } from './keys';

/** Main said no: its French reason, and for clinicians the way through (local break-glass). */
export function AccessDenied({ message, clinical, patientRef }: { message: string; clinical: boolean; patientRef: PatientRef }) {
  const qc = useQueryClient();
  const [breakGlass, setBreakGlass] = useState(false);
  return (
    <>
      <div className="access-denied" role="alert" data-testid="access-denied">
        <p>{message}</p>
        {clinical && (
          <button type="button" className="danger" onClick={() => setBreakGlass(true)}>
            Accès exceptionnel (bris de glace)…
          </button>
        )}
      </div>
      {breakGlass && (
        <BreakGlassDialog
          patient={patientRef}
          onCancel={() => setBreakGlass(false)}
          onGranted={() => {
            setBreakGlass(false);
            void qc.invalidateQueries({ queryKey: chartKeys.gates(patientRef.id) });
          }}
        />
      )}
    </>
  );
}

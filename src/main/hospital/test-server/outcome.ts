import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

type IssueCode = OperationOutcomeIssue['code'];

/** An OperationOutcome with one error issue, the French text in `diagnostics` (what clients show). */
export function outcome(code: IssueCode, diagnostics: string, details?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics, ...(details ? { details: { text: details } } : {}) }],
  };
}

const FRENCH_BY_STATUS: Record<number, [IssueCode, string]> = {
  400: ['invalid', 'Requête invalide'],
  404: ['not-found', 'Ressource introuvable.'],
  409: ['conflict', 'Conflit : la ressource a été modifiée entre-temps.'],
  410: ['deleted', 'Ressource supprimée.'],
  412: ['conflict', 'Version périmée : la ressource a changé depuis la version indiquée (If-Match), ou la condition désigne plusieurs ressources.'],
  422: ['processing', 'Ressource non valide'],
  500: ['exception', 'Erreur interne du serveur hospitalier de test.'],
};

/**
 * Medplum's outcomes speak English; clients show the diagnostics to clinicians. The French text
 * goes in `diagnostics`, Medplum's own in `details.text` (for whoever debugs).
 */
export function frenchOutcome(status: number, original: OperationOutcome): OperationOutcome {
  if (status < 400) return original;
  const [code, fr] = FRENCH_BY_STATUS[status] ?? FRENCH_BY_STATUS[status >= 500 ? 500 : 400]!;
  const english = original.issue?.map((i) => i.details?.text ?? i.diagnostics).filter(Boolean).join(' ; ');
  const text = status === 400 || status === 422 ? `${fr}${english ? ` : ${english}` : '.'}` : fr;
  return outcome(original.issue?.[0]?.code ?? code, text, english || undefined);
}

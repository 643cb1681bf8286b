/** The chart's queries: the access decision from main, then the local record read from IndexedDB. */
export const chartKeys = {
  /** Main's answer to "may this user open this patient?", per kind of opening (clinical or identity only). */
  gates: (patientId: string) => ['record.gate', patientId] as const,
  gate: (patientId: string, clinical: boolean) => ['record.gate', patientId, clinical] as const,
  /** Every open chart: a write that touches two patients (identity link) refreshes them all. */
  charts: ['record.chart'] as const,
  chart: (patientId: string) => ['record.chart', patientId] as const,
  document: (documentId: string) => ['record.document', documentId] as const,
};

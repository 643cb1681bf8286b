// Safe CDA R2 reading for the local record and the DMP panel: plain data, no DOM.
export { parseCda, getEmbeddedPdf, type ParseCdaOptions } from './parse';
export { extractAllergies, extractTreatments, sourceOf } from './clinical';
export type { CdaAllergy, CdaTreatment, CdaClinicalSource } from './clinical';
export { formatCdaTime, formatCdaInterval, parseCdaTime, cdaTimeToEpoch } from './time';
export {
  formatPersonName,
  formatCode,
  formatIdentifier,
  formatTelecom,
  confidentialityLabel,
  sexLabel,
  INS_KIND_BY_OID,
} from './format';
export { PDF_COPY_LOINC } from './body';
export { DEFAULT_MAX_BYTES } from './xml';
export { DEFAULT_MAX_DEPTH } from './context';
export type * from './types';

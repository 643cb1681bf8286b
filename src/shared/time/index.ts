// The one time module: parsing (HL7 TS, XDS DTM, ISO 8601) and French display in Europe/Paris,
// for main, renderer, PDF and journal screens alike.
export { hl7ToEpoch, hl7ToIsoAsWritten, parseHl7, toHl7Utc, toXdsDtm, type Hl7Time } from './hl7';
export { CALENDAR_DAY, parseInstant, toIsoInstant, toIsoSeconds } from './instant';
export {
  DISPLAY_TIME_ZONE,
  formatDateFr,
  formatDateTimeFr,
  formatHl7Fr,
  formatLongDateTimeFr,
  formatTimeFr,
  parisDay,
  parisParts,
  type ParisParts,
} from './display';

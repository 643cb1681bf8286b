import { describe, expect, it } from 'vitest';
import {
  formatDateFr,
  formatDateTimeFr,
  formatHl7Fr,
  formatLongDateTimeFr,
  formatTimeFr,
  hl7ToEpoch,
  parisDay,
  parseHl7,
  parseInstant,
  toHl7Utc,
  toIsoInstant,
  toIsoSeconds,
  toXdsDtm,
} from '../../../../src/shared/time';
import { cdaTimeToEpoch, formatCdaTime, parseCdaTime } from '../../../../src/shared/cda';

describe('HL7 TS and XDS DTM parsing', () => {
  it('keeps the precision written', () => {
    expect(parseHl7('2021')).toEqual({ year: 2021 });
    expect(parseHl7('202103')).toEqual({ year: 2021, month: 3 });
    expect(parseHl7('19790328')).toEqual({ year: 1979, month: 3, day: 28 });
    expect(parseHl7('2019120313')).toEqual({ year: 2019, month: 12, day: 3, hour: 13 });
    expect(parseHl7('20191203133000.25+0100')).toEqual({ year: 2019, month: 12, day: 3, hour: 13, minute: 30, second: 0, millisecond: 250, offset: '+0100' });
  });

  it('refuses what is not a real time: null, never a default', () => {
    for (const bad of ['', '20', '20190', '20191301', '20190230', '20191203250000', '2019120313300', '20191203+2500', '2019.5', 'abcd', '2019-12-03', undefined]) {
      expect(parseHl7(bad)).toBeNull();
      expect(hl7ToEpoch(bad)).toBeNull();
    }
  });

  it('reads offsets; without one the time is UTC (the XDS rule)', () => {
    expect(new Date(hl7ToEpoch('20191203133000+0100')!).toISOString()).toBe('2019-12-03T12:30:00.000Z');
    expect(new Date(hl7ToEpoch('20190703133000-0430')!).toISOString()).toBe('2019-07-03T18:00:00.000Z');
    expect(new Date(hl7ToEpoch('20191203133000')!).toISOString()).toBe('2019-12-03T13:30:00.000Z');
  });

  it('a partial time starts at its period, or ends with it', () => {
    expect(new Date(hl7ToEpoch('2024')!).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(hl7ToEpoch('202402', true)!).toISOString()).toBe('2024-02-29T23:59:59.999Z');
    expect(new Date(hl7ToEpoch('20240315', true)!).toISOString()).toBe('2024-03-15T23:59:59.999Z');
  });

  it('writes DTM and TS in UTC', () => {
    const d = new Date('2024-06-01T22:15:09.123Z');
    expect(toXdsDtm(d)).toBe('20240601221509');
    expect(toHl7Utc(d)).toBe('20240601221509+0000');
    expect(toIsoSeconds(d)).toBe('2024-06-01T22:15:09Z');
  });
});

describe('instants from any accepted form', () => {
  it('ISO 8601 (what the bridge hands), calendar days and HL7 alike', () => {
    expect(toIsoInstant('2026-11-14T08:00:00.000Z')).toBe('2026-11-14T08:00:00.000Z');
    expect(toIsoInstant('2026-11-14T09:00:00+01:00')).toBe('2026-11-14T08:00:00.000Z');
    expect(toIsoInstant('2026-11-14')).toBe('2026-11-14T00:00:00.000Z');
    expect(toIsoInstant('20261114080000')).toBe('2026-11-14T08:00:00.000Z');
  });

  it('invalid input is null, not today', () => {
    for (const bad of ['', 'hier', '2026-02-30', '2026-02-30T10:00:00Z', '2026-11-14T08:00', '14/11/2026', undefined, null, new Date('x')]) {
      expect(parseInstant(bad)).toBeNull();
      expect(toIsoInstant(bad)).toBeNull();
    }
  });
});

describe('French display in Europe/Paris', () => {
  it('winter time is UTC+1, summer time UTC+2', () => {
    expect(formatDateTimeFr('2024-01-15T12:00:00Z')).toBe('15/01/2024 13:00');
    expect(formatDateTimeFr('2024-07-15T12:00:00Z')).toBe('15/07/2024 14:00');
    expect(formatTimeFr('2024-07-15T12:00:00Z')).toBe('14:00');
    expect(formatDateTimeFr('2024-07-15T12:00:05Z', { seconds: true })).toBe('15/07/2024 14:00:05');
  });

  it('around the changes of hour (last Sundays of March and October)', () => {
    expect(formatDateTimeFr('2024-03-31T00:59:00Z')).toBe('31/03/2024 01:59');
    expect(formatDateTimeFr('2024-03-31T01:00:00Z')).toBe('31/03/2024 03:00');
    expect(formatDateTimeFr('2024-10-27T00:30:00Z')).toBe('27/10/2024 02:30');
    expect(formatDateTimeFr('2024-10-27T01:30:00Z')).toBe('27/10/2024 02:30');
  });

  it('the day is the Paris day, not the UTC one', () => {
    expect(formatDateFr('2024-03-10T23:30:00Z')).toBe('11/03/2024');
    expect(parisDay(new Date('2024-12-31T23:30:00Z'))).toBe('2025-01-01');
    expect(formatDateFr(new Date('2024-06-30T22:00:00Z'))).toBe('01/07/2024');
  });

  it('a calendar day is shown as written, never shifted', () => {
    expect(formatDateFr('1980-05-12')).toBe('12/05/1980');
    expect(formatDateTimeFr('1980-05-12')).toBe('12/05/1980');
    expect(formatDateFr('19800512')).toBe('12/05/1980');
    expect(formatDateFr('198005')).toBe('05/1980');
  });

  it('unreadable values show the fallback', () => {
    expect(formatDateFr(undefined)).toBe('—');
    expect(formatDateFr('n/a', 'Date inconnue')).toBe('Date inconnue');
    expect(formatDateTimeFr('2024-13-01T00:00:00Z')).toBe('—');
    expect(formatTimeFr('')).toBe('—');
  });

  it('a long date for sentences', () => {
    expect(formatLongDateTimeFr(new Date('2019-12-03T12:30:00Z'))).toBe('3 décembre 2019 à 13:30');
    expect(formatLongDateTimeFr(new Date('2025-08-01T06:05:00Z'))).toBe('1 août 2025 à 08:05');
  });

  it('HL7 at its precision; with an offset, converted to Paris', () => {
    expect(formatHl7Fr(parseHl7('2021')!)).toBe('2021');
    expect(formatHl7Fr(parseHl7('202103')!)).toBe('03/2021');
    expect(formatHl7Fr(parseHl7('20210305')!)).toBe('05/03/2021');
    expect(formatHl7Fr(parseHl7('20210305101500')!)).toBe('05/03/2021 10:15');
    expect(formatHl7Fr(parseHl7('20210705101500+0000')!)).toBe('05/07/2021 12:15');
    expect(formatHl7Fr(parseHl7('20191203133000+0100')!)).toBe('03/12/2019 13:30');
  });
});

describe('the CDA model reads through the same module', () => {
  it('parses, displays and dates a CDA time', () => {
    const t = parseCdaTime('20191203133000+0100')!;
    expect(t).toMatchObject({ raw: '20191203133000+0100', year: 2019, month: 12, day: 3, hour: 13, minute: 30, second: 0, timezone: '+0100', iso: '2019-12-03T13:30:00+01:00' });
    expect(formatCdaTime(t)).toBe('03/12/2019 13:30');
    expect(cdaTimeToEpoch(t)).toBe(Date.parse('2019-12-03T12:30:00Z'));
    expect(parseCdaTime('20191332')).toEqual({ raw: '20191332' });
    expect(formatCdaTime(parseCdaTime('20191332'))).toBe('20191332');
  });
});

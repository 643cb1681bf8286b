import { describe, expect, it } from 'vitest';
import { parseFrDay } from '../../../../src/renderer/src/features/audit/DayField';

describe('French day field', () => {
  it('reads jj/mm/aaaa into an ISO day and refuses days that do not exist', () => {
    expect(parseFrDay('14/02/2026')).toBe('2026-02-14');
    expect(parseFrDay(' 1/3/2026 ')).toBe('2026-03-01');
    expect(parseFrDay('29/02/2024')).toBe('2024-02-29');
    expect(parseFrDay('29/02/2026')).toBeNull();
    expect(parseFrDay('02/14/2026')).toBeNull();
    expect(parseFrDay('2026-02-14')).toBeNull();
  });
});

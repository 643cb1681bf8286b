import { describe, expect, it } from 'vitest';
import {
  IDENTITY_STATUS_LABELS,
  exchangeableIns,
  insDisplay,
  insUsable,
  isIdentityStatus,
  nextIdentityStatus,
} from '../../../../src/shared/ins/identity-status';
import { INS_OID, insOidFromSystem, insSystem } from '../../../../src/shared/ins/oids';

const ins = { value: '279035121518989', oid: INS_OID.TEST_NIR };

describe('identity status', () => {
  it('has French labels for the four statuses', () => {
    expect(IDENTITY_STATUS_LABELS).toEqual({
      PROV: 'Identité provisoire',
      RECUP: 'Identité récupérée',
      VALI: 'Identité validée',
      QUAL: 'Identité qualifiée',
    });
    expect(isIdentityStatus('QUAL')).toBe(true);
    expect(isIdentityStatus('qual')).toBe(false);
  });

  it('shows and exchanges the INS only for a qualified identity', () => {
    expect(insUsable('QUAL')).toBe(true);
    for (const s of ['PROV', 'RECUP', 'VALI'] as const) {
      expect(insUsable(s)).toBe(false);
      expect(exchangeableIns({ identityStatus: s, ins })).toBeUndefined();
      expect(insDisplay({ identityStatus: s, ins })).not.toContain('279');
    }
    expect(exchangeableIns({ identityStatus: 'QUAL', ins })).toBe('279035121518989@1.2.250.1.213.1.4.10');
    expect(insDisplay({ identityStatus: 'QUAL', ins })).toBe('2 79 03 51 215 189 89');
    expect(insDisplay({ identityStatus: 'QUAL' })).toBe('INS non renseignée');
  });

  it('reaches QUAL only with both INSi and a checked document', () => {
    expect(nextIdentityStatus('PROV', 'insi-ok')).toBe('RECUP');
    expect(nextIdentityStatus('PROV', 'document-checked')).toBe('VALI');
    expect(nextIdentityStatus('RECUP', 'document-checked')).toBe('QUAL');
    expect(nextIdentityStatus('VALI', 'insi-ok')).toBe('QUAL');
    expect(nextIdentityStatus('RECUP', 'insi-ok')).toBe('RECUP');
  });

  it('maps INS OIDs to FHIR systems and back', () => {
    expect(insSystem(INS_OID.TEST_NIR)).toBe('urn:oid:1.2.250.1.213.1.4.10');
    expect(insOidFromSystem('urn:oid:1.2.250.1.213.1.4.8')).toBe(INS_OID.NIR);
    expect(insOidFromSystem('urn:oid:1.2.250.1.213.1.4.9')).toBe(INS_OID.NIA);
    expect(insOidFromSystem('urn:oid:1.2.3')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { DMP_ERROR_CODES, ERROR_CODES, GENERAL_ERROR_CODES, isErrorCode } from '../../../../src/shared/bridge/errors';
import { DmpError } from '../../../../src/main/dmp/errors';

describe('the bridge error codes', () => {
  it('are declared once each', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES).toHaveLength(GENERAL_ERROR_CODES.length + DMP_ERROR_CODES.length);
  });

  it('recognise a code that crosses the bridge and nothing else', () => {
    expect(isErrorCode('DMP_INS_OID_REFUSED')).toBe(true);
    expect(isErrorCode('FORBIDDEN')).toBe(true);
    expect(isErrorCode('forbidden')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('the DMP layer answers with codes of the union', () => {
    expect(isErrorCode(new DmpError('XDSRegistryBusy', 'Le DMP est momentanément surchargé.').toJSON().code)).toBe(true);
  });
});

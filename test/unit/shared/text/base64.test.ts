import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToBytesOrThrow, bytesToBase64 } from '../../../../src/shared/text/base64';

const bytes = (b: Uint8Array | undefined): number[] | undefined => (b ? Array.from(b) : undefined);

describe('base64 (the one codec)', () => {
  it('decodes as Node does, whitespace ignored, for every padding length', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 91 + 7) % 256);
    for (const n of [0, 1, 2, 3, 4, 5, 299, 300]) {
      const b64 = Buffer.from(data.subarray(0, n)).toString('base64');
      expect(bytesToBase64(data.subarray(0, n))).toBe(b64);
      const wrapped = b64.replace(/(.{76})/g, '$1\r\n');
      expect(bytes(base64ToBytes(wrapped))).toEqual(Array.from(data.subarray(0, n)));
      expect(bytes(base64ToBytes(wrapped, { lenient: true }))).toEqual(Array.from(data.subarray(0, n)));
    }
  });

  it('strict refuses base64url, missing padding, misplaced or excess =; lenient accepts the first two only', () => {
    // 0xfb 0xff 0xbf → "+/+/" in base64, "-_-_" in base64url.
    expect(base64ToBytes('-_-_')).toBeUndefined();
    expect(bytes(base64ToBytes('-_-_', { lenient: true }))).toEqual([0xfb, 0xff, 0xbf]);
    expect(base64ToBytes('QUI')).toBeUndefined();
    expect(bytes(base64ToBytes('QUI', { lenient: true }))).toEqual([0x41, 0x42]);
    for (const bad of ['QU=I', 'Q===', '====', 'QUI$', 'QUJD\u00e9']) {
      expect(base64ToBytes(bad)).toBeUndefined();
    }
    expect(base64ToBytes('QU=I', { lenient: true })).toBeUndefined();
  });

  it('the throwing form is for content the application produced', () => {
    expect(Array.from(base64ToBytesOrThrow('JVBERg=='))).toEqual([0x25, 0x50, 0x44, 0x46]);
    expect(() => base64ToBytesOrThrow('%PDF')).toThrow('Contenu base64 invalide.');
  });
});

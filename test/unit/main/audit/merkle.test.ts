import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompactTree,
  EMPTY_ROOT_BIN,
  RangeBuilder,
  appendRange,
  consistencyPath,
  fromBuf,
  inclusionPath,
  leafHashBin,
  mthFromLeaves,
  toBuf,
  verifyConsistency,
  verifyInclusion,
  type BinHash,
} from '../../../../src/main/audit/merkle';

const hex = (h: BinHash) => toBuf(h).toString('hex');
const b64 = (s: string) => Buffer.from(s, 'base64');

// The leaves of RFC 6962's reference tests (also transparency-dev/merkle's).
const RFC_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const RFC_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function leavesOf(n: number): BinHash[] {
  return Array.from({ length: n }, (_, i) => leafHashBin(Buffer.from(`entrée ${i}`)));
}

describe('RFC 6962 / 9162 hashing', () => {
  it('hashes the empty tree and the reference leaves', () => {
    expect(hex(EMPTY_ROOT_BIN)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHashBin(Buffer.alloc(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(leafHashBin(Buffer.from([0])))).toBe('96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7');
  });

  it('gives the reference roots for sizes 1..8, incrementally and recursively', () => {
    const leaves = RFC_LEAVES.map((l) => leafHashBin(l));
    const t = new CompactTree();
    leaves.forEach((l, i) => {
      t.push(l);
      expect(hex(t.root())).toBe(RFC_ROOTS[i]);
      expect(hex(mthFromLeaves(leaves)(0, i + 1))).toBe(RFC_ROOTS[i]);
    });
  });

  it('verifies the transparency-dev/merkle happy-path inclusion and consistency vectors', () => {
    expect(() =>
      verifyInclusion(0, 8, b64('bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0='), ['lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=', 'Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=', 'a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ='].map(b64), b64('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=')),
    ).not.toThrow();
    expect(() =>
      verifyInclusion(1, 8, b64('bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0='), ['lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=', 'Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=', 'a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ='].map(b64), b64('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=')),
    ).toThrow();
    expect(() =>
      verifyConsistency(6, 8, b64('duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8='), b64('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg='), ['DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=', 'yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=', '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc='].map(b64)),
    ).not.toThrow();
  });
});

describe('proofs for every tree size 1..64', () => {
  const leaves = leavesOf(64);
  const mth = mthFromLeaves(leaves);

  it('every inclusion proof verifies, and fails for any other leaf or index', () => {
    for (let n = 1; n <= 64; n++) {
      const root = toBuf(mth(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionPath(m, n, mth).map(toBuf);
        expect(() => verifyInclusion(m, n, toBuf(leaves[m] as BinHash), proof, root)).not.toThrow();
        expect(() => verifyInclusion(m, n, toBuf(leaves[(m + 1) % 64] as BinHash), proof, root)).toThrow();
        if (n > 1) expect(() => verifyInclusion((m + 1) % n, n, toBuf(leaves[m] as BinHash), proof, root)).toThrow();
      }
    }
  });

  it('every consistency proof verifies, and fails against another root', () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyPath(m, n, mth).map(toBuf);
        const r1 = toBuf(mth(0, m));
        const r2 = toBuf(mth(0, n));
        expect(() => verifyConsistency(m, n, r1, r2, proof)).not.toThrow();
        if (m > 0 && m < n) {
          expect(() => verifyConsistency(m, n, toBuf(leafHashBin(Buffer.from('autre'))), r2, proof)).toThrow();
          expect(() => verifyConsistency(m, n, r1, toBuf(mth(0, n - 1)), proof)).toThrow();
        }
      }
    }
  });

  it('compact ranges built from any start merge into the same roots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 64 }), (a, len) => {
        const b = Math.min(64, a + len);
        const t = new CompactTree();
        for (let i = 0; i < a; i++) t.push(leaves[i] as BinHash);
        const rb = new RangeBuilder(a);
        for (let i = a; i < b; i++) rb.push(leaves[i] as BinHash);
        appendRange(t, rb.snapshot());
        expect(t.size).toBe(b);
        expect(t.root()).toBe(mth(0, b));
      }),
    );
  });
});

describe('mutated proofs are rejected (fast-check)', () => {
  const leaves = leavesOf(40);
  const mth = mthFromLeaves(leaves);

  type Mutation = 'bit' | 'truncate' | 'extend' | 'swap' | 'index' | 'size' | 'root';
  const mutations = fc.constantFrom<Mutation>('bit', 'truncate', 'extend', 'swap', 'index', 'size', 'root');

  it('inclusion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.nat(), mutations, fc.nat(), fc.integer({ min: 0, max: 255 }), (n, mRaw, kind, pick, bit) => {
        const m = mRaw % n;
        let proof = inclusionPath(m, n, mth).map(toBuf);
        let index = m;
        let size = n;
        let root = toBuf(mth(0, n));
        const leaf = toBuf(leaves[m] as BinHash);
        if (proof.length === 0 && (kind === 'bit' || kind === 'truncate' || kind === 'swap')) return;
        switch (kind) {
          case 'bit': {
            const i = pick % proof.length;
            const copy = Buffer.from(proof[i] as Buffer);
            copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
            proof[i] = copy;
            break;
          }
          case 'truncate':
            proof = proof.slice(0, pick % proof.length);
            break;
          case 'extend':
            proof = [...proof, toBuf(leaves[pick % 40] as BinHash)];
            break;
          case 'swap': {
            if (proof.length < 2) return;
            const i = pick % (proof.length - 1);
            if ((proof[i] as Buffer).equals(proof[i + 1] as Buffer)) return;
            [proof[i], proof[i + 1]] = [proof[i + 1] as Buffer, proof[i] as Buffer];
            break;
          }
          case 'index':
            index = (m + 1 + (pick % (n - 1))) % n;
            break;
          case 'size':
            // (A size within the same power of two may share the path: the signed checkpoint binds size and root.)
            size = n * 2;
            break;
          case 'root':
            root = toBuf(mth(0, n - 1));
            break;
        }
        expect(() => verifyInclusion(index, size, leaf, proof, root)).toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('consistency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 40 }), fc.nat(), mutations, fc.nat(), fc.integer({ min: 0, max: 255 }), (n, mRaw, kind, pick, bit) => {
        const m = 1 + (mRaw % (n - 1));
        let proof = consistencyPath(m, n, mth).map(toBuf);
        let s1 = m;
        let s2 = n;
        const r1 = toBuf(mth(0, m));
        let r2 = toBuf(mth(0, n));
        switch (kind) {
          case 'bit': {
            const i = pick % proof.length;
            const copy = Buffer.from(proof[i] as Buffer);
            copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
            proof[i] = copy;
            break;
          }
          case 'truncate':
            proof = proof.slice(0, pick % proof.length);
            break;
          case 'extend':
            proof = [...proof, toBuf(leaves[pick % 40] as BinHash)];
            break;
          case 'swap': {
            if (proof.length < 2) return;
            const i = pick % (proof.length - 1);
            if ((proof[i] as Buffer).equals(proof[i + 1] as Buffer)) return;
            [proof[i], proof[i + 1]] = [proof[i + 1] as Buffer, proof[i] as Buffer];
            break;
          }
          case 'index':
            s1 = m === 1 ? 2 : m - 1;
            if (s1 >= n) return;
            break;
          case 'size':
            s2 = n * 2;
            break;
          case 'root':
            r2 = toBuf(mth(0, n - 1));
            break;
        }
        expect(() => verifyConsistency(s1, s2, r1, r2, proof)).toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('rejects hashes of the wrong length with a precise reason', () => {
    expect(() => verifyInclusion(0, 1, Buffer.alloc(31), [], Buffer.alloc(32))).toThrow(/31 octets/);
  });
});

it('fromBuf/toBuf round-trip', () => {
  const h = leafHashBin(Buffer.from('x'));
  expect(fromBuf(toBuf(h))).toBe(h);
});

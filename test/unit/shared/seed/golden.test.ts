import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateBundles, type SeedOptions } from '../../../../src/shared/seed/generate';

// The generator is deterministic and its output is loaded into demo databases and benchmarks:
// these hashes were recorded before the generator was split into one builder per resource, so
// any refactoring that changes a single byte (or a random draw's order) fails here.
function hashOf(total: number, options: SeedOptions & { perBundle?: number }): string {
  const hash = createHash('sha256');
  for (const { bundle, counts } of generateBundles(total, options)) hash.update(JSON.stringify({ bundle, counts }));
  return hash.digest('hex');
}

describe('seed population golden output', () => {
  it('is byte-identical for seed 1, 40 patients, short CDA', () => {
    expect(hashOf(40, { seed: 1, perBundle: 15 })).toBe(
      '797d0636ce596e0f2ee34554fdce3737296c21b465263e6865ef11bf25120df8',
    );
  });

  it('is byte-identical for seed 42, 120 patients, text content, 3 documents each', () => {
    expect(hashOf(120, { seed: 42, content: 'text', documentsPerPatient: 3, referenceDate: '2024-02-29' })).toBe(
      '5d9162ea3304c39f572ce5e36352a16056db1cc9dcb2a607490ece2ec4b52548',
    );
  });

  it('is byte-identical for seed 7, 300 patients (NIR collisions across patients)', () => {
    expect(hashOf(300, { seed: 7, documentsPerPatient: 1, content: 'text', perBundle: 100 })).toBe(
      '5ab682b5d82282e8f51d335899e2d7113451ad103fc1fa8a8dad55a0ebb31bd9',
    );
  });
});

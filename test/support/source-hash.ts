import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveModule(fromFile: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * sha-256 of the source of `roots` and of every module they import by relative path, transitively,
 * plus `extra` files (a lockfile): a cache keyed by it is rebuilt exactly when the code that
 * generates the cached thing changes, with no version number to remember to bump.
 */
export function sourceClosureHash(roots: readonly string[], extra: readonly string[] = []): string {
  const seen = new Set<string>();
  const queue = roots.map((r) => path.resolve(r));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolveModule(file, m[1]!);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  const hash = createHash('sha256');
  for (const file of [...[...seen].sort(), ...extra.map((e) => path.resolve(e))]) {
    hash.update(path.basename(file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceClosureHash } from '../../../support/source-hash';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sourceClosureHash (the key of the cached test PKI template)', () => {
  it('changes when a module imported transitively changes, not when an unrelated one does', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'srchash-'));
    const file = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
    file('root.ts', "import { b } from './b';\nexport const a = b;\n");
    file('b.ts', "export { c as b } from './lib';\n");
    file('lib.ts', "export const c = import('./lazy');\n");
    file('lazy.ts', 'export const lazy = 1;\n');
    file('unrelated.ts', 'export const u = 1;\n');
    file('lock.json', '{}');
    const key = () => sourceClosureHash([path.join(dir, 'root.ts')], [path.join(dir, 'lock.json')]);
    const first = key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(first);

    file('unrelated.ts', 'export const u = 2;\n');
    expect(key()).toBe(first);

    file('lazy.ts', 'export const lazy = 2;\n');
    const second = key();
    expect(second).not.toBe(first);

    file('lock.json', '{"x":1}');
    expect(key()).not.toBe(second);
  });
});

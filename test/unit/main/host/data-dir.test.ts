import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '../../../../src/main/fs/atomic-write';
import { loadOrCreateWorkstationId } from '../../../../src/main/host/data-dir';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('data directory', () => {
  it('refuses a damaged workstation file instead of replacing it', () => {
    writeFileSync(path.join(dir, 'workstation.json'), '{"id": 3');
    expect(() => loadOrCreateWorkstationId(dir, new Date())).toThrow(/illisible/);
    writeFileSync(path.join(dir, 'workstation.json'), '{"id": "not-a-uuid", "createdAt": "x"}');
    expect(() => loadOrCreateWorkstationId(dir, new Date())).toThrow(/invalide/);
    expect(readFileSync(path.join(dir, 'workstation.json'), 'utf8')).toContain('not-a-uuid');
  });

  it('writes files atomically and leaves no temp file behind', () => {
    const file = path.join(dir, 'a.json');
    writeFileAtomicSync(file, 'one');
    writeFileAtomicSync(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(require('node:fs').readdirSync(dir)).toEqual(['a.json']);
  });
});

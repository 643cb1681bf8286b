import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../../src/main/dmp/sandbox/store';
import { ensureDataDir } from '../../../../src/main/host/data-dir';

/** Patient data at rest is the workstation account's only: folders 0700, files 0600, whatever the umask. */
const mode = (p: string) => statSync(p).mode & 0o777;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('data directory permissions', () => {
  it('makes an existing data directory owner-only again', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-perm-'));
    const data = path.join(dir, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    ensureDataDir(data);
    expect(mode(data)).toBe(0o700);
  });

  it('keeps the DMP sandbox registry and documents owner-only', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ws-perm-'));
    const sandbox = path.join(dir, 'dmp-sandbox');
    const store = openStore(sandbox);
    store.upsertPatient({ ins: '123456789012345' });
    expect(mode(sandbox)).toBe(0o700);
    expect(mode(path.join(sandbox, 'repository'))).toBe(0o700);
    expect(mode(path.join(sandbox, 'registry.json'))).toBe(0o600);
    expect(readdirSync(sandbox).sort()).toEqual(['registry.json', 'repository']);
  });
});

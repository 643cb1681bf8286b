import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImportFiles, readImportFile } from '../../../../src/main/record/import-files';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-imports-'));
  mkdirSync(path.join(dir, 'imports'));
  writeFileSync(path.join(dir, 'imports', 'seed-1-0000000-0000009.json'), '{"resourceType":"Bundle"}');
  writeFileSync(path.join(dir, 'imports', 'notes.txt'), 'ignored');
  writeFileSync(path.join(dir, 'secret.json'), '{"secret":true}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepared import files', () => {
  it('lists only FHIR files of the imports folder', async () => {
    expect(await listImportFiles(dir)).toEqual([{ name: 'seed-1-0000000-0000009.json', bytes: 25 }]);
    expect(await listImportFiles(path.join(dir, 'absent'))).toEqual([]);
  });

  it('reads a listed file and nothing outside the folder', async () => {
    expect(await readImportFile(dir, 'seed-1-0000000-0000009.json')).toContain('Bundle');
    for (const bad of ['../secret.json', '..%2fsecret.json', '/etc/passwd', 'imports/../../secret.json', 'x.json\0']) {
      await expect(readImportFile(dir, bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(readImportFile(dir, 'absent.json')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

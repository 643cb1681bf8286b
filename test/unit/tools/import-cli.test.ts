import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
let dir: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'tools', 'import', 'cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ws-import-cli-'));
  writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }] }));
  writeFileSync(path.join(dir, 'not-bundle.json'), '{"resourceType":"Patient"}');
  writeFileSync(path.join(dir, 'broken.ndjson'), '{"resourceType":"Patient"}\n{oops\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import', () => {
  it('stages a FHIR bundle in the data directory for the app to import', () => {
    const r = run(path.join(dir, 'ok.json'), '--data-dir', path.join(dir, 'D'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 ressource(s) (Bundle)');
    expect(readdirSync(path.join(dir, 'D', 'imports'))).toEqual(['ok.json']);
  });

  it('stages owner-only: the folders 0700 and the file 0600 whatever the source file allowed', () => {
    chmodSync(path.join(dir, 'ok.json'), 0o644);
    expect(run(path.join(dir, 'ok.json'), '--data-dir', path.join(dir, 'P')).status).toBe(0);
    expect(statSync(path.join(dir, 'P')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'P', 'imports')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'P', 'imports', 'ok.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses what is not FHIR, in French, and stages nothing of a bad batch', () => {
    const r = run(path.join(dir, 'ok.json'), path.join(dir, 'not-bundle.json'), '--data-dir', path.join(dir, 'E'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('pas un Bundle FHIR');
    const n = run(path.join(dir, 'broken.ndjson'), '--data-dir', path.join(dir, 'E'));
    expect(n.stderr).toContain('ligne 2');
    expect(() => readdirSync(path.join(dir, 'E', 'imports'))).toThrow();
    expect(run().status).toBe(2);
  });
});

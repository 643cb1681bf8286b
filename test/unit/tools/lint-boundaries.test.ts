import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import boundaries of ARCHITECTURE.md fail `npm run lint`, not just a review. */
const root = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('architecture boundaries', () => {
  it.each([
    ['shared importing main', "import { createHost } from '../main/host/host';\nexport const x = createHost;\n", 'src/shared/x.ts'],
    ['shared importing a Node built-in', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/shared/x.ts'],
    ['shared importing the renderer', "import { api } from '../renderer/src/bridge';\nexport const x = api;\n", 'src/shared/x.ts'],
    ['renderer importing main', "import { createHost } from '../../main/host/host';\nexport const x = createHost;\n", 'src/renderer/src/x.ts'],
    ['renderer importing electron', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'src/renderer/src/x.ts'],
    ['renderer importing fs', "import fs from 'fs';\nexport const x = fs;\n", 'src/renderer/src/x.ts'],
    ['host core importing electron', "import { app } from 'electron';\nexport const x = app;\n", 'src/main/host/x.ts'],
    ['main importing the renderer', "import { api } from '../../renderer/src/bridge';\nexport const x = api;\n", 'src/main/host/x.ts'],
    ['innerHTML in the renderer', 'export function f(el: HTMLElement, s: string) { el.innerHTML = s; }\n', 'src/renderer/src/x.ts'],
  ])('rejects %s', async (_label, code, file) => {
    const ids = await ruleIds(code, file);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id === 'no-restricted-imports' || id === 'no-restricted-syntax')).toBe(true);
  });

  it.each([
    ['the Electron shell importing electron', "import { app } from 'electron';\nexport const x = app;\n", 'src/main/electron/x.ts'],
    ['the host core importing Node', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/main/host/x.ts'],
    ['the renderer importing shared', "import { contract } from '../../shared/bridge/contract';\nexport const x = contract;\n", 'src/renderer/src/x.ts'],
  ])('allows %s', async (_label, code, file) => {
    expect(await ruleIds(code, file)).toEqual([]);
  });
});

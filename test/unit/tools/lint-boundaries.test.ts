import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** The import boundaries of ARCHITECTURE.md fail `npm run lint`, not just a review. */
const root = path.resolve(__dirname, '..', '..', '..');
// The boundary samples name files that do not exist, which the type-aware parser cannot place in a project:
// they are checked with type information off; the type-aware rules are checked below on a real file's path.
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });
const typedEslint = new ESLint({ cwd: root });

async function ruleIds(code: string, file: string, linter = eslint): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: path.join(root, file) });
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
    ['a feature reaching into another feature', "import { DmpPanel } from '../dmp/DmpPanel';\nexport const x = DmpPanel;\n", 'src/renderer/src/features/chart/x.ts'],
    ['the app reaching into a feature', "import { ChartView } from '../features/chart/ChartView';\nexport const x = ChartView;\n", 'src/renderer/src/app/x.ts'],
    ['innerHTML in the renderer', 'export function f(el: HTMLElement, s: string) { el.innerHTML = s; }\n', 'src/renderer/src/x.ts'],
  ])('rejects %s', async (_label, code, file) => {
    const ids = await ruleIds(code, file);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id === 'no-restricted-imports' || id === 'no-restricted-syntax')).toBe(true);
  });

  it.each([
    ['the Electron shell importing electron', "import { app } from 'electron';\nexport const x = app;\n", 'src/main/electron/x.ts'],
    ['the host core importing Node', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/main/host/x.ts'],
    ['a feature importing another through its index', "import { DmpPanel } from '../dmp';\nexport const x = DmpPanel;\n", 'src/renderer/src/features/chart/x.ts'],
    ['a feature importing its own files', "import { ChartView } from './ChartView';\nexport const x = ChartView;\n", 'src/renderer/src/features/chart/x.ts'],
    ['the renderer importing shared', "import { contract } from '../../shared/bridge/contract';\nexport const x = contract;\n", 'src/renderer/src/x.ts'],
  ])('allows %s', async (_label, code, file) => {
    expect(await ruleIds(code, file)).toEqual([]);
  });

  // lintText hands the project service this text in place of the file's own, so the sample is typed for real.
  const REAL_FILE = 'src/main/host/clock.ts';
  it.each([
    ['a floating promise', 'export async function f(): Promise<void> {}\nexport function g(): void { f(); }\n', '@typescript-eslint/no-floating-promises'],
    [
      'a switch that forgets a case of a union',
      "export function f(c: 'A' | 'B'): number {\n  switch (c) {\n    case 'A':\n      return 1;\n  }\n  return 0;\n}\n",
      '@typescript-eslint/switch-exhaustiveness-check',
    ],
    ['a value import used only as a type', "import { z } from 'zod';\nexport type T = z.ZodType;\n", '@typescript-eslint/consistent-type-imports'],
  ])('the type-aware rules reject %s', async (_label, code, rule) => {
    expect(await ruleIds(code, REAL_FILE, typedEslint)).toEqual([rule]);
  }, 60_000);
});

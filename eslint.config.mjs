import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

/** Every Node built-in, bare (`fs`) as `node:*` patterns catch the prefixed form; from Node itself, not a hand list. */
const NODE_BUILTIN_NAMES = builtinModules.filter((name) => !name.startsWith('_'));

/** Where code runs decides what it may import (ARCHITECTURE.md); lint, not goodwill, keeps it so. */
const restrict = (patterns, noNode) => [
  'error',
  { patterns, paths: noNode ? NODE_BUILTIN_NAMES.map((name) => ({ name, message: noNode })) : [] },
];

const FEATURE_INDEX_MESSAGE = 'Une autre fonctionnalité s’importe par son index.ts (son interface publique), pas par ses fichiers internes.';
const RENDERER_PATTERNS = [
  { group: ['**/main/**', '**/preload/**', 'electron'], message: 'Le renderer ne parle à main que par le pont (src/renderer/src/bridge).' },
  { group: ['node:*'], message: 'Pas de module Node dans le renderer.' },
  { regex: '(^|/)features/[^/]+/(?!index$)[^/]+', message: FEATURE_INDEX_MESSAGE },
];

const MAIN_PATTERNS = [
  { group: ['electron', 'electron/*'], message: "Le cœur de l'hôte tourne sans Electron : seul src/main/index.ts et src/main/electron/ l'importent." },
  { group: ['**/renderer/**', '**/preload/**'], message: 'main ne dépend pas du renderer ni du preload.' },
];

/** The DMP sandbox and the demo accounts stay out of the product: only composition roots inject them. */
const TEST_SERVICE_PATTERNS = [
  { group: ['**/sandbox', '**/sandbox/**', '**/auth/demo', './demo'], message: 'Le DMP de test et les comptes de démonstration sont injectés par la racine de composition (src/main/index.ts, browser-host/cli.ts), jamais importés par le produit.' },
  { group: ['**/test-server', '**/test-server/**'], message: 'Le serveur hospitalier de test est injecté par la racine de composition (src/main/index.ts, browser-host/cli.ts), jamais importé par le produit.' },
];

/** Composition roots and command-line tools of src/main. */
const MAIN_ROOTS = ['src/main/**/cli.ts', 'src/main/auth/cli-run.ts', 'src/main/auth/demo.ts', 'src/main/dmp/sandbox/**/*.ts', 'src/main/hospital/test-server/**/*.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', '.data/**', '.bench-cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: a promise nobody awaits loses its error, a switch that forgets a case of a union
    // (an error code, a role) compiles silently, and type-only imports must not drag modules into a bundle.
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Jamais de HTML brut : construisez des éléments React.' },
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'innerHTML est interdit (contenu extérieur non fiable).' },
        { selector: "AssignmentExpression[left.property.name='outerHTML']", message: 'outerHTML est interdit (contenu extérieur non fiable).' },
      ],
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/main', '**/renderer/**', '**/preload/**', 'electron'], message: 'src/shared ne dépend que de lui-même.' },
        { group: ['node:*'], message: 'src/shared tourne partout : pas de module Node.' },
      ], 'src/shared tourne partout : pas de module Node.'),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The classic hook rules; the React Compiler rules do not apply (no compiler in this build).
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': restrict(RENDERER_PATTERNS, 'Pas de module Node dans le renderer.'),
    },
  },
  {
    // A feature's own files import each other freely; another feature is reached through its index.ts only.
    files: ['src/renderer/src/features/*/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict([
        ...RENDERER_PATTERNS,
        { regex: '^\\.\\./[^./][^/]*/(?!index$)[^/]+', message: FEATURE_INDEX_MESSAGE },
      ], 'Pas de module Node dans le renderer.'),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**', ...MAIN_ROOTS],
    rules: {
      'no-restricted-imports': restrict([...MAIN_PATTERNS, ...TEST_SERVICE_PATTERNS]),
    },
  },
  {
    // Composition roots and tools: they may inject the test DMP and the demo accounts.
    files: MAIN_ROOTS,
    rules: {
      'no-restricted-imports': restrict(MAIN_PATTERNS),
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([{ group: ['**/renderer/**', '**/preload/**'], message: 'main ne dépend pas du renderer ni du preload.' }]),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([{ group: ['**/main/**', '**/renderer/**'], message: 'Le preload expose le contrat, rien d’autre.' }]),
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'scripts/**/*', 'tools/**/*'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);

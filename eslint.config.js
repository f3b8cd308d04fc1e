// Lint rules, including the layer boundaries of ../shared/STYLE.md §1 ("renderer → shared ← main → core").
// Do not relax the import rules: they are what keeps the engine portable and the renderer sandboxed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http',
  'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const nodePatterns = ['node:*', ...nodeBuiltins];

const layer = (files, patterns, extra = {}) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }], ...extra },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'smart'],
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      { group: ['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'recharts'], message: 'src/core is the engine: no Electron, React or UI libraries.' },
      { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', '**/shared/**'], message: 'src/core imports only src/core (dependencies point one way).' },
    ],
    { 'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'HTMLElement'] },
  ),
  layer(['src/shared/**/*.ts'], [
    { group: nodePatterns, message: 'src/shared holds types and pure helpers only.' },
    { group: ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'], message: 'src/shared depends on nothing but itself (and types from core).' },
    { group: ['**/core/**'], allowTypeImports: true, message: 'src/shared may only `import type` from core.' },
  ]),
  layer(['src/cli/**/*.ts'], [
    { group: ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**'], message: 'the CLI uses the engine and the contract only.' },
  ]),
  layer(['src/main/**/*.ts'], [
    { group: ['react', 'react-dom', '**/renderer/**', '**/cli/**'], message: 'the main process never imports UI code.' },
  ]),
  layer(['src/preload/**/*.ts'], [
    { group: [...nodePatterns, 'react', '**/core/**', '**/main/**', '**/renderer/**', '**/cli/**'], message: 'the preload exposes the shared contract through contextBridge, nothing else.' },
  ]),
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodePatterns, message: 'the renderer is sandboxed: no Node modules.' },
          { group: ['electron', '**/core/**', '**/main/**', '**/preload/**', '**/cli/**'], message: 'the renderer speaks only the RPC contract in src/shared.' },
        ],
      }],
    },
  },
);

// Lint for TypeScript (typescript-eslint's recommended rules, no type information so it stays fast), the
// layer rule of the architecture and no import cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * Data flows one way: cli -> headless, tui -> engine -> formats -> db. Each folder of src/ names the folders it
 * may never import, and why. src/tui/components/ adds its own limits below.
 */
const layers = {
  cli: { never: [], why: '' },
  headless: { never: ['cli', 'tui'], why: 'headless/ prints what the engine did; cli/ calls it, and it shares nothing with tui/.' },
  tui: { never: ['cli', 'headless'], why: 'tui/ never imports cli/ (which starts it) or headless/ (its sibling): shared code belongs in engine/ or below.' },
  engine: { never: ['cli', 'headless', 'tui'], why: 'engine/ never imports cli/, headless/ or tui/: they call it, not the other way.' },
  formats: { never: ['engine', 'cli', 'headless', 'tui'], why: 'formats/ never imports engine/, cli/, headless/ or tui/: the engine drives the formats.' },
  db: { never: ['formats', 'engine', 'cli', 'headless', 'tui'], why: 'db/ is the bottom layer: it never imports formats/, engine/, cli/, headless/ or tui/.' },
};

/** no-restricted-imports patterns that forbid these folders of src/, at any depth of relative path. */
const forbidden = (folders, message) => folders.map((f) => ({ group: [`**/${f}/*`, `**/${f}`], message }));

const restrict = (patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

const componentLimits = [
  { group: ['**/db/*', '**/db'], message: 'TUI components only render state: no database access.' },
  { group: ['**/engine/*', '!**/engine/status.js'], allowTypeImports: true, message: 'TUI components only render state and dispatch intents: import engine types only.' },
  { group: ['**/formats/*/*'], message: 'TUI components never reach into a format module.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.ladder/**', 'test/meta-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off', // terminal escape sequences are matched on purpose
    },
  },
  {
    // A cycle of runtime imports makes module order matter (a value read before it is initialised); import-x skips
    // type-only imports, so test/meta/layers.test.ts checks the whole graph, types included.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...Object.entries(layers)
    .filter(([, { never }]) => never.length > 0)
    .map(([folder, { never, why }]) => ({ files: [`src/${folder}/**`], rules: restrict(forbidden(never, why)) })),
  {
    files: ['src/*.ts'],
    rules: restrict(forbidden(Object.keys(layers), 'A file at the top of src/ (errors, redact, version) is used by every layer, so it imports none of them.')),
  },
  {
    // Replaces tui/'s options for components (a later config's options win), so it repeats them.
    files: ['src/tui/components/**'],
    rules: restrict([...forbidden(layers.tui.never, layers.tui.why), ...componentLimits]),
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // `f = await waitFrame(...)` waits for a frame; the value is read only where the test needs it
      'no-useless-assignment': 'off',
      // column-aligned output is matched with the spaces it has
      'no-regex-spaces': 'off',
    },
  },
);

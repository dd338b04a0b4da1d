// Lint for TypeScript (typescript-eslint's recommended rules, no type information so it stays fast) and the
// layer rule of the architecture: data flows one way, cli -> headless/tui -> engine -> formats/db.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports a folder may not make, as import patterns relative to any depth. */
const forbid = (folders, why) => ({
  patterns: folders.map((f) => ({ group: [`**/${f}/*`, `**/${f}`], message: why })),
});

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
    files: ['src/formats/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', forbid(['engine', 'cli', 'headless', 'tui'], 'formats/ is the bottom layer: it never imports engine/, cli/, headless/ or tui/.')] },
  },
  {
    files: ['src/db/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', forbid(['engine', 'cli', 'headless', 'tui'], 'db/ never imports engine/, cli/, headless/ or tui/.')] },
  },
  {
    files: ['src/engine/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', forbid(['cli', 'headless', 'tui'], 'engine/ never imports cli/, headless/ or tui/: they call it, not the other way.')] },
  },
  {
    files: ['src/tui/components/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/*', '**/db'], message: 'TUI components only render state: no database access.' },
            { group: ['**/engine/*', '!**/engine/status.js'], allowTypeImports: true, message: 'TUI components only render state and dispatch intents: import engine types only.' },
            { group: ['**/formats/*/*'], message: 'TUI components never reach into a format module.' },
          ],
        },
      ],
    },
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

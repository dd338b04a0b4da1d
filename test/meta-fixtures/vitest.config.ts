import { defineConfig } from 'vitest/config';

/** The suite's own harness (global PostgreSQL setup, cleanup, summary line) over the fixtures of test/meta. */
export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['test/meta-fixtures/*.fixture.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/per-file-cleanup.ts'],
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});

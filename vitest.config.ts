import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/per-file-cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker runs one file after another without re-importing src/, ink and pg for each: about a third of a
    // file's time went to setup and imports. No test mocks modules or changes process state beyond TMPDIR,
    // which test/helpers/per-file-cleanup.ts sets anew for every file.
    isolate: false,
    // Most tests wait on PostgreSQL and child processes, not the CPU: vitest's default (cores - 1) would run
    // one file at a time on a 2-core machine.
    maxWorkers: 3,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});

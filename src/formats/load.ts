import type { FormatModule } from './driver.js';
import type { FormatName } from './names.js';

/**
 * Each tool's module, loaded only when a project needs it: start-up reads one module, not five.
 * (registry.ts holds them all, for callers that list them.)
 */
const LOADERS: Record<FormatName, () => Promise<FormatModule>> = {
  'golang-migrate': async () => (await import('./golang-migrate/index.js')).golangMigrateFormat,
  dbmate: async () => (await import('./dbmate/index.js')).dbmateFormat,
  sqlx: async () => (await import('./sqlx/index.js')).sqlxFormat,
  flyway: async () => (await import('./flyway/index.js')).flywayFormat,
  plain: async () => (await import('./plain/index.js')).plainFormat,
};

export function loadFormatModule(name: FormatName): Promise<FormatModule> {
  return LOADERS[name]();
}

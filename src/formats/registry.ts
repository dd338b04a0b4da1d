import type { FormatModule } from './driver.js';
import { dbmateFormat } from './dbmate/index.js';
import { sqlxFormat } from './sqlx/index.js';
import { flywayFormat } from './flyway/index.js';
import { plainFormat } from './plain/index.js';

/** The set-tracking tools, by name (golang-migrate, with its single version row, is the engine's own). */
export const FORMAT_MODULES: Record<FormatModule['name'], FormatModule> = {
  dbmate: dbmateFormat,
  sqlx: sqlxFormat,
  flyway: flywayFormat,
  plain: plainFormat,
};

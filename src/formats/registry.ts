import type { SetFormatModule } from './driver.js';
import type { SetFormatName } from './names.js';
import { dbmateFormat } from './dbmate/index.js';
import { sqlxFormat } from './sqlx/index.js';
import { flywayFormat } from './flyway/index.js';
import { plainFormat } from './plain/index.js';

/**
 * @deprecated load a module with formats/load.ts (every tool, golang-migrate too). The set-tracking
 * modules by name, for src/engine/lint/folder.ts until it loads them that way.
 */
export const FORMAT_MODULES: Record<SetFormatName, SetFormatModule> = {
  dbmate: dbmateFormat,
  sqlx: sqlxFormat,
  flyway: flywayFormat,
  plain: plainFormat,
};

import type { FormatDetector } from './detector.js';
import type { FormatName } from './names.js';
import { golangMigrateDetector } from './golang-migrate/detector.js';
import { dbmateDetector } from './dbmate/detector.js';
import { sqlxDetector } from './sqlx/detector.js';
import { flywayDetector } from './flyway/detector.js';
import { plainDetector } from './plain/detector.js';

/** Each tool's detector (light: loaded at start-up, before the chosen tool's module). */
export const DETECTORS: Record<FormatName, FormatDetector> = {
  'golang-migrate': golangMigrateDetector,
  dbmate: dbmateDetector,
  sqlx: sqlxDetector,
  flyway: flywayDetector,
  plain: plainDetector,
};

import type { SetFormatModule } from '../driver.js';
import { flywayDetector } from './detector.js';
import { flywayNewFile } from './new-file.js';
import { readFlywaySource } from './source.js';
import { FLYWAY_TABLE } from './sql.js';
import { flywayTracker } from './tracker.js';
import { flywayRules } from './rules.js';

export { parseFlywayName, hasMigrationShape, CALLBACK_EVENTS, type FlywayName } from './parse-name.js';
export {
  parseFlywayVersion,
  tryParseFlywayVersion,
  compareFlywayVersions,
  canonicalFlywayVersion,
  invalidVersionMessage,
  type FlywayVersion,
} from './version.js';
export { flywayChecksum } from './checksum.js';
export { FLYWAY_LOCK_MAGIC, javaStringHashCode, flywayLockId, flywayQuote, flywayTableName } from './lock-id.js';
export { analyzeFlywayScript, isFlywayNonTransactional, leadingKeywords, findPlaceholder, type FlywayScript } from './script.js';
export { readFlywaySource, type FlywayFile, type FlywayListing, type FlywayMigration } from './source.js';
export { flywayTracker, type FlywayTracker, type FlywayTrackerOptions, type FlywayRowValues } from './tracker.js';
export {
  flywayInfo,
  flywayPending,
  flywayDueRepeatables,
  flywayActiveRow,
  flywayValidate,
  FAILED_STATES,
  type FlywayInfoEntry,
  type FlywayInfoOptions,
  type FlywayState,
  type FlywayValidateOptions,
} from './info.js';
export * as flywaySql from './sql.js';

export { flywayFolderScore } from './score.js';
import { flywayFolderScore } from './score.js';

export const flywayFormat: SetFormatModule = {
  detector: flywayDetector,
  model: 'rows',
  versionType: 'text',
  name: 'flyway',
  defaultDir: 'db/migration',
  folderScore: flywayFolderScore,
  tableName: FLYWAY_TABLE,
  readSource: readFlywaySource,
  tracker: flywayTracker,
  rules: flywayRules,
  newMigration: (name, o) => flywayNewFile(name, o.existing).files,
  lockNote: "Ladder takes Flyway's advisory lock key (a session lock; Flyway's default takes the same key per transaction), so they exclude each other.",
};

import type { SetFormatModule } from '../driver.js';
import { dbmateDetector } from './detector.js';
import { dbmateNewFile } from './new-file.js';
import { readDbmateSource } from './source.js';
import { dbmateTracker } from './tracker.js';
import { DBMATE_TABLE } from './table.js';
import { dbmateRules, dbmateStrictRules } from './rules.js';

export { readDbmateSource, type DbmateMigration } from './source.js';
export { dbmateTracker } from './tracker.js';
export { isDbmateTable, resolveDbmateTable, searchPathSchema, DBMATE_TABLE } from './table.js';
export { compareFileNames, parseFileName, parseMigrationContents, PARSE_ERRORS, sectionPosition } from './parse.js';

export { dbmateNameScore } from './score.js';

/** Name score plus the marker share of a sample: detection's dbmate score for the folder (0 when unreadable). */
export async function dbmateFolderScore(dir: string): Promise<number> {
  const { scanFolder } = await import('../detect.js');
  return (await scanFolder(dir)).scores.dbmate;
}
import { dbmateNameScore } from './score.js';

export const dbmateFormat: SetFormatModule = {
  detector: dbmateDetector,
  model: 'rows',
  versionType: 'text',
  name: 'dbmate',
  defaultDir: './db/migrations',
  folderScore: dbmateNameScore,
  tableName: DBMATE_TABLE,
  readSource: readDbmateSource,
  tracker: dbmateTracker,
  rules: dbmateRules,
  rulesFor: (settings) => (settings.strict ? dbmateStrictRules : dbmateRules),
  newMigration: (name, o) => dbmateNewFile(name, o.now, o.existing.filter((f) => !f.includes('/'))).files,
  lockNote: 'dbmate takes no lock. Ladder takes its own advisory lock, so two Ladders never run at once, but it cannot keep dbmate out: do not run both at the same moment.',
};

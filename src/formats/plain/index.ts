import type { SetFormatModule } from '../driver.js';
import { plainDetector } from './detector.js';
import { plainNewFiles } from './new-file.js';
import { readPlainSource } from './source.js';
import { PLAIN_TABLE } from './sql.js';
import { plainTracker } from './tracker.js';
import { plainRules } from './rules.js';
import { plainFolderScore } from './score.js';

export { parsePlainName, isPlainName, isPlainRollbackName, PLAIN_MAX_VERSION, type PlainName } from './parse-name.js';
export { readPlainSource } from './source.js';
export { plainTracker } from './tracker.js';
export { plainRules } from './rules.js';
export { plainFolderScore } from './score.js';
export { createTableSql as plainCreateTableSql, PLAIN_TABLE } from './sql.js';

export const plainFormat: SetFormatModule = {
  detector: plainDetector,
  model: 'rows',
  versionType: 'text',
  name: 'plain',
  defaultDir: 'migrations',
  folderScore: plainFolderScore,
  tableName: PLAIN_TABLE,
  readSource: readPlainSource,
  tracker: plainTracker,
  rules: plainRules,
  newMigration: (name, o) => plainNewFiles(name, o.existing),
  lockNote: 'Plain-SQL projects have no tool of their own; Ladder takes its own advisory lock, so two Ladders never run at once (psql by hand is not kept out).',
};

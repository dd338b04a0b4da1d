import { golangMigrateSteps } from './golang-migrate-protocol.js';
import { golangMigrate, golangMigrateBinSteps } from './golang-migrate-bin.js';

export interface GolangMigratePeer {
  name: string;
  /** Why this peer cannot run here; its tests are reported as skipped with this reason. */
  missing?: string;
  steps: (url: string, dir: string, n: number) => Promise<void>;
}

/** Both ways of being golang-migrate: the real v4.17.1 CLI, and the statement-for-statement transcription. */
export const golangMigratePeers: GolangMigratePeer[] = [
  { name: 'the real golang-migrate CLI', missing: golangMigrate.missing, steps: golangMigrateBinSteps },
  { name: "a transcription of golang-migrate's driver", steps: golangMigrateSteps },
];

/** The real CLI when it is here, else the transcription (for tests that only need golang-migrate's table). */
export const preferredGolangMigrate = golangMigrate.bin ? golangMigrateBinSteps : golangMigrateSteps;

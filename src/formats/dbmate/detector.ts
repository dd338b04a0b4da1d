import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { filesPhrase, markedShare, type FormatDetector } from '../detector.js';
import { hasUpDirective, isDbmateFileName } from './parse.js';
import { UP_DOWN_PAIR } from './score.js';
import { DBMATE_TABLE } from './table.js';

/** dbmate files read for '-- migrate:up': enough to be sure, cheap on 10,000 files. */
const MARKER_SAMPLE = 20;
/** Bytes read from each sampled file: dbmate allows only blank and comment lines before the directive. */
const MARKER_HEAD = 64 * 1024;
const EPSILON = 1e-9;

/**
 * dbmate's files: 20240101120000_name.sql carrying '-- migrate:up'; its table: schema_migrations with one
 * varchar version column. Names alone cannot tell dbmate from sqlx's simple migrations: up to 0.5 for the
 * share named like dbmate's, up to 0.5 for the share of a sample (the first 20 by name) carrying the marker.
 */
export const dbmateDetector: FormatDetector = {
  name: 'dbmate',
  article: 'a',
  tableName: DBMATE_TABLE,
  // create table schema_migrations (version varchar primary key); as isDbmateTable: further columns are fine, dirty is not
  tableShape: (c) => (c.get('version') === 'character varying' || c.get('version') === 'text') && !c.has('dirty'),
  tablePhrase: (table) => `${table} has dbmate's shape`,
  tally() {
    const named: string[] = [];
    return {
      file(f, sql) {
        if (sql && isDbmateFileName(f) && !UP_DOWN_PAIR.test(f)) named.push(f);
      },
      async done(scan) {
        scan.matched.dbmate = named.length;
        const sample = named.sort().slice(0, MARKER_SAMPLE);
        const marks = await Promise.all(sample.map((f) => readHead(join(scan.dir, f)).then(hasUpDirective, () => false)));
        scan.markerSample = { read: sample.length, marked: marks.filter(Boolean).length };
      },
      score: (scan) => (0.5 * scan.matched.dbmate) / scan.sqlFiles + 0.5 * markedShare(scan),
    };
  },
  folderPhrase({ scores, sqlFiles: total, evidence }) {
    if (!evidence) {
      return scores.dbmate > 0.5 + EPSILON
        ? "the .sql files carry dbmate's '-- migrate:up' marker"
        : `${filesPhrase(Math.round(2 * scores.dbmate * total), total)} named like dbmate's (20240101120000_name.sql)`;
    }
    const { read, marked } = evidence.markerSample;
    const named = evidence.matched.dbmate;
    if (marked === 0) return `${filesPhrase(named, total)} named like dbmate's (20240101120000_name.sql), though none carries '-- migrate:up'`;
    const carry = (n: number) => (n === 1 ? 'carries' : 'carry');
    if (read === total) return `${marked} of ${total} .sql file${total === 1 ? '' : 's'} ${carry(marked)} dbmate's '-- migrate:up' marker`;
    return `${marked} of the ${read} .sql files sampled ${carry(marked)} dbmate's '-- migrate:up' marker (${named} of ${total} are named like dbmate's)`;
  },
};

async function readHead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(MARKER_HEAD);
    const { bytesRead } = await fh.read(buf, 0, MARKER_HEAD, 0);
    return buf.toString('utf8', 0, bytesRead);
  } finally {
    await fh.close();
  }
}

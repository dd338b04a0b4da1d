import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CliIO } from './io.js';
import { findPgDump, runPgDump, trimLeadingComments } from '../db/pg-dump.js';
import { quoteLiteral } from '../db/quote.js';
import type { Project } from '../engine/project.js';

/**
 * ladder dump: db/schema.sql as dbmate writes it: pg_dump's schema, then the tracking table's rows as one
 * INSERT (dbmate's table has only `version`; other tools' tables get all their columns).
 */
export async function dumpCommand(project: Project, io: CliIO, file: string): Promise<number> {
  const db = project.session.client;
  const info = await db.query(
    `SELECT current_setting('server_version_num')::int AS version,
            current_schemas(false) AS path,
            (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.oid = to_regclass(${quoteLiteral(project.tracking.table)})) AS tracking`,
  );
  const { version, tracking } = info.rows[0];
  const pgDump = await findPgDump(version);
  // dbmate passes the URL's search_path entries as --schema; with none, every schema.
  const searchPath = project.target.searchPathFirst ? (info.rows[0].path as string[]) : [];
  let text = await runPgDump(pgDump, project.target, searchPath);
  text += '\n--\n-- Dbmate schema migrations\n--\n\n';
  if (tracking) {
    const cols = await db.query(
      `SELECT quote_ident(attname) AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [tracking],
    );
    const names: string[] = cols.rows.map((r) => r.name);
    const values = await db.query(`SELECT concat_ws(', ', ${names.map((n) => `quote_nullable(${n})`).join(', ')}) AS v FROM ${tracking} ORDER BY ${names[0]}`);
    if (values.rows.length > 0)
      text += `INSERT INTO ${tracking} (${names.join(', ')}) VALUES\n    (${values.rows.map((r) => r.v).join('),\n    (')});\n`;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, trimLeadingComments(text));
  io.out(`Writing: ${file}\n`);
  return 0;
}

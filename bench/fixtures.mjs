// Migration folders for the benchmarks: the same N one-table migrations in each tool's layout.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const pad6 = (n) => String(n).padStart(6, '0');
export const table = (n) => `t_${pad6(n)}`;

async function writeAll(jobs) {
  for (let i = 0; i < jobs.length; i += 256) await Promise.all(jobs.slice(i, i + 256).map(([p, s]) => writeFile(p, s)));
}

/** golang-migrate (and Ladder's default): NNNNNN_tN.up.sql / .down.sql. */
export async function golangFolder(dir, count) {
  await mkdir(dir, { recursive: true });
  const jobs = [];
  for (let i = 1; i <= count; i++) {
    jobs.push([join(dir, `${pad6(i)}_t${i}.up.sql`), `CREATE TABLE ${table(i)} (id int);\n`]);
    jobs.push([join(dir, `${pad6(i)}_t${i}.down.sql`), `DROP TABLE ${table(i)};\n`]);
  }
  await writeAll(jobs);
  return dir;
}

/** dbmate: NNNNNN_tN.sql with its -- migrate:up / -- migrate:down sections. */
export async function dbmateFolder(dir, count) {
  await mkdir(dir, { recursive: true });
  const jobs = [];
  for (let i = 1; i <= count; i++) {
    jobs.push([join(dir, `${pad6(i)}_t${i}.sql`), `-- migrate:up\nCREATE TABLE ${table(i)} (id int);\n\n-- migrate:down\nDROP TABLE ${table(i)};\n`]);
  }
  await writeAll(jobs);
  return dir;
}

/** One psql script with the same statements: the floor for applying them. */
export async function psqlScript(file, count) {
  let sql = '';
  for (let i = 1; i <= count; i++) sql += `CREATE TABLE ${table(i)} (id int);\n`;
  await writeFile(file, sql);
  return file;
}

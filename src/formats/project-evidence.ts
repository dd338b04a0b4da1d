import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FormatName } from './names.js';

/** A project file that names the migration tool, e.g. { format: 'sqlx', reason: 'Cargo.toml depends on sqlx' }. */
export interface ProjectEvidence {
  format: FormatName;
  reason: string;
}

/** How far above the migrations folder the project root may be (migrations/, db/migrations/, src/db/migrations/). */
const LEVELS = 3;

const COMPOSE = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];
const MAKEFILES = ['Makefile', 'makefile', 'GNUmakefile', 'justfile', 'Justfile', '.justfile'];

/** Commands in a Makefile / justfile recipe or a package.json script, by the tool they call. */
const COMMANDS: { format: FormatName; re: RegExp; what: string }[] = [
  { format: 'dbmate', re: /(^|[\s;&|(/"'])dbmate(\s|$)/m, what: 'dbmate' },
  { format: 'sqlx', re: /(^|[\s;&|(/"'])(sqlx|cargo sqlx)\s+(migrate|database)\b/m, what: 'sqlx migrate' },
  { format: 'flyway', re: /(^|[\s;&|(/"'])flyway(\s|$)/m, what: 'flyway' },
  { format: 'golang-migrate', re: /(^|[\s;&|(/"'])migrate\s+(-path|-source|--path|--source|-database|--database)\b/m, what: 'migrate (golang-migrate)' },
  { format: 'plain', re: /(^|[\s;&|(/"'])psql\b[^\n]*\s-f\s/m, what: 'psql -f' },
];

/**
 * What the files around a migrations folder say about its tool: Cargo.toml using sqlx, go.mod requiring
 * golang-migrate, package.json or a compose file running dbmate (or the migrate / Flyway images),
 * flyway.conf / flyway.toml, a .sqlx/ folder, a Makefile or justfile recipe calling a tool. Reads the
 * folder's parent and up to two levels above, stopping at the folder that holds .git.
 */
export async function projectEvidence(migrationsDir: string): Promise<ProjectEvidence[]> {
  const found: ProjectEvidence[] = [];
  let dir = dirname(resolve(migrationsDir));
  for (let level = 0; level < LEVELS; level++) {
    found.push(...(await evidenceIn(dir)));
    if (await exists(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // One reason per tool: the nearest file says it.
  const seen = new Set<FormatName>();
  return found.filter((e) => (seen.has(e.format) ? false : (seen.add(e.format), true)));
}

async function evidenceIn(dir: string): Promise<ProjectEvidence[]> {
  const out: ProjectEvidence[] = [];
  const where = (file: string) => (basename(dir) ? `${file} (in ${dir})` : file);
  const cargo = await text(join(dir, 'Cargo.toml'));
  if (cargo !== undefined && /^\s*(sqlx\s*=|\[(workspace\.)?dependencies\.sqlx\]|sqlx\s*\.)/m.test(cargo)) out.push({ format: 'sqlx', reason: `${where('Cargo.toml')} depends on sqlx` });
  if (await isDir(join(dir, '.sqlx'))) out.push({ format: 'sqlx', reason: `${where('.sqlx/')} holds sqlx's offline query data` });
  const gomod = await text(join(dir, 'go.mod'));
  if (gomod?.includes('github.com/golang-migrate/migrate')) out.push({ format: 'golang-migrate', reason: `${where('go.mod')} requires github.com/golang-migrate/migrate` });
  for (const name of ['flyway.conf', 'flyway.toml', join('conf', 'flyway.conf'), join('conf', 'flyway.toml')])
    if (await exists(join(dir, name))) {
      out.push({ format: 'flyway', reason: `${where(name)} configures Flyway` });
      break;
    }
  const pkg = await text(join(dir, 'package.json'));
  if (pkg !== undefined) out.push(...packageEvidence(pkg, where('package.json')));
  for (const name of COMPOSE) {
    const compose = await text(join(dir, name));
    if (compose === undefined) continue;
    if (/image:\s*["']?(ghcr\.io\/)?(amacneil\/)?dbmate\b/m.test(compose)) out.push({ format: 'dbmate', reason: `${where(name)} runs the dbmate image` });
    if (/image:\s*["']?(docker\.io\/)?migrate\/migrate\b/m.test(compose)) out.push({ format: 'golang-migrate', reason: `${where(name)} runs the migrate/migrate (golang-migrate) image` });
    if (/image:\s*["']?(docker\.io\/|redgate\/)?flyway\/flyway\b|image:\s*["']?redgate\/flyway\b/m.test(compose)) out.push({ format: 'flyway', reason: `${where(name)} runs the Flyway image` });
  }
  for (const name of MAKEFILES) {
    const recipes = await text(join(dir, name));
    if (recipes === undefined) continue;
    for (const c of COMMANDS) if (c.re.test(recipes)) out.push({ format: c.format, reason: `${where(name)} has a recipe calling ${c.what}` });
  }
  return out;
}

function packageEvidence(raw: string, where: string): ProjectEvidence[] {
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(raw);
  } catch {
    return [];
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const out: ProjectEvidence[] = [];
  if ('dbmate' in deps) out.push({ format: 'dbmate', reason: `${where} depends on dbmate` });
  const scripts = Object.values(pkg.scripts ?? {}).join('\n');
  for (const c of COMMANDS) if (c.re.test(scripts) && !out.some((e) => e.format === c.format)) out.push({ format: c.format, reason: `${where} has a script calling ${c.what}` });
  return out;
}

async function text(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

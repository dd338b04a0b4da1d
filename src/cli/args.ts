import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import type { GlobalFlags } from './config.js';
import { parseFormatName, type FormatName } from '../formats/names.js';

const isFormatName = (raw: string): boolean => {
  try {
    parseFormatName(raw);
    return true;
  } catch {
    return false;
  }
};

export type ParsedCommand =
  | { name: 'tui' }
  | { name: 'status'; json: boolean }
  | { name: 'version' }
  | { name: 'up'; limit?: number; dryRun?: boolean; scratch?: string; json?: boolean; confirmRerun?: string; neverRun?: string }
  | { name: 'down'; limit?: number; all: boolean; dryRun?: boolean; scratch?: string; json?: boolean }
  | { name: 'goto'; version: string; dryRun?: boolean; scratch?: string; json?: boolean }
  | { name: 'force'; version: string }
  | { name: 'forget'; version: string }
  | { name: 'repair' }
  | { name: 'baseline'; version?: string; yes: boolean }
  | { name: 'drop'; force: boolean }
  | { name: 'create'; name_: string; ext: string; dir?: string; seq: boolean; digits: number; format?: string; tz: string }
  | { name: 'history'; json: boolean; limit: number }
  | { name: 'recover'; json: boolean; apply?: string; step?: 'up' | 'down'; yes: boolean; confirmRerun?: string }
  | { name: 'verify'; json: boolean; scratch?: string }
  | { name: 'drift'; json: boolean; scratch?: string }
  | { name: 'diff'; version: string; json: boolean }
  | { name: 'dump'; schemaFile?: string }
  | { name: 'lint'; json: boolean; versions: string[]; all: boolean; replay?: boolean; scratch?: string }
  | { name: 'help'; text: string }
  | { name: 'ladder-version' };

export interface ParsedArgs {
  flags: GlobalFlags;
  command: ParsedCommand;
}

// Go's flag package accepts -name and --name alike; commander wants --name for long options.
const LONG_FLAGS = ['path', 'source', 'database', 'lock-timeout', 'verbose', 'prefetch', 'help', 'version', 'all', 'ext', 'dir', 'seq', 'digits', 'format', 'tz', 'json', 'no-journal', 'limit', 'apply', 'yes', 'step', 'sandbox', 'strict', 'no-dump-schema', 'confirm-rerun', 'dry-run', 'scratch', 'schema-file', 'replay'];
const GO_STYLE = new RegExp(`^-(${LONG_FLAGS.join('|')})(=.*)?$`);

export function normalizeGoFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    out.push(GO_STYLE.test(a) ? `-${a}` : a);
  }
  return out;
}

const UINT = /^\d+$/;
/** Every format's versions are digits, Flyway's with dots or underscores ("1.2", "1_2"). */
const VERSION = /^\d[\d._]*$/;

export function parseArgs(argv: string[]): ParsedArgs {
  let command: ParsedCommand | undefined;
  let helpText = '';
  const program = new Command('ladder')
    .description(
      'A cockpit for PostgreSQL schema migrations: golang-migrate (its commands and output), dbmate, sqlx and Flyway projects, and plain numbered .sql files.\nWith no command on a terminal, opens the interactive TUI.',
    )
    .usage('[options] [command] [args]')
    .option('--path <dir>', 'migrations folder (default: ./migrations, ./db/migrations or ./db/migration, whichever exists)')
    .option('--source <url>', 'migrations location as file://PATH (same as --path)')
    .option('--database <url>', 'postgres://user:pass@host:port/db (default: DATABASE_URL, then DATABASE_URL in ./.env)')
    .option('--sandbox', 'use the local sandbox PostgreSQL (.ladder/sandbox); commands that change a database need it said explicitly when no database is given')
    .option('--format <tool>', 'golang-migrate, dbmate, sqlx, flyway or plain (default: recognised from the folder, the tables and the project files); for create, also a Go time layout')
    .option('--lock-timeout <seconds>', 'give up waiting for the migration lock after N seconds', '15')
    .option('--prefetch <n>', 'accepted for golang-migrate compatibility (a whole number; ignored)')
    .option('--verbose', 'print more about each step')
    .option('--no-journal', 'do not record steps in the ladder_journal table')
    .option('--strict', "dbmate: refuse a pending migration older than the latest applied one, as dbmate --strict does (also DBMATE_STRICT)")
    .option('--no-dump-schema', 'dbmate: accepted for compatibility; Ladder never writes a schema file')
    .option('-v, --version', 'print Ladder\'s version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (helpText += s), writeErr: (s) => (helpText += s) })
    .showSuggestionAfterError(true)
    .action(() => {
      command = { name: 'tui' };
    });

  program.command('status').description('list every migration with its state').option('--json', 'machine-readable output').action((o) => {
      command = { name: 'status', json: Boolean(o.json) };
    });
  program
    .command('history')
    .description("the steps Ladder has run on this database (its ladder_journal table), newest first")
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'how many entries', '50')
    .action((o) => {
      command = { name: 'history', json: Boolean(o.json), limit: count(o.limit, '--limit') };
    });
  program
    .command('recover')
    .description('explain a dirty database and walk through the ways out (retry, mark as done, undo)')
    .option('--json', 'describe the case for scripts')
    .option('--apply <way>', 'choose without a prompt: retry, mark-done or undo')
    .option('--step <direction>', 'with --apply, when Ladder cannot tell: the step that failed, up or down')
    .option('-y, --yes', 'run the chosen way out without asking')
    .option('--confirm-rerun <version>', 'with --apply retry when the file may already have committed: the failed version, typed to confirm running it again')
    .action((o) => {
      if (o.step !== undefined && o.step !== 'up' && o.step !== 'down') throw new UsageError(`--step takes up or down, got "${o.step}"`);
      command = { name: 'recover', json: Boolean(o.json), apply: o.apply, step: o.step, yes: Boolean(o.yes), confirmRerun: o.confirmRerun };
    });
  program.command('version').description('print the current migration version').action(() => {
      command = { name: 'version' };
    });
  program
    .command('up')
    .description('apply all or N up migrations')
    .argument('[N]')
    .option('--dry-run', 'rehearse the plan in a transaction that is rolled back; nothing changes')
    .option('--scratch <url>', 'with --dry-run: where steps that cannot run in a transaction are rehearsed')
    .option('--json', 'with --dry-run: machine-readable output')
    .option('--confirm-rerun <version>', 'run a step that did not finish last time again, although part of it may have committed (see ladder recover)')
    .option('--never-run <version>', 'run one migration below the current version that the journal shows never ran (status: never-run); the tracking table keeps the current version')
    .action((n: string | undefined, o) => {
      if (o.neverRun !== undefined && n !== undefined) throw new UsageError('up --never-run V runs that one migration: give it no N.', 'Run "ladder up --never-run V" on its own, then "ladder up" for the rest.');
      command = {
        name: 'up',
        limit: n === undefined ? undefined : count(n, 'N'),
        ...dryRunOf(o),
        ...(o.confirmRerun !== undefined ? { confirmRerun: o.confirmRerun } : {}),
        ...(o.neverRun !== undefined ? { neverRun: String(o.neverRun) } : {}),
      };
    });
  program
    .command('down')
    .description('apply all or N down migrations (all asks first; -all skips the question)')
    .argument('[N]')
    .option('--all', 'apply all down migrations')
    .option('--dry-run', 'rehearse the plan in a transaction that is rolled back; nothing changes')
    .option('--scratch <url>', 'with --dry-run: where steps that cannot run in a transaction are rehearsed')
    .option('--json', 'with --dry-run: machine-readable output')
    .action((n: string | undefined, o) => {
      if (o.all && n !== undefined) throw new UsageError('-all cannot be used with other arguments');
      command = { name: 'down', limit: n === undefined ? undefined : count(n, 'N'), all: Boolean(o.all), ...dryRunOf(o) };
    });
  program
    .command('goto')
    .description('migrate up or down to version V')
    .argument('<V>')
    .option('--dry-run', 'rehearse the plan in a transaction that is rolled back; nothing changes')
    .option('--scratch <url>', 'with --dry-run: where steps that cannot run in a transaction are rehearsed')
    .option('--json', 'with --dry-run: machine-readable output')
    .action((v: string, o) => {
      if (!VERSION.test(v)) throw new UsageError("error: can't read version argument V", `V is a migration version, e.g. "goto 3" (got "${v}").`);
      command = { name: 'goto', version: v, ...dryRunOf(o) };
    });
  program
    .command('force')
    .description("set version V without running anything (clears dirty); -1 means no version")
    .argument('<V>')
    .action((v: string) => {
      if (!VERSION.test(v) && !/^-\d+$/.test(v)) throw new UsageError("error: can't read version argument V", `V is a version or -1, e.g. "force 3" (got "${v}").`);
      if (/^-\d+$/.test(v) && BigInt(v) < -1n) throw new UsageError('error: argument V must be >= -1');
      command = { name: 'force', version: v };
    });
  program
    .command('drop')
    .description('drop every table in the current schema')
    .option('-f', 'do not ask for confirmation')
    .action((o) => {
      command = { name: 'drop', force: Boolean(o.f) };
    });
  program
    .command('create')
    .description('create a pair of empty up/down migration files')
    .argument('<NAME>')
    .option('--ext <ext>', 'file extension', 'sql')
    .option('--dir <dir>', 'folder to create them in (default: the migrations folder)')
    .option('--seq', 'sequential version numbers instead of timestamps')
    .option('--digits <n>', 'digits in a sequential version', '6')
    .option('--tz <zone>', 'time zone of the timestamp', 'UTC')
    .action((name: string, o) => {
      if (!UINT.test(o.digits) || Number(o.digits) <= 0) throw new UsageError('digits must be positive');
      // -format is both Ladder's tool override and golang-migrate create's time layout: read it after parsing.
      command = { name: 'create', name_: name, ext: o.ext, dir: o.dir, seq: Boolean(o.seq), digits: Number(o.digits), tz: o.tz };
    });
  program
    .command('forget')
    .description('record version V as not applied, without running its down SQL (dbmate, sqlx, Flyway)')
    .argument('<V>')
    .action((v: string) => {
      if (!VERSION.test(v)) throw new UsageError("error: can't read version argument V", `V is a migration version, e.g. "forget 3" (got "${v}").`);
      command = { name: 'forget', version: v };
    });
  program
    .command('baseline')
    .description('record migrations as applied without running them: up to V, or (without V) those whose effects the database already has')
    .argument('[V]')
    .option('-y, --yes', 'record without asking')
    .action((v: string | undefined, o) => {
      if (v !== undefined && !VERSION.test(v)) throw new UsageError("error: can't read version argument V", `V is a migration version, e.g. "baseline 2" (got "${v}").`);
      command = { name: 'baseline', version: v, yes: Boolean(o.yes) };
    });
  program
    .command('repair')
    .description("the tool's repair: delete failed rows and store changed checksums (sqlx, Flyway)")
    .action(() => {
      command = { name: 'repair' };
    });

  const scratchHelp = 'a server where Ladder may create and drop its own databases (default: an embedded PostgreSQL)';
  program
    .command('verify')
    .description('on a scratch database, check that every down migration restores the schema its up started from')
    .option('--json', 'machine-readable output')
    .option('--scratch <url>', scratchHelp)
    .action((o) => {
      command = { name: 'verify', json: Boolean(o.json), scratch: o.scratch };
    });
  program
    .command('drift')
    .description('compare the database with its migrations replayed on a scratch database')
    .option('--json', 'machine-readable output')
    .option('--scratch <url>', scratchHelp)
    .action((o) => {
      command = { name: 'drift', json: Boolean(o.json), scratch: o.scratch };
    });
  program
    .command('diff')
    .description("what migration V's last run changed in the schema")
    .argument('<V>')
    .option('--json', 'machine-readable output')
    .action((v: string, o) => {
      if (!VERSION.test(v)) throw new UsageError("error: can't read version argument V", `V is a migration version, e.g. "diff 2" (got "${v}").`);
      command = { name: 'diff', version: v, json: Boolean(o.json) };
    });
  program
    .command('dump')
    .description("write the schema as dbmate's db/schema.sql (pg_dump, then the tracking rows)")
    .option('--schema-file <path>', 'where to write it (default DBMATE_SCHEMA_FILE, else db/schema.sql)')
    .action((o) => {
      command = { name: 'dump', schemaFile: o.schemaFile };
    });
  program
    .command('lint')
    .description('check the pending migrations (or V…, or --all) for statements that lock, rewrite, fail or lose data')
    .argument('[V...]')
    .option('--json', 'machine-readable output')
    .option('--all', 'every migration, ups and downs')
    .option('--replay', 'replay every down on a scratch database (as verify does) to confirm down-does-not-reverse')
    .option('--scratch <url>', 'with --replay: a server where Ladder may create and drop its own databases')
    .action((versions: string[], o) => {
      if (o.all && versions.length > 0) throw new UsageError('lint takes versions or --all, not both');
      if (o.scratch !== undefined && !o.replay) throw new UsageError('--scratch goes with --replay here', 'For example: ladder lint --replay --scratch postgres://USER:PASSWORD@HOST/postgres');
      command = { name: 'lint', json: Boolean(o.json), versions, all: Boolean(o.all), ...(o.replay ? { replay: true } : {}), ...(o.scratch !== undefined ? { scratch: o.scratch } : {}) };
    });

  try {
    program.parse(normalizeGoFlags(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return { flags: {}, command: { name: 'help', text: helpText } };
      if (err.code === 'commander.version') return { flags: {}, command: { name: 'ladder-version' } };
      if (err.code === 'commander.excessArguments') {
        const args = normalizeGoFlags(argv);
        const word = firstPositional(args);
        const known = word !== undefined && program.commands.find((c) => c.name() === word);
        if (known) {
          const expected = known.registeredArguments.map((a) => a.name());
          const given = positionals(args).slice(1);
          throw new UsageError(
            `too many arguments for "${word}": it takes ${expected.length === 0 ? 'none' : `at most ${expected.length} (${expected.join(' ')})`}, got ${given.length} (${given.map((g) => `"${g}"`).join(' ')})`,
            `Usage: ladder ${known.name()} ${known.usage()}. Run "ladder ${known.name()} --help" for details.`,
          );
        }
        throw new UsageError(`unknown command "${word}"`, 'Commands: status, up, down, goto, force, forget, repair, baseline, drop, version, create, history, recover, verify, drift, diff, dump, lint. Run "ladder --help" for details.');
      }
      throw new UsageError(err.message.replace(/^error: /, ''), 'Run "ladder --help" for the commands and options.');
    }
    throw err;
  }
  const opts = program.opts();
  if (opts.version) return { flags: {}, command: { name: 'ladder-version' } };
  let format: FormatName | undefined;
  if (opts.format !== undefined) {
    if (command?.name === 'create' && !isFormatName(opts.format)) {
      if (command.seq) throw new UsageError('the seq and format options are mutually exclusive');
      command.format = opts.format;
    } else format = parseFormatName(opts.format);
  }
  if (opts.prefetch !== undefined && !UINT.test(opts.prefetch))
    throw new UsageError(`-prefetch takes a whole number of migrations to read ahead, got "${opts.prefetch}"`, 'For example -prefetch 10 (golang-migrate\'s default); Ladder accepts it for compatibility and reads one file ahead.');
  if (opts.sandbox && opts.database !== undefined)
    throw new UsageError('-sandbox and -database name two different databases; pass one of them.', 'Leave out -sandbox to use the -database URL, or -database to use the local sandbox.');
  const flags: GlobalFlags = {
    format,
    sandbox: Boolean(opts.sandbox),
    path: opts.path,
    source: opts.source,
    database: opts.database,
    lockTimeout: argv.some((a) => /^--?lock-timeout/.test(a)) ? opts.lockTimeout : undefined,
    verbose: opts.verbose,
    journal: opts.journal,
    strict: opts.strict,
  };
  return { flags, command: command ?? { name: 'tui' } };
}

const TAKES_VALUE = new Set(['--path', '--source', '--database', '--lock-timeout', '--prefetch', '--format']);

function firstPositional(args: string[]): string | undefined {
  return positionals(args)[0];
}

function positionals(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (TAKES_VALUE.has(a)) i++;
    else if (!a.startsWith('-') || /^-\d+$/.test(a)) out.push(a);
  }
  return out;
}

/** Only present with --dry-run, so the commands' shape is unchanged without it. */
function dryRunOf(o: { dryRun?: boolean; scratch?: string; json?: boolean }): { dryRun?: true; scratch?: string; json?: true } {
  if (o.scratch !== undefined && !o.dryRun) throw new UsageError('--scratch goes with --dry-run here', 'For example: ladder up --dry-run --scratch postgres://USER:PASSWORD@HOST/postgres');
  if (o.json && !o.dryRun) throw new UsageError('--json goes with --dry-run here', 'A run prints its steps as golang-migrate does; for a machine-readable rehearsal: ladder up --dry-run --json');
  return o.dryRun ? { dryRun: true, ...(o.scratch !== undefined ? { scratch: o.scratch } : {}), ...(o.json ? { json: true as const } : {}) } : {};
}

function count(raw: string, what: string): number {
  if (!UINT.test(raw)) throw new UsageError(`error: can't read limit argument ${what}`, `${what} is a whole number of migrations (got "${raw}").`);
  return Number(raw);
}

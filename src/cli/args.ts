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
  | { name: 'up'; limit?: number }
  | { name: 'down'; limit?: number; all: boolean }
  | { name: 'goto'; version: string }
  | { name: 'force'; version: string }
  | { name: 'forget'; version: string }
  | { name: 'repair' }
  | { name: 'drop'; force: boolean }
  | { name: 'create'; name_: string; ext: string; dir?: string; seq: boolean; digits: number; format?: string; tz: string }
  | { name: 'history'; json: boolean; limit: number }
  | { name: 'recover'; json: boolean; apply?: string; step?: 'up' | 'down'; yes: boolean }
  | { name: 'lint'; json: boolean; versions: string[]; all: boolean }
  | { name: 'help'; text: string }
  | { name: 'ladder-version' };

export interface ParsedArgs {
  flags: GlobalFlags;
  command: ParsedCommand;
}

// Go's flag package accepts -name and --name alike; commander wants --name for long options.
const LONG_FLAGS = ['path', 'source', 'database', 'lock-timeout', 'verbose', 'prefetch', 'help', 'version', 'all', 'ext', 'dir', 'seq', 'digits', 'format', 'tz', 'json', 'no-journal', 'limit', 'apply', 'yes', 'step'];
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
      'A cockpit for PostgreSQL schema migrations: golang-migrate (its commands and output), dbmate, sqlx and Flyway projects.\nWith no command on a terminal, opens the interactive TUI.',
    )
    .usage('[options] [command] [args]')
    .option('--path <dir>', 'migrations folder (default: ./migrations, ./db/migrations or ./db/migration, whichever exists)')
    .option('--source <url>', 'migrations location as file://PATH (same as --path)')
    .option('--database <url>', 'postgres://user:pass@host:port/db (default DATABASE_URL, else a sandbox)')
    .option('--format <tool>', 'golang-migrate, dbmate, sqlx or flyway (default: recognised from the folder and the tables); for create, also a Go time layout')
    .option('--lock-timeout <seconds>', 'give up waiting for the migration lock after N seconds', '15')
    .option('--prefetch <n>', 'accepted for golang-migrate compatibility (ignored)')
    .option('--verbose', 'print more about each step')
    .option('--no-journal', 'do not record steps in the ladder_journal table')
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
    .action((o) => {
      if (o.step !== undefined && o.step !== 'up' && o.step !== 'down') throw new UsageError(`--step takes up or down, got "${o.step}"`);
      command = { name: 'recover', json: Boolean(o.json), apply: o.apply, step: o.step, yes: Boolean(o.yes) };
    });
  program.command('version').description('print the current migration version').action(() => {
      command = { name: 'version' };
    });
  program
    .command('up')
    .description('apply all or N up migrations')
    .argument('[N]')
    .action((n?: string) => {
      command = { name: 'up', limit: n === undefined ? undefined : count(n, 'N') };
    });
  program
    .command('down')
    .description('apply all or N down migrations (all asks first; -all skips the question)')
    .argument('[N]')
    .option('--all', 'apply all down migrations')
    .action((n: string | undefined, o) => {
      if (o.all && n !== undefined) throw new UsageError('-all cannot be used with other arguments');
      command = { name: 'down', limit: n === undefined ? undefined : count(n, 'N'), all: Boolean(o.all) };
    });
  program
    .command('goto')
    .description('migrate up or down to version V')
    .argument('<V>')
    .action((v: string) => {
      if (!VERSION.test(v)) throw new UsageError("error: can't read version argument V", `V is a migration version, e.g. "goto 3" (got "${v}").`);
      command = { name: 'goto', version: v };
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
    .command('repair')
    .description("the tool's repair: delete failed rows and store changed checksums (sqlx, Flyway)")
    .action(() => {
      command = { name: 'repair' };
    });

  program
    .command('lint')
    .description('check the pending migrations (or V…, or --all) for statements that lock, rewrite, fail or lose data')
    .argument('[V...]')
    .option('--json', 'machine-readable output')
    .option('--all', 'every migration, ups and downs')
    .action((versions: string[], o) => {
      if (o.all && versions.length > 0) throw new UsageError('lint takes versions or --all, not both');
      command = { name: 'lint', json: Boolean(o.json), versions, all: Boolean(o.all) };
    });

  try {
    program.parse(normalizeGoFlags(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return { flags: {}, command: { name: 'help', text: helpText } };
      if (err.code === 'commander.version') return { flags: {}, command: { name: 'ladder-version' } };
      if (err.code === 'commander.excessArguments') {
        const word = firstPositional(normalizeGoFlags(argv));
        throw new UsageError(`unknown command "${word}"`, 'Commands: status, up, down, goto, force, forget, repair, drop, version, create, history, recover, lint. Run "ladder --help" for details.');
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
  const flags: GlobalFlags = {
    format,
    path: opts.path,
    source: opts.source,
    database: opts.database,
    lockTimeout: argv.some((a) => /^--?lock-timeout/.test(a)) ? opts.lockTimeout : undefined,
    verbose: opts.verbose,
    journal: opts.journal,
  };
  return { flags, command: command ?? { name: 'tui' } };
}

const TAKES_VALUE = new Set(['--path', '--source', '--database', '--lock-timeout', '--prefetch', '--format']);

function firstPositional(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (TAKES_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function count(raw: string, what: string): number {
  if (!UINT.test(raw)) throw new UsageError(`error: can't read limit argument ${what}`, `${what} is a whole number of migrations (got "${raw}").`);
  return Number(raw);
}

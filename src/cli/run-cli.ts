import { LadderError } from '../errors.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/url.js';
import { openProject, type Project } from '../engine/project.js';
import type { RunControl } from '../engine/run.js';
import type { Intent } from '../engine/plan.js';
import { parseArgs, type ParsedCommand } from './args.js';
import { resolveConfig, type ResolvedConfig } from './config.js';
import type { CliIO } from './io.js';
import { startSandbox, type Sandbox } from './sandbox.js';
import { LADDER_VERSION } from '../version.js';
import { NIL_VERSION } from '../formats/types.js';

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Shared with the ctrl-c handler: first press stops after the current step, second cancels it. */
  control?: RunControl;
  onProject?: (p: Project | undefined) => void;
}

/** Runs one headless command; returns the exit code (0 ok or no change, 1 error, 2 usage). */
export async function runCli(argv: string[], io: CliIO, ctx: CliEnv): Promise<number> {
  let sandbox: Sandbox | undefined;
  let project: Project | undefined;
  try {
    const { flags, command } = parseArgs(argv);
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
      const { createCommand } = await import('../headless/create.js');
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
      sandbox = await startSandbox(ctx.cwd);
      const why = sandbox.note ? `, ${sandbox.note}` : '';
      io.err(`Using a sandbox PostgreSQL (data in ${sandbox.dataDir}${why}); for a real database pass -database URL or set DATABASE_URL.\n`);
      target = parseDatabaseUrl(sandbox.url);
    } else target = parseDatabaseUrl(config.databaseUrl);
    project = await openProject(config.dir, target, { format: config.format, tables: config.tables });
    ctx.onProject?.(project);
    return await dispatch(command, project, io, config, ctx);
  } catch (err) {
    return reportError(io, err);
  } finally {
    ctx.onProject?.(undefined);
    await project?.close();
    await sandbox?.stop().catch(() => undefined);
  }
}

// Each command's module is loaded when it runs, so start-up pays only for what the command uses.
async function dispatch(command: ParsedCommand, project: Project, io: CliIO, config: ResolvedConfig, ctx: CliEnv): Promise<number> {
  const opts = { lockTimeoutMs: config.lockTimeoutMs, verbose: config.verbose, journal: config.journal, control: ctx.control, cwd: ctx.cwd };
  switch (command.name) {
    case 'tui': {
      if (!io.interactive) {
        io.err('Not a terminal, so printing status instead of opening the TUI. Commands: ladder --help\n');
        return (await import('../headless/status.js')).statusCommand(project, io, false);
      }
      // Ink and React stay out of headless start-up.
      const { startTui } = await import('../tui/start.js');
      return startTui(project, { lockTimeoutMs: config.lockTimeoutMs, env: ctx.env, databaseFrom: config.databaseFrom, journal: config.journal });
    }
    case 'status':
      return (await import('../headless/status.js')).statusCommand(project, io, command.json);
    case 'version': {
      const state = await project.readState();
      if (state.version === NIL_VERSION) throw new LadderError('no migration', 'Nothing has been applied yet; "ladder up" applies the pending migrations.');
      io.out(`${state.version}${state.dirty ? ' (dirty)' : ''}\n`);
      return 0;
    }
    case 'recover':
      return (await import('../headless/recover.js')).recoverCommand(project, io, { ...opts, json: command.json, apply: command.apply, step: command.step, yes: command.yes });
    case 'history':
      return (await import('../headless/history.js')).historyCommand(project, io, command.json, command.limit);
    case 'lint':
      return (await import('../headless/lint.js')).lintCommand({ project }, io, lintOptions(command, ctx.cwd));
    case 'up':
    case 'down':
    case 'goto':
    case 'force':
    case 'forget':
    case 'repair':
    case 'drop':
      return (await import('../headless/migrate.js')).migrateCommand(project, io, intentOf(command), opts);
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
      return { kind: 'up', limit: command.limit };
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
  const e = err as Error;
  io.err(`error: ${e?.message ?? String(err)}\n`);
  return 1;
}

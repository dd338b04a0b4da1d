import type { Intent } from '../engine/plan.js';

/** What a : command asks for. */
export type CommandRequest =
  | { kind: 'plan'; intent: Intent }
  | { kind: 'history' }
  | { kind: 'log' }
  | { kind: 'help' }
  | { kind: 'refresh' }
  | { kind: 'quit' }
  | { kind: 'lint' }
  | { kind: 'drift' }
  | { kind: 'recover' }
  /** Record pending migrations as applied without running them: up to V, or those whose effects are all in the database. */
  | { kind: 'baseline'; version?: string }
  | { kind: 'error'; message: string };

export interface CommandSpec {
  name: string;
  args: string;
  about: string;
}

/** Every action the : line knows, in the order completion offers them. */
export const COMMANDS: CommandSpec[] = [
  { name: 'goto', args: '<version>', about: 'up or down to a version' },
  { name: 'up', args: '[n]', about: 'up n migrations (all when n is left out)' },
  { name: 'down', args: '<n>', about: 'down n migrations (D rolls back everything)' },
  { name: 'force', args: '<version>', about: 'record a version without running SQL (-1: none)' },
  { name: 'history', args: '', about: "the journal of every step" },
  { name: 'log', args: '', about: 'the whole log' },
  { name: 'lint', args: '', about: 'lint the migrations' },
  { name: 'drift', args: '', about: 'compare the schema with the migrations replayed on a scratch database' },
  { name: 'refresh', args: '', about: 're-read the folder and the database' },
  { name: 'help', args: '', about: 'every key' },
  { name: 'quit', args: '', about: 'leave Ladder' },
  { name: 'baseline', args: '[version]', about: 'record migrations as applied without running them (up to version, or those already in the database)' },
  { name: 'recover', args: '', about: 'the recovery guide: what a failed step left, and the ways out' },
  { name: 'never-run', args: '<version>', about: 'run a migration marked never run, out of order (the recorded version stays)' },
];

/** Commands whose name starts with what was typed (the first word). */
export function completions(value: string): CommandSpec[] {
  const word = value.trimStart().split(/\s+/)[0] ?? '';
  if (value.trimStart().includes(' ')) return COMMANDS.filter((c) => c.name === word);
  return COMMANDS.filter((c) => c.name.startsWith(word.toLowerCase()));
}

/** Tab: the one command that fits (with a space for its argument), or the longest prefix they share. */
export function complete(value: string): string {
  if (value.trimStart().includes(' ')) return value;
  const found = completions(value);
  if (found.length === 0) return value;
  if (found.length === 1) return found[0]!.name + (found[0]!.args ? ' ' : '');
  let prefix = found[0]!.name;
  for (const c of found) while (!c.name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > value.trim().length ? prefix : value;
}

const VERSION = /^(-1|\d+)$/;

/** Reads a : line ("goto 42", "down 3"); a unique prefix of a command's name is enough. */
export function parseCommand(value: string): CommandRequest {
  const [word = '', ...rest] = value.trim().split(/\s+/);
  if (word === '') return { kind: 'error', message: 'type a command (tab completes): ' + COMMANDS.map((c) => c.name).join(', ') };
  const exact = COMMANDS.find((c) => c.name === word.toLowerCase());
  const found = exact ? [exact] : completions(word);
  if (found.length === 0) return { kind: 'error', message: `no command "${word}"; there are ${COMMANDS.map((c) => c.name).join(', ')}` };
  if (found.length > 1) return { kind: 'error', message: `"${word}" could be ${found.map((c) => c.name).join(' or ')}` };
  const cmd = found[0]!;
  const arg = rest[0];
  if (rest.length > 1) return { kind: 'error', message: `${cmd.name} takes ${cmd.args || 'nothing'}, not "${rest.join(' ')}"` };
  const count = (n: string | undefined) => (n !== undefined && /^[1-9]\d*$/.test(n) ? Number(n) : undefined);
  switch (cmd.name) {
    case 'goto':
    case 'force':
      if (arg === undefined || !VERSION.test(arg)) return { kind: 'error', message: `${cmd.name} needs a version number, e.g. :${cmd.name} 3${cmd.name === 'force' ? ' (or -1 for none)' : ''}` };
      if (cmd.name === 'goto' && arg === '-1') return { kind: 'error', message: 'goto needs a version; D rolls back everything' };
      return { kind: 'plan', intent: { kind: cmd.name, version: arg } };
    case 'never-run':
      if (arg === undefined || !VERSION.test(arg) || arg === '-1') return { kind: 'error', message: 'never-run needs the version of a migration marked never run, e.g. :never-run 2' };
      return { kind: 'plan', intent: { kind: 'never-run', version: arg } };
    case 'up':
      if (arg === undefined) return { kind: 'plan', intent: { kind: 'up' } };
      return count(arg) ? { kind: 'plan', intent: { kind: 'up', limit: count(arg) } } : { kind: 'error', message: `up takes a count of at least 1, not "${arg}"` };
    case 'baseline':
      if (arg !== undefined && !/^\d+(\.\d+)*$/.test(arg)) return { kind: 'error', message: `baseline takes a version, e.g. :baseline 3 (or nothing: the migrations already in the database), not "${arg}"` };
      return arg === undefined ? { kind: 'baseline' } : { kind: 'baseline', version: arg };
    case 'down':
      return count(arg) ? { kind: 'plan', intent: { kind: 'down', limit: count(arg) } } : { kind: 'error', message: `down needs a count of at least 1, e.g. :down 1 (D rolls back everything)` };
    default:
      if (arg !== undefined) return { kind: 'error', message: `${cmd.name} takes no argument` };
      return { kind: cmd.name as 'history' | 'log' | 'help' | 'refresh' | 'quit' | 'lint' | 'drift' | 'recover' };
  }
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { LadderError } from '../../errors.js';
import { RULE_CODES } from './rules/index.js';
import { EMPTY_CONFIG, type LintConfig, type RuleSetting } from './types.js';

export const CONFIG_FILE = '.ladder.toml';
const SETTINGS: RuleSetting[] = ['off', 'on', 'error', 'warning', 'info'];

/**
 * The project's lint settings from .ladder.toml in the working directory:
 *   [lint.rules]
 *   rename = "off"                    # disable
 *   create-if-not-exists = "on"       # enable an opt-in rule
 *   drop-data = "warning"             # re-grade
 * No file: every rule at its own severity. A bad file is an error that says where.
 */
export async function loadLintConfig(cwd: string): Promise<LintConfig> {
  const path = join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new LadderError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  return parseLintConfig(text, path);
}

export function parseLintConfig(text: string, path = CONFIG_FILE): LintConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as TomlError;
    const where = e instanceof TomlError ? `${path}:${e.line}:${e.column}` : path;
    throw new LadderError(`${where}: not valid TOML: ${String(e.message).split('\n')[0]}`, `Fix ${path}; its lint settings go under [lint.rules], e.g. rename = "off".`);
  }
  const lint = doc.lint;
  if (lint === undefined) return EMPTY_CONFIG;
  if (!isTable(lint)) throw bad(path, '"lint" must be a table: [lint.rules]');
  for (const key of Object.keys(lint)) if (key !== 'rules') throw bad(path, `unknown key "lint.${key}" (only [lint.rules] is read)`);
  const rules = lint.rules ?? {};
  if (!isTable(rules)) throw bad(path, '"lint.rules" must be a table of rule = "off" | "on" | "error" | "warning" | "info"');
  const out: LintConfig = { rules: {} };
  for (const [code, value] of Object.entries(rules)) {
    if (!RULE_CODES.has(code)) throw bad(path, `[lint.rules] names no rule "${code}"; the rules are: ${[...RULE_CODES].join(', ')}`);
    if (typeof value !== 'string' || !SETTINGS.includes(value as RuleSetting)) throw bad(path, `[lint.rules] ${code} = ${JSON.stringify(value)}: use one of ${SETTINGS.map((s) => `"${s}"`).join(', ')}`);
    out.rules[code] = value as RuleSetting;
  }
  return out;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(path: string, what: string): LadderError {
  return new LadderError(`${path}: ${what}.`, 'Nothing was run. Fix the file and try again.');
}

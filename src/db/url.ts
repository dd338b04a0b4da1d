import type pg from 'pg';
import { LadderError } from '../errors.js';
import { registerSecret, redactUrl } from '../redact.js';

/** golang-migrate's x- options, read from the URL and stripped before connecting. */
export interface MigrateOptions {
  migrationsTable?: string;
  migrationsTableQuoted: boolean;
  statementTimeoutMs: number;
}

export interface DatabaseTarget {
  /** The URL with the password replaced, safe to print. */
  display: string;
  /** URL path with its leading slash: golang-migrate's CLI feeds this to the lock id. */
  urlPath: string;
  config: pg.ClientConfig;
  options: MigrateOptions;
  /** The first entry of the URL's search_path, trimmed ('' when absent): where dbmate keeps its table. */
  searchPathFirst: string;
}

// Connection parameters node-postgres understands directly; the rest become server settings, as lib/pq sends them.
const CLIENT_PARAMS = new Set(['sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'application_name', 'fallback_application_name', 'connect_timeout', 'options', 'host', 'port', 'user', 'password', 'dbname', 'keepalives', 'keepalives_idle', 'target_session_attrs', 'sslpassword', 'sslnegotiation', 'binary_parameters', 'disable_prepared_binary_result']);

export function parseDatabaseUrl(given: string): DatabaseTarget {
  // Flyway projects configure jdbc:postgresql://host:port/db?user=..&password=..: the same URL without "jdbc:".
  const raw = given.replace(/^jdbc:(?=postgres(?:ql)?:)/i, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LadderError(
      `The database URL is not a valid URL: ${redactUrl(raw)}`,
      'Use the form postgres://USER@HOST:5432/DBNAME?sslmode=disable, with the password after USER: (percent-encode its special characters: @ as %40, / as %2F, : as %3A).',
      2,
    );
  }
  // "postgres:user:pw@host/db" (no "//") parses as a URL with an opaque path: no host, and the password
  // would be echoed where the redaction (which looks for "://user:") cannot see it.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw))
    throw new LadderError(
      `The database URL must start with ${url.protocol}// (it has "${url.protocol}" followed by no "//"; the rest is not shown, it may hold a password).`,
      'Use the form postgres://USER@HOST:5432/DBNAME?sslmode=disable, with the password after USER: (percent-encode its special characters: @ as %40, / as %2F, : as %3A).',
      2,
    );
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new LadderError(
      `Unsupported database URL scheme "${url.protocol.replace(/:$/, '')}" in ${redactUrl(raw)}.`,
      'Ladder works with PostgreSQL: the URL must start with postgres://, postgresql:// or jdbc:postgresql://.',
      2,
    );
  const password = safeDecode(url.password);
  if (password) registerSecret(password, url.password);
  const params = url.searchParams;
  const options = readMigrateOptions(params);
  const config: pg.ClientConfig = {
    user: safeDecode(url.username) || params.get('user') || undefined,
    password: password || params.get('password') || undefined,
    host: safeDecode(url.hostname).replace(/^\[(.*)\]$/, '$1') || params.get('host') || 'localhost',
    port: url.port ? Number(url.port) : params.get('port') ? wholeNumber(params, 'port', 'a TCP port, e.g. port=5432') : 5432,
    database: safeDecode(url.pathname.replace(/^\//, '')) || params.get('dbname') || undefined,
    application_name: params.get('application_name') ?? 'ladder',
    connectionTimeoutMillis: connectTimeoutMs(params),
    ssl: sslFor(params.get('sslmode'), params),
  };
  if (config.password) registerSecret(String(config.password));
  const settings: string[] = [];
  const userOptions = params.get('options');
  if (userOptions) settings.push(userOptions);
  for (const [key, value] of params) {
    if (key.startsWith('x-') || CLIENT_PARAMS.has(key)) continue;
    settings.push(`-c ${key}=${value.replace(/([\\ ])/g, '\\$1')}`);
  }
  if (settings.length > 0) config.options = settings.join(' ');
  return { display: redactUrl(stripX(url).toString()), urlPath: url.pathname, config, options, searchPathFirst: (params.get('search_path') ?? '').split(',')[0]!.trim() };
}

/** libpq's connect_timeout: whole seconds, 0 waits forever (as in libpq); absent: 10 s. */
function connectTimeoutMs(params: URLSearchParams): number {
  if (params.get('connect_timeout') === null) return 10_000;
  return wholeNumber(params, 'connect_timeout', 'whole seconds, e.g. connect_timeout=10') * 1000;
}

function wholeNumber(params: URLSearchParams, key: string, what: string): number {
  const raw = params.get(key)!;
  if (!/^\d{1,9}$/.test(raw.trim()))
    throw new LadderError(`${key} in the database URL must be ${what.split(',')[0]}, got "${raw}".`, `Use ${what.split(', ')[1] ?? what}. Nothing was changed.`, 2);
  return Number(raw.trim());
}

function readMigrateOptions(params: URLSearchParams): MigrateOptions {
  const quoted = params.get('x-migrations-table-quoted');
  const timeout = params.get('x-statement-timeout');
  const bool = (v: string | null) => v !== null && /^(1|t|true|TRUE|True)$/.test(v);
  if (quoted !== null && !/^(1|0|t|f|true|false|TRUE|FALSE|True|False)$/.test(quoted))
    throw new LadderError(`unable to parse option x-migrations-table-quoted: "${quoted}" is not a boolean`, 'Use x-migrations-table-quoted=1 or =0.', 2);
  if (timeout !== null && !/^\d+$/.test(timeout))
    throw new LadderError(`x-statement-timeout must be a whole number of milliseconds, got "${timeout}"`, undefined, 2);
  return {
    migrationsTable: params.get('x-migrations-table') || undefined,
    migrationsTableQuoted: bool(quoted),
    statementTimeoutMs: timeout ? Number(timeout) : 0,
  };
}

function sslFor(mode: string | null, params: URLSearchParams): pg.ClientConfig['ssl'] {
  switch (mode) {
    case null:
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return params.get('sslrootcert') ? { rejectUnauthorized: true } : true;
    default:
      throw new LadderError(`Unknown sslmode "${mode}" in the database URL.`, 'Use one of disable, require, verify-ca, verify-full.', 2);
  }
}

function stripX(url: URL): URL {
  const copy = new URL(url.toString());
  for (const key of [...copy.searchParams.keys()]) if (key.startsWith('x-')) copy.searchParams.delete(key);
  return copy;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

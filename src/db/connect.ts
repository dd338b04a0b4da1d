import pg from 'pg';
import { LadderError } from '../errors.js';
import type { DatabaseTarget } from './url.js';
import { redactSecrets } from '../redact.js';

/** Opens one connection, turning pg's low-level failures into a message that says what to do. */
export async function connect(target: DatabaseTarget): Promise<pg.Client> {
  const client = new pg.Client(target.config);
  // An idle client whose server goes away emits 'error'; without a listener Node would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw explainConnectError(err, target);
  }
  return client;
}

export function explainConnectError(err: unknown, target: DatabaseTarget): LadderError {
  const e = err as { code?: string; message?: string };
  const { host, port, user, database } = target.config;
  const where = `${host}:${port}`;
  const dbName = database ?? user ?? '(default)';
  const suffix = ` (database URL: ${target.display})`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new LadderError(
        `Could not connect to PostgreSQL at ${where}: connection refused${suffix}.`,
        `Is the server running and listening on ${where}? Check host and port in -database / DATABASE_URL. Nothing was changed.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LadderError(`Could not connect to PostgreSQL: the host "${host}" was not found${suffix}.`, 'Check the host name in -database / DATABASE_URL. Nothing was changed.');
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new LadderError(`Could not reach PostgreSQL at ${where} (${e.code})${suffix}.`, 'Check the host, port, VPN or firewall. Nothing was changed.');
    case '28P01':
      return new LadderError(
        `Password authentication failed for user "${user}" at ${where}${suffix}.`,
        'Check the user name and password in -database / DATABASE_URL (percent-encode special characters in the password). Nothing was changed.',
      );
    case '28000':
      return new LadderError(`PostgreSQL at ${where} refused the connection: ${redactSecrets(e.message ?? '')}${suffix}.`, 'Check the user name in the URL and the server\'s pg_hba.conf. Nothing was changed.');
    case '3D000':
      return new LadderError(
        `The database "${dbName}" does not exist on ${where}${suffix}.`,
        `Create it first (e.g. createdb -h ${host} -p ${port} ${dbName}) or fix the database name in the URL. Nothing was changed.`,
      );
    case '57P03':
      return new LadderError(`PostgreSQL at ${where} is starting up or shutting down${suffix}.`, 'Wait a moment and try again.');
    case '53300':
      return new LadderError(`PostgreSQL at ${where} has no free connection slots${suffix}.`, 'Close idle connections or raise max_connections, then try again.');
  }
  const message = redactSecrets(e.message ?? String(err));
  if (/does not support SSL/i.test(message))
    return new LadderError(`PostgreSQL at ${where} does not accept SSL connections${suffix}.`, 'Add sslmode=disable to the URL.');
  if (/timeout/i.test(message))
    return new LadderError(`Timed out connecting to PostgreSQL at ${where}${suffix}.`, 'Check the host, port, VPN or firewall; raise connect_timeout=SECONDS in the URL if the server is slow.');
  return new LadderError(`Could not connect to PostgreSQL at ${where}: ${message}${suffix}.`, 'Nothing was changed.');
}

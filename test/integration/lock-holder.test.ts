import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../helpers/db.js';
import { lockHolder } from '../../src/db/session.js';

describe('lockHolder', () => {
  it.each(['616192132', '2314606599059585876', '77433833903597', '-5'])('finds the session holding advisory key %s', async (key) => {
    const url = await freshDatabase('lock_holder');
    const holder = new pg.Client({ connectionString: url, application_name: 'the-holder' });
    const other = new pg.Client({ connectionString: url });
    await holder.connect();
    await other.connect();
    try {
      expect(await lockHolder(other, key)).toBeNull();
      await holder.query('select pg_advisory_lock($1::bigint)', [key]);
      const h = await lockHolder(other, key);
      expect(h).toMatchObject({ applicationName: 'the-holder', user: 'postgres' });
      expect(await lockHolder(other, '12345')).toBeNull();
    } finally {
      await holder.end();
      await other.end();
    }
  });
});

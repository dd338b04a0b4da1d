import { expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';

it('uses the real database and then fails on purpose', async () => {
  const url = await freshDatabase('meta_fails');
  expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
  expect(1).toBe(2);
});

import { expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';

it('uses the real database and passes', async () => {
  const url = await freshDatabase('meta_passes');
  expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
});

import { it } from 'vitest';
// @ts-expect-error: the module does not exist, so the file fails to load
import { nothing } from './no-such-module.js';

it('never runs', () => {
  void nothing;
});

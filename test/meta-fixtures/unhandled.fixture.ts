import { it } from 'vitest';

it('passes, but leaves an unhandled rejection behind', () => {
  void Promise.reject(new Error('unhandled on purpose'));
});

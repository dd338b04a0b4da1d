import { inject } from 'vitest';
export { ladderIn } from '../helpers/in-process.js';

/** The test server itself as --scratch: Ladder creates and drops its own databases there. */
export const scratchArgs = (): string[] => ['--scratch', inject('adminUrl')];

// Inlined by the bundler: no file read at start-up, and the same value wherever the code runs from.
import pkg from '../package.json' with { type: 'json' };

export const LADDER_VERSION: string = pkg.version;

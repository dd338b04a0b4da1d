// Imports b.ts, which imports this file back: the cycle test/meta/layers.test.ts expects to be caught.
import { b } from './b.js';
export const a = (): string => `a${b()}`;

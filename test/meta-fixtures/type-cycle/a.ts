// Only types flow between a.ts and b.ts, in both directions: still a cycle for the import graph check.
import type { B } from './b.js';
export interface A { b?: B }

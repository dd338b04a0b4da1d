import { describe, expect, it } from 'vitest';
import { goDuration } from '../../src/headless/go-duration.js';

describe("Go's time.Duration.String", () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1_500n, '1.5µs'],
    [12_300_000n, '12.3ms'],
    [12_345_678n, '12.345678ms'],
    [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'],
    [61_000_000_000n, '1m1s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [-2_000_000n, '-2ms'],
  ])('%s ns -> %s', (ns, text) => {
    expect(goDuration(ns)).toBe(text);
  });
});

import { expect, it } from 'vitest';
import { isMigrationName, parseMigrationName } from '../../src/formats/golang-migrate/parse-name.js';

// The contract's regex (golang-migrate's source.Regex) and ParseUint, as the reference the hand-written
// matcher must equal on every name.
const PATTERN = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/s;
function reference(file: string) {
  const m = PATTERN.exec(file);
  if (!m) return null;
  const digits = m[1]!.replace(/^0+(?=\d)/, '');
  if (BigInt(digits) > 18446744073709551615n) return null;
  return { version: digits, name: m[2], direction: m[3], ext: m[4] };
}

it('matches file names exactly as the contract regex does (generated names from the pattern\'s pieces)', () => {
  const pieces = ['0', '1', '9', '00', '_', '.', 'up', 'down', '.up.', '.down.', 'sql', 'x', '\n', 'é'];
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 40_000; i++) {
    let file = i % 97 === 0 ? '1844674407370955161'.slice(0, 17 + (i % 4)) : '';
    const n = 1 + Math.floor(next() * 9);
    for (let j = 0; j < n; j++) file += pieces[Math.floor(next() * pieces.length)];
    const want = reference(file);
    expect(parseMigrationName(file), file).toEqual(want);
    expect(isMigrationName(file), file).toBe(want !== null);
  }
});

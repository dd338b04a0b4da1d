import { LadderError } from '../../errors.js';
import { parsePlainName } from './parse-name.js';

/**
 * The next numbered file, as these projects name them by hand: the highest number + 1, padded to the
 * width the folder uses (3 digits in an empty folder), and its rollback script beside it.
 */
export function plainNewFiles(name: string, existing: string[]): { name: string; contents: string }[] {
  if (name.includes('/') || name.includes('\0')) throw new LadderError(`migration name ${JSON.stringify(name)} contains "/" or NUL`, 'Use plain words such as "add user indexes".');
  let max = 0;
  let width = 3;
  for (const f of existing) {
    if (f.includes('/')) continue;
    const parsed = parsePlainName(f);
    if (parsed.kind !== 'up') continue;
    max = Math.max(max, parsed.version);
    width = Math.max(width, /^[0-9]+/.exec(f)![0].length);
  }
  const number = String(max + 1).padStart(width, '0');
  const stem = name.trim().replaceAll(' ', '_');
  return [
    { name: `${number}_${stem}.sql`, contents: `-- ${name}\n` },
    { name: `${number}_rollback_${stem}.sql`, contents: `-- undoes ${number}_${stem}.sql\n` },
  ];
}

import { LadderError } from '../../errors.js';
import type { NewMigrationOptions } from '../driver.js';

/** golang-migrate's `create`: an empty up/down pair named <version>_<name>.{up,down}.<ext>. */
export function golangMigrateNewFiles(name: string, o: NewMigrationOptions): { name: string; contents: string }[] {
  const ext = '.' + (o.ext ?? 'sql').replace(/^\./, '');
  const version = o.sequential ? nextSequence(o.existing.filter((f) => f.endsWith(ext)).sort(), o.digits ?? 6) : timeVersion(o.now, o.timeFormat ?? '20060102150405', o.tz ?? 'UTC');
  if (o.existing.some((f) => f.startsWith(`${version}_`) && f.endsWith(ext))) throw new LadderError(`duplicate migration version: ${version}`, 'Wait a second (timestamps) or use -seq.');
  return ['up', 'down'].map((direction) => ({ name: `${version}_${name}.${direction}${ext}`, contents: '' }));
}

export function nextSequence(sortedMatches: string[], digits: number): string {
  let next = 1n;
  const last = sortedMatches[sortedMatches.length - 1];
  if (last) {
    const idx = last.indexOf('_');
    if (idx < 1 || !/^\d+$/.test(last.slice(0, idx))) throw new LadderError(`malformed migration filename: ${last}`);
    next = BigInt(last.slice(0, idx)) + 1n;
  }
  const version = String(next).padStart(digits, '0');
  if (version.length > digits) throw new LadderError(`next sequence number ${version} too large, at most ${digits} digits are allowed`);
  return version;
}

/** Formats a time with a Go layout ("20060102150405"), or as unix / unixNano. */
export function timeVersion(now: Date, layout: string, tz: string): string {
  if (layout === '') throw new LadderError('time format may not be empty');
  if (layout === 'unix') return String(Math.floor(now.getTime() / 1000));
  if (layout === 'unixNano') return `${now.getTime()}000000`;
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(now)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    throw new LadderError(`unknown time zone ${tz}`, 'Use an IANA name such as UTC or Europe/Berlin.');
  }
  const ms = String(now.getMilliseconds()).padStart(3, '0');
  const tokens: [string, string][] = [
    ['2006', parts.year!],
    ['.000', `.${ms}`],
    ['01', parts.month!],
    ['02', parts.day!],
    ['15', parts.hour!],
    ['04', parts.minute!],
    ['05', parts.second!],
    ['06', parts.year!.slice(2)],
  ];
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const hit = tokens.find(([t]) => layout.startsWith(t, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += layout[i++];
  }
  return out;
}

import type { StatusRow } from '../engine/status.js';

/** Indexes of the rows whose version or name contains the filter text (case-insensitive); all rows for an empty filter. */
export function filterRows(rows: readonly StatusRow[], filter: string): number[] {
  const f = filter.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (f === '' || matches(rows[i]!, f)) out.push(i);
  }
  return out;
}

function matches(row: StatusRow, f: string): boolean {
  return String(row.version).includes(f) || row.name.toLowerCase().includes(f);
}

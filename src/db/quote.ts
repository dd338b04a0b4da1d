/** PostgreSQL identifier quoting, as lib/pq's QuoteIdentifier does (cut at NUL, double the quotes). */
export function quoteIdent(name: string): string {
  const nul = name.indexOf('\0');
  const clean = nul >= 0 ? name.slice(0, nul) : name;
  return `"${clean.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

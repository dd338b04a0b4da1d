import { build } from 'esbuild';
import { options } from '../esbuild.config.mjs';
await build({ ...options, entryPoints: { project: 'src/engine/project.ts', url: 'src/db/url.ts', status: 'src/headless/status.ts', detect: 'src/formats/detect.ts', gm: 'src/formats/golang-migrate/source.ts' }, outdir: 'node_modules/.cache/ph', sourcemap: false });

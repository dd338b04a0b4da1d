import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { importCycles } from './import-graph.js';

/** The lint rules that keep the layers one-way and the imports free of cycles fire on a violation, not on allowed code. */
const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

/** Lints `file` importing each of `targets` (paths under src/); returns how many imports were refused, per target. */
async function refusedImports(file: string, targets: string[]): Promise<Record<string, number>> {
  const depth = file.split('/').length - 2;
  const up = '../'.repeat(depth);
  const out: Record<string, number> = {};
  for (const target of targets) out[target] = (await restricted(file, `import { a } from '${up}${target}.js';\nexport const b = a;\n`)).length;
  return out;
}

const ones = (targets: string[]) => Object.fromEntries(targets.map((t) => [t, 1]));
const zeros = (targets: string[]) => Object.fromEntries(targets.map((t) => [t, 0]));

describe('layers one way', () => {
  it('db/ is the bottom: it imports no other folder of src/', async () => {
    const above = ['formats/types', 'engine/plan', 'cli/io', 'headless/status', 'tui/app'];
    expect(await refusedImports('src/db/x.ts', above)).toEqual(ones(above));
    expect(await refusedImports('src/db/x.ts', ['db/quote', 'errors'])).toEqual(zeros(['db/quote', 'errors']));
  });

  it('formats/ may import db/ but not engine/, cli/, headless/ or tui/', async () => {
    const above = ['engine/plan', 'cli/io', 'headless/status', 'tui/app'];
    expect(await refusedImports('src/formats/dbmate/x.ts', above)).toEqual(ones(above));
    expect(await refusedImports('src/formats/dbmate/x.ts', ['formats/types', 'db/quote'])).toEqual(zeros(['formats/types', 'db/quote']));
  });

  it('engine/ never imports cli/, headless/ or tui/', async () => {
    const above = ['cli/io', 'headless/status', 'tui/app'];
    expect(await refusedImports('src/engine/x.ts', above)).toEqual(ones(above));
    expect(await refusedImports('src/engine/x.ts', ['formats/types', 'db/quote'])).toEqual(zeros(['formats/types', 'db/quote']));
  });

  it('headless/ never imports cli/ or tui/; tui/ never imports cli/ or headless/', async () => {
    expect(await refusedImports('src/headless/x.ts', ['cli/io', 'tui/app'])).toEqual(ones(['cli/io', 'tui/app']));
    expect(await refusedImports('src/headless/x.ts', ['engine/plan', 'headless/io'])).toEqual(zeros(['engine/plan', 'headless/io']));
    expect(await refusedImports('src/tui/controller/x.ts', ['cli/io', 'headless/go-duration'])).toEqual(ones(['cli/io', 'headless/go-duration']));
    expect(await refusedImports('src/tui/controller/x.ts', ['engine/run', 'db/session'])).toEqual(zeros(['engine/run', 'db/session']));
  });

  it('cli/ may import every layer; the files at the top of src/ import none', async () => {
    const all = ['headless/status', 'tui/app', 'engine/plan', 'formats/types', 'db/quote'];
    expect(await refusedImports('src/cli/x.ts', all)).toEqual(zeros(all));
    expect(await refusedImports('src/x.ts', all)).toEqual(ones(all));
  });

  it('TUI components never import db/ or headless/, and engine/ only for types', async () => {
    expect(await restricted('src/tui/components/x.tsx', `import { a } from '../../db/quote.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/tui/components/x.tsx', `import { a } from '../../headless/status.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/tui/components/x.tsx', `import { a } from '../../engine/run.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/tui/components/x.tsx', `import type { A } from '../../engine/run.js';\nexport type B = A;\n`)).toEqual([]);
  });
});

describe('no import cycles', () => {
  it('the linter refuses a cycle of runtime imports', async () => {
    const linter = new ESLint({ cwd: ROOT, ignore: false });
    const results = await linter.lintFiles(['test/meta-fixtures/cycle/a.ts']);
    expect(results[0]!.messages.map((m) => m.ruleId)).toEqual(['import-x/no-cycle']);
  });

  it('the import graph check finds a cycle of type-only imports (which the linter skips)', () => {
    expect(importCycles(resolve(ROOT, 'test/meta-fixtures/type-cycle'), ROOT)).toEqual([['test/meta-fixtures/type-cycle/a.ts', 'test/meta-fixtures/type-cycle/b.ts']]);
    expect(importCycles(resolve(ROOT, 'test/meta-fixtures/cycle'), ROOT)).toHaveLength(1);
  });

  it('src/ has none, type-only imports included', () => {
    expect(importCycles(resolve(ROOT, 'src'), ROOT)).toEqual([]);
  });
});

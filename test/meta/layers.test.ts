import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

/** The lint rule that keeps the layers one-way fires on an upward import and not on an allowed one. */
const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(import.meta.dirname, '../..', file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layers one way', () => {
  it('formats/ may not import engine/, cli/, headless/ or tui/', async () => {
    for (const target of ['engine/plan', 'cli/io', 'headless/status', 'tui/app']) {
      expect(await restricted('src/formats/dbmate/x.ts', `import { a } from '../../${target}.js';\nexport const b = a;\n`)).toHaveLength(1);
    }
    expect(await restricted('src/formats/dbmate/x.ts', `import { a } from '../types.js';\nexport const b = a;\n`)).toEqual([]);
  });

  it('TUI components never import db/, and engine/ only for types', async () => {
    expect(await restricted('src/tui/components/x.tsx', `import { a } from '../../db/quote.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/tui/components/x.tsx', `import { a } from '../../engine/run.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/tui/components/x.tsx', `import type { A } from '../../engine/run.js';\nexport type B = A;\n`)).toEqual([]);
  });

  it('engine/ and db/ never import the layers above them', async () => {
    expect(await restricted('src/engine/x.ts', `import { a } from '../tui/app.js';\nexport const b = a;\n`)).toHaveLength(1);
    expect(await restricted('src/db/x.ts', `import { a } from '../engine/plan.js';\nexport const b = a;\n`)).toHaveLength(1);
  });
});

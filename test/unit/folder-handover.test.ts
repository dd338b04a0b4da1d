import { describe, expect, it } from 'vitest';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFolderOnce, readFolder } from '../../src/formats/folder.js';

const WHAT = { tool: 'golang-migrate', files: '.up.sql files' };
const names = async (dir: string) => (await readFolder(dir, WHAT)).entries.map((e) => e.name).sort();

describe('the listing detection hands to the source', () => {
  it('is used once while the folder is unchanged, and never after files came or went', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-handover-'));
    writeFileSync(join(dir, '1_a.up.sql'), '');
    await listFolderOnce(dir);
    expect(await names(dir)).toEqual(['1_a.up.sql']);

    // A listing nobody took (an open that failed after detection), then a file is added: the next read sees it.
    utimesSync(dir, new Date(2020, 0, 1), new Date(2020, 0, 1)); // so the new file's change of it cannot fall in the same timestamp tick
    await listFolderOnce(dir);
    writeFileSync(join(dir, '2_b.up.sql'), '');
    expect(await names(dir)).toEqual(['1_a.up.sql', '2_b.up.sql']);
  });
});

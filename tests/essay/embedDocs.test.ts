import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributeTable } from '../../src/essay/embed/embedDocs.ts';
import { STATE_FIELDS, VIEW_PARAMS } from '../../src/state/urlState.ts';

describe("README's embed section", () => {
  it('lists every attribute of <wide-enough-panel>, as the state schema has them (regenerate with attributeTable())', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = attributeTable();
    for (const p of [...STATE_FIELDS.map((f) => f.param), ...VIEW_PARAMS]) expect(table).toContain(`| \`${p}\` |`);
    expect(readme, `README.md's "Embed a panel" table is stale; replace it with:\n\n${table}\n`).toContain(table);
  });
});

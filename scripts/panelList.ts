import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PanelListing {
  id: string;
  title: string;
}

/**
 * The panels of src/essay/panelRegistry.ts (ID and title), read from its source rather than
 * imported: the build runs in Node, where the figures' modules (d3, CSS) are not meant to load.
 * tests/build/panelList.test.ts holds this reading to the registry itself.
 */
export function panelList(root: string): PanelListing[] {
  const source = readFileSync(join(root, 'src/essay/panelRegistry.ts'), 'utf8');
  const entry = /^\s*(?:'([\w-]+)'|([\w]+))\s*:\s*\{\s*title:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/gm;
  const panels: PanelListing[] = [];
  for (const m of source.matchAll(entry)) {
    const title = (m[3] ?? m[4]).replace(/\\(.)/g, '$1');
    panels.push({ id: m[1] ?? m[2], title });
  }
  return panels;
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The architecture is the folders: imports run essay -> viz -> state -> train -> net, never back up,
 * and no module reaches itself through its imports. The Node entry points (cli, bench) sit beside
 * the page: they use train and net and never the page's layers.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

/** Higher imports lower. The page's stack, then the Node side. */
const LAYER_RANK: Record<string, number> = { net: 0, train: 1, state: 2, viz: 3, essay: 4 };
const NODE_SIDE: Record<string, readonly string[]> = {
  bench: ['bench', 'train', 'net'],
  cli: ['cli', 'bench', 'train', 'net'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

/** Every relative import of a file (static, dynamic, type-only and re-exports), resolved to a path. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const spec = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(spec)) {
    const s = m[1] ?? m[2] ?? m[3];
    if (/\.ts$/.test(s)) out.push(resolve(dirname(file), s));
  }
  return out;
}

function layerOf(file: string): string {
  return relative(src, file).split('/')[0];
}

/** Edges that break the layer order, as "from -> to" lines. */
export function layerViolations(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    const a = layerOf(from);
    for (const to of tos) {
      const b = layerOf(to);
      const allowed = a in NODE_SIDE ? NODE_SIDE[a].includes(b) : a in LAYER_RANK && b in LAYER_RANK && LAYER_RANK[b] <= LAYER_RANK[a];
      if (!allowed) bad.push(`${relative(root, from)} -> ${relative(root, to)}`);
    }
  }
  return bad;
}

/** The strongly connected components of more than one file (Tarjan), each a cycle to report. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(relative(root, w));
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

function srcGraph(): Map<string, string[]> {
  return new Map(sourceFiles(src).map((f) => [f, importsOf(f, readFileSync(f, 'utf8'))]));
}

describe('import graph of src', () => {
  it('has no import against the layer order essay -> viz -> state -> train -> net (cli and bench use train and net)', () => {
    expect(layerViolations(srcGraph())).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(srcGraph())).toEqual([]);
  });

  it('keeps src/net free of the DOM and tfjs', () => {
    const offenders = sourceFiles(join(src, 'net')).filter((f) => /@tensorflow|\bdocument\.|\bwindow\./.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('catches an upward import and a cycle when there is one (the checks can fail)', () => {
    const f = (p: string) => join(src, p);
    const graph = new Map<string, string[]>([
      [f('net/a.ts'), [f('viz/b.ts')]],
      [f('viz/b.ts'), [f('net/a.ts')]],
      [f('cli/c.ts'), [f('viz/b.ts')]],
    ]);
    expect(layerViolations(graph)).toEqual(['src/net/a.ts -> src/viz/b.ts', 'src/cli/c.ts -> src/viz/b.ts']);
    expect(cycles(graph)).toEqual([['src/net/a.ts', 'src/viz/b.ts']]);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "import './d.ts';",
      "const e = await import('./e.ts');",
      "import x from 'd3';",
    ].join('\n');
    const got = importsOf(join(src, 'viz/x.ts'), text).map((p) => relative(src, p));
    expect(got.sort()).toEqual(['b.ts', 'viz/a.ts', 'viz/c.ts', 'viz/d.ts', 'viz/e.ts']);
  });
});

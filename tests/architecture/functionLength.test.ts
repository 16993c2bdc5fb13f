import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

/**
 * Figure controllers and panels stay readable: no function in src/essay or src/viz runs over
 * MAX_FUNCTION_LINES lines (a function's lines include the functions nested in it).
 */
const MAX_FUNCTION_LINES = 150;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Every function of a TypeScript source with its first line and its length in lines. */
export function functionLengths(text: string): { line: number; lines: number; name: string }[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const found: { line: number; lines: number; name: string }[] = [];
  const visit = (node: unknown, name: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, name);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    let here = name;
    if (n.type === 'VariableDeclarator' || n.type === 'MethodDefinition' || n.type === 'Property' || n.type === 'PropertyDefinition') {
      const key = (n.id ?? n.key) as { name?: string } | undefined;
      if (key?.name) here = key.name;
    }
    if (typeof n.type === 'string' && FUNCTION_TYPES.has(n.type)) {
      const id = n.id as { name?: string } | null | undefined;
      const line = lineOf(n.start);
      found.push({ line, lines: lineOf(n.end) - line + 1, name: id?.name ?? here ?? '(anonymous)' });
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') visit(v, here);
  };
  visit(parseAst(text, { lang: 'ts' }), '');
  return found;
}

describe('function length in src/essay and src/viz', () => {
  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const dir of ['src/essay', 'src/viz'])
      for (const f of sourceFiles(join(root, dir)))
        for (const fn of functionLengths(readFileSync(f, 'utf8')))
          if (fn.lines > MAX_FUNCTION_LINES) long.push(`${relative(root, f)}:${fn.line} ${fn.name} (${fn.lines} lines)`);
    expect(long).toEqual([]);
  });

  it('measures declarations, arrows and methods, nested ones inside their outer function (the check can fail)', () => {
    const body = Array.from({ length: 149 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = [
      `export function outer(): void {`,
      body,
      `}`,
      `const arrow = (x: number): number => {`,
      `  const inner = function (): number { return x; };`,
      `  return inner();`,
      `};`,
      `class K { method(): number { return 1; } }`,
    ].join('\n');
    const got = functionLengths(text).map((f) => `${f.name}:${f.lines}`);
    expect(got).toEqual(['outer:151', 'arrow:4', 'inner:1', 'method:1']);
  });
});

import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/viz/figureExport.ts';

describe('wrapText: a caption wrapped to the picture', () => {
  const measure = (s: string) => s.length * 10; // 10 px a character

  it('keeps every word, in order, on lines no wider than asked (a longer word alone on its line)', () => {
    const text = 'the loss falls by a factor each step while the kernel barely moves incomprehensibilities';
    const lines = wrapText(text, 200, measure);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(measure(l) <= 200 || !l.includes(' ')).toBe(true);
    expect(lines).toContain('incomprehensibilities');
    // greedy: no line could have taken the next line's first word
    for (let i = 0; i + 1 < lines.length; i++) expect(measure(`${lines[i]} ${lines[i + 1].split(' ')[0]}`)).toBeGreaterThan(200);
  });

  it('gives no lines for empty text and collapses runs of spaces', () => {
    expect(wrapText('', 100, measure)).toEqual([]);
    expect(wrapText('  a   b  ', 100, measure)).toEqual(['a b']);
  });
});

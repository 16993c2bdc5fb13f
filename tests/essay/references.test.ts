import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The essay's citations and references (index.html): every citation's number is its reference's place
 * in the list, numbered by first appearance; every reference is cited, has an address, and links back
 * to each place that cites it; the contents link to sections that exist.
 */
const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');

const cites = [...html.matchAll(/<a class="cite" href="#ref-([a-z0-9-]+)" id="([^"]+)">\[(\d+)\]<\/a>/g)].map((m) => ({ key: m[1], id: m[2], n: Number(m[3]) }));
const list = html.slice(html.indexOf('<ol class="references">'), html.indexOf('</ol>', html.indexOf('<ol class="references">')));
const refs = [...list.matchAll(/<li id="ref-([a-z0-9-]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ key: m[1], body: m[2] }));

describe('citations and references', () => {
  it('every citation in the text has an id and a number (no other form of citation)', () => {
    expect(cites.length).toBeGreaterThan(10);
    expect((html.match(/class="cite"/g) ?? []).length).toBe(cites.length);
    expect(new Set(cites.map((c) => c.id)).size).toBe(cites.length);
  });

  it("numbers references by first appearance, and each citation's number is its reference's place in the list", () => {
    const firsts: string[] = [];
    for (const c of cites) if (!firsts.includes(c.key)) firsts.push(c.key);
    expect(refs.map((r) => r.key)).toEqual(firsts);
    for (const c of cites) expect(c.n, `${c.id} cites ref-${c.key}`).toBe(refs.findIndex((r) => r.key === c.key) + 1);
  });

  it('gives every reference an address and links it back to every place that cites it', () => {
    for (const r of refs) {
      expect(r.body, r.key).toMatch(/<a href="https:\/\/[^"]+">/);
      const back = [...r.body.matchAll(/<a href="#(cite-[^"]+)">/g)].map((m) => m[1]);
      expect(back, r.key).toEqual(cites.filter((c) => c.key === r.key).map((c) => c.id));
    }
  });

  it('links the contents to sections that exist, each once', () => {
    const toc = html.slice(html.indexOf('<nav class="toc"'), html.indexOf('</nav>'));
    const targets = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(10);
    for (const t of targets) expect(html, t).toContain(`<section id="${t}">`);
    expect(new Set(targets).size).toBe(targets.length);
  });
});

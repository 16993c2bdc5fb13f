import { afterAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveStatic, type BrowserSession, type StaticServer } from './harness.ts';
import { figure } from './panel.ts';

/**
 * The essay under a strict Content-Security-Policy: no inline styles or scripts, no data: fonts,
 * no blob: workers, no WebAssembly compilation ('wasm-unsafe-eval' is absent). The math must keep
 * its positioning, nothing may be refused, and the figure must still train
 * (on the TypeScript kernels, the worker's fallback where wasm is refused).
 */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; img-src 'self' data: blob:; font-src 'self'";

/**
 * KaTeX positions glyphs with style attributes; the build turns each into a class (kx-...) with a
 * rule in the page's stylesheet. Counts the positioned elements, those whose class has no rule, and
 * the struts (which give each line of math its height) that came out with no height.
 */
async function mathPositioning(b: BrowserSession, url: string): Promise<{ positioned: number; withoutRule: number; flatStruts: number; struts: number }> {
  await b.page.goto(url);
  await b.page.evaluate(() => document.fonts.ready);
  return b.page.evaluate(() => {
    const rules = new Set<string>();
    for (const sheet of Array.from(document.styleSheets))
      for (const rule of Array.from(sheet.cssRules)) if (rule instanceof CSSStyleRule && /^\.kx-/.test(rule.selectorText)) rules.add(rule.selectorText.slice(1));
    let positioned = 0;
    let withoutRule = 0;
    for (const el of Array.from(document.querySelectorAll('.katex [class*="kx-"]'))) {
      positioned++;
      const cls = Array.from(el.classList).find((c) => c.startsWith('kx-'))!;
      if (!rules.has(cls)) withoutRule++;
    }
    const struts = Array.from(document.querySelectorAll<HTMLElement>('.katex .katex-strut'));
    return { positioned, withoutRule, flatStruts: struts.filter((s) => s.getBoundingClientRect().height === 0).length, struts: struts.length };
  });
}

describe('the essay under a strict Content-Security-Policy', () => {
  const baseUrl = inject('baseUrl');
  const siteDir = inject('siteDir');
  let strict: StaticServer | undefined;
  let session: BrowserSession | undefined;

  afterAll(async () => {
    await session?.close();
    await strict?.close();
  });

  it('logs no violation, keeps the math positioned, requests nothing off-site and trains', async () => {
    strict = await serveStatic(siteDir, { headers: { 'content-security-policy': STRICT_CSP } });
    session = await launchBrowser(strict.url, { width: 1280, height: 900 }, { allowOrigins: [baseUrl] });
    const b = session;
    await b.context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });

    const math = await mathPositioning(b, strict.url);
    expect(math.positioned).toBeGreaterThan(500);
    expect(math.struts).toBeGreaterThan(100);
    expect(math).toMatchObject({ withoutRule: 0, flatStruts: 0 });
    expect(await b.page.locator('.katex [style]').count()).toBe(0); // no style attribute is left in the math

    // a long run, so it is still training when the status is read: it names the kernels it is on
    await b.page.goto(`${strict.url}?width=512&lrscale=0.01&steps=1000000`);
    const fig = figure(b.page);
    await fig.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await fig.getAttribute('data-step')), { timeout: 90_000, interval: 500 }).toBeGreaterThan(10);
    expect(await fig.getByTestId('run-status').textContent()).toMatch(/on the TypeScript kernels, as this page does not allow WebAssembly/);
    const violations = await b.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(violations).toEqual([]);
    expect(b.offsite).toEqual([]);
    expect(b.problems().filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
  });
});

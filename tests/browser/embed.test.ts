import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, serveStatic, type BrowserSession, type StaticServer } from './harness.ts';

/**
 * Embedding (issue 7): a host page on another origin (a second server on another port) loads the
 * library build (embed/ of the site's server) and embed.html from the site's origin. The host's
 * CSS is hostile (* { all: revert; font-size: 40px }); one host page is served with a CSP of
 * script-src 'self' <library origin>.
 */

interface PanelReading {
  loss0: number;
  loss: number;
  status: string;
  width: number; // the element's box
  height: number;
  thumb: { width: number; height: number } | null;
  fontPx: number; // the run status text's computed size
  notices: string[];
}

/** Reads the panel of the `index`-th <wide-enough-panel> in a document (page or frame). */
async function readPanel(where: Page | Frame, index: number): Promise<PanelReading> {
  return where.evaluate((i) => {
    const el = document.querySelectorAll('wide-enough-panel')[i] as HTMLElement;
    const root = el.shadowRoot!;
    const fig = root.querySelector('figure') as HTMLElement | null;
    const box = el.getBoundingClientRect();
    const thumb = root.querySelector('.log-slider-thumb')?.getBoundingClientRect();
    const status = root.querySelector('.wc-status');
    return {
      loss0: Number(fig?.dataset.loss0 || NaN),
      loss: Number(fig?.dataset.loss || NaN),
      status: fig?.dataset.status ?? '',
      width: box.width,
      height: box.height,
      thumb: thumb ? { width: thumb.width, height: thumb.height } : null,
      fontPx: status ? parseFloat(getComputedStyle(status).fontSize) : NaN,
      notices: [...root.querySelectorAll('.notices li')].map((li) => li.textContent ?? ''),
    };
  }, index);
}

/** Waits until the panel's loss has fallen `factor`-fold from where its run started. */
async function waitForFall(where: Page | Frame, index: number, factor: number): Promise<PanelReading> {
  await where.waitForFunction(
    ({ i, factor }) => {
      const el = document.querySelectorAll('wide-enough-panel')[i];
      const d = (el?.shadowRoot?.querySelector('figure') as HTMLElement | null)?.dataset;
      return !!d && !!d.loss0 && !!d.loss && Number(d.loss) <= Number(d.loss0) / factor;
    },
    { i: index, factor },
    { timeout: 30_000 },
  );
  return readPanel(where, index);
}

describe('embedding a panel on another origin', () => {
  const site = inject('baseUrl'); // the library's origin: the site, with embed/ and embed.html
  let host: StaticServer;
  let hostDir: string;
  let b: BrowserSession;

  beforeAll(async () => {
    hostDir = await mkdtemp(join(tmpdir(), 'wide-enough-host-'));
    const lib = new URL('embed/wide-enough-panel.js', site).href;
    const small = 'n="8" d="8" depth="2"';
    await writeFile(join(hostDir, 'hostile.css'), '* { all: revert; font-size: 40px; }\n');
    await writeFile(
      join(hostDir, 'host.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A blog</title>
<link rel="stylesheet" href="hostile.css">
<script type="module" src="${lib}"></script>
<script src="${new URL('wide-enough-host.js', site).href}" defer></script>
</head><body><h1>A post</h1>
<wide-enough-panel panel="width-convergence" width="128" ${small}></wide-enough-panel>
<p>Between the panels.</p>
<wide-enough-panel panel="width-convergence" width="512" ${small} hide="sweep,settings"></wide-enough-panel>
<iframe src="${new URL(`embed.html?panel=width-convergence&width=256&n=8&d=8`, site).href}" title="panel" style="border:0;width:100%;height:150px"></iframe>
</body></html>`,
    );
    await writeFile(
      join(hostDir, 'csp.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A strict blog</title>
<link rel="stylesheet" href="hostile.css">
<script type="module" src="${lib}"></script>
</head><body>
<wide-enough-panel panel="width-convergence" width="256" ${small}></wide-enough-panel>
<wide-enough-panel panel="width-convergence" width="lots" depth="99" labels="&lt;b&gt;bold&lt;/b&gt;" hide="slider,wings" autoplay="false"></wide-enough-panel>
<wide-enough-panel panel="no-such-panel"></wide-enough-panel>
</body></html>`,
    );
    host = await serveStatic(hostDir, {
      headers: (path): Record<string, string> => (path.endsWith('csp.html') ? { 'content-security-policy': `script-src 'self' ${new URL(site).origin}` } : {}),
    });
    // tall enough that every panel is on screen (panels train only while in view)
    b = await launchBrowser(host.url, { width: 1100, height: 3200 }, { allowOrigins: [site] });
  });

  afterAll(async () => {
    await b?.close();
    await host?.close();
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  it('two elements and an iframe on a page of another origin train and draw, sized sanely under hostile CSS; the iframe takes the height it reports', async () => {
    const { page } = b;
    await page.goto(new URL('host.html', host.url).href);
    const frameEl = page.locator('iframe');
    const frame = (await frameEl.elementHandle())!.contentFrame();
    const [a, c, f] = await Promise.all([waitForFall(page, 0, 100), waitForFall(page, 1, 100), frame.then((fr) => waitForFall(fr!, 0, 100))]);
    for (const p of [a, c, f]) {
      expect(p.loss).toBeLessThanOrEqual(p.loss0 / 100);
      expect(p.width).toBeGreaterThan(500);
      expect(p.height).toBeGreaterThan(250);
      expect(p.height).toBeLessThan(1500);
      expect(p.thumb!.width).toBeGreaterThan(8);
      expect(p.thumb!.height).toBeGreaterThan(8);
      expect(p.fontPx).toBeLessThan(20); // the host's 40px does not get in
      expect(p.notices).toEqual([]);
    }
    // the host's own text did get its 40px: the CSS was applied, to the host only
    expect(await page.locator('body > p').evaluate((el) => getComputedStyle(el).fontSize)).toBe('40px');
    // the iframe: its panel's height, from its message
    await expect
      .poll(async () => {
        const set = parseFloat(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height));
        const content = await (await frame)!.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        return Math.abs(set - content) <= 1 && set > 250 ? 'sized' : `${set} vs ${content}`;
      })
      .toBe('sized');
    // each element's runs train in workers: from this origin, blob: modules that import worker.js
    expect(page.workers().length).toBeGreaterThanOrEqual(2);
    expect(b.offsite).toEqual([]);
    expect(b.problems()).toEqual([]);
  });

  it("under a CSP of script-src 'self' and the library's origin: trains; bad attributes show notices and fall back; an unknown ID lists the IDs", async () => {
    const { page } = b;
    b.log.length = 0;
    await page.goto(new URL('csp.html', host.url).href);
    const p = await waitForFall(page, 0, 100);
    expect(p.fontPx).toBeLessThan(20);
    // the CSP refuses blob: workers (and wasm): the runs train in the page, on the TypeScript kernels
    expect(page.workers()).toEqual([]);
    const bad = await readPanel(page, 1);
    expect(bad.notices.join('\n')).toMatch(/width m: "lots" is not a number; using 256/);
    expect(bad.notices.join('\n')).toMatch(/depth L: 99 is above the largest allowed, 8; using 8/);
    expect(bad.notices.join('\n')).toMatch(/labels: "<b>bold<\/b>" is not one of/);
    expect(bad.notices.join('\n')).toMatch(/hide: "wings" is not a control/);
    expect(await page.evaluate(() => document.querySelectorAll('wide-enough-panel')[1].shadowRoot!.querySelectorAll('b').length)).toBe(0);
    const unknown = await readPanel(page, 2);
    expect(unknown.notices).toHaveLength(1);
    expect(unknown.notices[0]).toMatch(/There is no panel "no-such-panel"; the panels are: .*width-convergence/);
    expect(b.problems()).toEqual([]);
  });
});

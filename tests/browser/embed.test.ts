import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, REPO_ROOT, serveStatic, type BrowserSession, type StaticServer } from './harness.ts';

/**
 * Embedding: a host page on another origin (a second server on another port) loads the
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
    // a frame far below the fold: out of view, a cross-origin frame gets no rendering updates
    await writeFile(
      join(hostDir, 'below.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A long post</title>
<script src="${new URL('wide-enough-host.js', site).href}"></script></head><body>
<div style="height:6000px">A long post.</div>
<iframe src="${new URL(`embed.html?panel=width-convergence&width=64&n=8&d=8&autoplay=false`, site).href}" title="panel" style="border:0;width:100%;height:620px"></iframe>
</body></html>`,
    );
    // the host script arrives only after the iframe has loaded and said its height to no one
    await writeFile(
      join(hostDir, 'late.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A slow blog</title></head><body>
<iframe src="${new URL(`embed.html?panel=width-convergence&width=64&n=8&d=8&autoplay=false`, site).href}" title="panel" style="border:0;width:100%;height:150px"></iframe>
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
      headers: (path): Record<string, string> =>
        path.endsWith('csp.html')
          ? { 'content-security-policy': `script-src 'self' ${new URL(site).origin}` }
          : path.startsWith('/self/') // a blog that hosts the library itself, CSP on every file
            ? { 'content-security-policy': "script-src 'self'" }
            : {},
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
    // what the page downloads for the elements: module, chunks, worker (wasm inside), CSS inside the module
    const library: Promise<{ url: string; gzip: number }>[] = [];
    const onResponse = (r: import('playwright-core').Response) => {
      if (r.url().startsWith(new URL('embed/', site).href)) library.push(r.body().then((body) => ({ url: r.url(), gzip: gzipSync(body, { level: 9 }).length })));
    };
    b.context.on('response', onResponse);
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
    // a height message from anyone but that iframe's window and origin is ignored
    const before = await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height);
    await page.evaluate(() => window.postMessage({ type: 'wide-enough:height', height: 7 }, '*'));
    await page.waitForTimeout(100);
    expect(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height)).toBe(before);
    b.context.off('response', onResponse);
    const files = [...new Map((await Promise.all(library)).map((f) => [f.url, f])).values()];
    expect(files.some((f) => f.url.endsWith('/worker.js'))).toBe(true);
    const total = files.reduce((sum, f) => sum + f.gzip, 0);
    console.log(`embed download, gzip -9: ${(total / 1024).toFixed(1)} KiB in ${files.length} files (${files.map((f) => `${f.url.replace(/.*\/embed\//, '')} ${(f.gzip / 1024).toFixed(1)}`).join(', ')})`);
    // each element's runs train in workers: from this origin, blob: modules that import worker.js
    expect(page.workers().length).toBeGreaterThanOrEqual(2);
    expect(b.offsite).toEqual([]);
    expect(b.problems()).toEqual([]);
  });

  it('sizes a frame far below the fold to its panel, never to the page before the panel has loaded', async () => {
    const { page } = b;
    b.log.length = 0;
    const heights: string[] = [];
    await page.exposeFunction('noteHeight', (h: string) => heights.push(h));
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const f = document.querySelector('iframe');
        if (f) new MutationObserver(() => (window as unknown as { noteHeight(h: string): void }).noteHeight(f.style.height)).observe(f, { attributes: true, attributeFilter: ['style'] });
      });
    });
    await page.goto(new URL('below.html', host.url).href);
    const frameEl = page.locator('iframe');
    const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
    await expect
      .poll(async () => {
        const set = parseFloat(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height));
        const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        return Math.abs(set - content) <= 1 && set > 250 ? 'sized' : `${set} vs ${content}`;
      }, { timeout: 60_000 })
      .toBe('sized');
    // every height it was given was the panel's, never the few pixels of the page before the panel's code arrived
    expect(heights.every((h) => parseFloat(h) > 250), heights.join(', ')).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(b.problems()).toEqual([]);
  });

  it('sizes an iframe that reported its height before the host script ran: the script asks again', async () => {
    const { page } = b;
    b.log.length = 0;
    await page.goto(new URL('late.html', host.url).href);
    const frameEl = page.locator('iframe');
    const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
    await frame.waitForFunction(() => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure') != null);
    await page.waitForTimeout(500); // its first reports went to a page that was not listening
    expect(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height)).toBe('150px');
    await page.addScriptTag({ url: new URL('wide-enough-host.js', site).href });
    await expect
      .poll(async () => {
        const set = parseFloat(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height));
        const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        return Math.abs(set - content) <= 1 && set > 250 ? 'sized' : `${set} vs ${content}`;
      })
      .toBe('sized');
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
    // a changed attribute remounts the panel with the new state
    await page.evaluate(() => document.querySelectorAll('wide-enough-panel')[0].setAttribute('width', '64'));
    await page.waitForFunction(() => {
      const d = (document.querySelector('wide-enough-panel')!.shadowRoot!.querySelector('figure') as HTMLElement).dataset;
      return d.width === '64' && Number(d.loss) <= Number(d.loss0) / 100;
    });
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

  it('every panel of the registry mounts as an element (the IDs from the unknown-ID notice), and README lists them', async () => {
    const { page } = b;
    b.log.length = 0;
    await page.goto(new URL('host.html', host.url).href);
    const ids = await page.evaluate(async () => {
      const probe = document.createElement('wide-enough-panel');
      probe.setAttribute('panel', 'which?');
      document.body.replaceChildren(probe);
      await customElements.whenDefined('wide-enough-panel');
      await new Promise((ok) => setTimeout(ok, 50));
      const note = probe.shadowRoot!.querySelector('.notices li')!.textContent!;
      return note.replace(/.*the panels are: /, '').replace(/\.$/, '').split(', ');
    });
    expect(ids).toContain('width-convergence');
    await page.evaluate((ids) => {
      document.body.replaceChildren();
      for (const id of ids) {
        const el = document.createElement('wide-enough-panel');
        el.setAttribute('panel', id);
        el.setAttribute('autoplay', 'false');
        document.body.append(el);
      }
    }, ids);
    await page.waitForFunction(
      (n) => {
        const els = [...document.querySelectorAll('wide-enough-panel')];
        return els.length === n && els.every((el) => el.shadowRoot?.querySelector('figure svg, figure canvas') && el.getBoundingClientRect().height > 150);
      },
      ids.length,
      { timeout: 20_000 },
    );
    const notices = await page.evaluate(() => [...document.querySelectorAll('wide-enough-panel')].flatMap((el) => [...el.shadowRoot!.querySelectorAll('.notices li')].map((li) => li.textContent)));
    expect(notices).toEqual([]);
    await page.waitForTimeout(500);
    expect(b.problems()).toEqual([]);
    // a panel's own choice as an attribute: the kernel panel opens at width 32; one off its list shows a notice
    const ntk = (attr: string | null) =>
      page.evaluate((v) => {
        const el = [...document.querySelectorAll('wide-enough-panel')].find((e) => e.getAttribute('panel') === 'ntk')!;
        if (v !== null) el.setAttribute('ntk-width', v);
        const root = el.shadowRoot!;
        return { pressed: root.querySelector('button[aria-pressed="true"]')?.textContent ?? null, notices: [...root.querySelectorAll('.notices li')].map((li) => li.textContent) };
      }, attr);
    await ntk('32');
    await expect.poll(async () => (await ntk(null)).pressed).toBe('32');
    await ntk('33');
    await expect.poll(async () => (await ntk(null)).notices).toEqual(['kernel panel width m: "33" is not one of 32, 128, 512, 2048; using 512']);
    await expect.poll(async () => (await ntk(null)).pressed).toBe('512'); // pressed on the remounted panel's first frame
    const titles = await page.evaluate(() => [...document.querySelectorAll('wide-enough-panel')].map((el) => el.shadowRoot!.querySelector('figure')!.getAttribute('aria-label')));
    const table = ['| panel | title |', '| --- | --- |', ...ids.map((id, i) => `| \`${id}\` | ${titles[i]} |`)].join('\n');
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Embed a panel'));
    expect(section, `README's "Embed a panel" list of panels is stale; replace it with:\n\n${table}\n`).toContain(`${table}\n\n`);
  });

  it("the essay's Embed button copies both snippets for the figure's state; the element snippet works on another origin; without a clipboard, a dialog shows them", async () => {
    const essay = await b.context.newPage();
    try {
      await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site).origin });
      await essay.goto(new URL('?width=128&n=8', site).href);
      // each figure gets its button when its panel mounts (as it nears the window; its code is a chunk of its own)
      const ids = await essay.locator('main figure[data-panel]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-panel')!));
      for (const id of ids) {
        await essay.locator(`figure[data-panel="${id}"]`).scrollIntoViewIfNeeded();
        await expect.poll(() => essay.locator(`figure[data-panel="${id}"] .embed-btn`).count(), { timeout: 60_000 }).toBe(1);
      }
      await essay.locator('figure[data-panel="width-convergence"]').scrollIntoViewIfNeeded();
      await essay.locator('figure[data-panel="width-convergence"] .embed-btn').click();
      await expect.poll(() => essay.locator('figure[data-panel="width-convergence"] .embed-status').textContent()).toMatch(/copied/);
      const text = await essay.evaluate(() => navigator.clipboard.readText());
      const iframe = text.match(/<iframe src="([^"]+)"/)![1].replace(/&amp;/g, '&');
      expect(new URL(iframe).pathname).toBe('/embed.html');
      expect(Object.fromEntries(new URL(iframe).searchParams)).toEqual({ panel: 'width-convergence', width: '128', n: '8' });
      expect(text).toContain(`<script src="${new URL('wide-enough-host.js', site).href}" defer></script>`);
      const element = text.match(/<script type="module"[^]*<\/wide-enough-panel>/)![0];
      expect(element).toContain('<wide-enough-panel panel="width-convergence" width="128" n="8"></wide-enough-panel>');

      // pasted into a page of another origin, the element snippet trains that state
      await writeFile(join(hostDir, 'pasted.html'), `<!doctype html><html><head><meta charset="utf-8"><title>Pasted</title></head><body>\n${element}\n</body></html>`);
      b.log.length = 0;
      await b.page.goto(new URL('pasted.html', host.url).href);
      await waitForFall(b.page, 0, 100);
      expect(await b.page.evaluate(() => (document.querySelector('wide-enough-panel')!.shadowRoot!.querySelector('figure') as HTMLElement).dataset.width)).toBe('128');
      expect(b.problems()).toEqual([]);

      // no clipboard: the dialog, with the text selected to copy by hand
      await essay.evaluate(() => {
        navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      });
      await essay.locator('figure[data-panel="width-convergence"] .embed-btn').click();
      const dialog = essay.locator('dialog.embed-dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.locator('textarea').inputValue()).toBe(text);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
    } finally {
      await essay.close();
    }
  });

  it("self-hosted under a CSP of script-src 'self' (on the page and the worker): a real worker trains, on the TypeScript kernels as wasm is refused", async () => {
    // the library's files: the module, worker.js, and every file they import, statically or dynamically (relative specifiers)
    const files = new Set<string>();
    const queue = ['wide-enough-panel.js', 'worker.js'].map((f) => new URL(`embed/${f}`, site).href);
    while (queue.length) {
      const url = queue.pop()!;
      if (files.has(url)) continue;
      files.add(url);
      const text = await (await fetch(url)).text();
      // static imports quote with ' or ", a panel's dynamic import (its own chunk) with a backtick
      for (const m of text.matchAll(/["'`](\.\.?\/[\w./-]+\.js)["'`]/g)) queue.push(new URL(m[1], url).href);
    }
    for (const url of files) {
      const file = join(hostDir, 'self', 'embed', new URL(url).pathname.replace(/^.*?\/embed\//, ''));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
    }
    await writeFile(
      join(hostDir, 'self', 'index.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>Self-hosted</title><script type="module" src="embed/wide-enough-panel.js"></script></head>
<body><wide-enough-panel panel="width-convergence" width="128" n="8"></wide-enough-panel></body></html>`,
    );
    b.log.length = 0;
    await b.page.goto(new URL('self/', host.url).href);
    await waitForFall(b.page, 0, 100);
    expect(b.page.workers().map((w) => new URL(w.url()).pathname)).toEqual(['/self/embed/worker.js']);
    expect(b.problems()).toEqual([]);
    // the worker's own CSP refuses wasm (so createWasmKernels gave it the TypeScript kernels)
    const empty = [0, 97, 115, 109, 1, 0, 0, 0]; // "\0asm", version 1: the smallest valid module
    const compiled = await b.page.workers()[0].evaluate((bytes) => WebAssembly.compile(new Uint8Array(bytes)).then(() => 'compiled', () => 'refused'), empty);
    expect(compiled).toBe('refused');
  });
});

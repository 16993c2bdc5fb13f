import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { embedSnippets } from '../../src/essay/embed/embedSnippets.ts';
import { PANELS } from '../../src/essay/panelRegistry.ts';
import { DEFAULT_STATE } from '../../src/state/urlState.ts';
import { launchBrowser, REPO_ROOT, serveStatic, sinceNow, type BrowserSession, type StaticServer } from './harness.ts';

/**
 * Panels on real blog hosts: embed.html in an iframe with sandbox="allow-scripts" (how WordPress
 * frames a provider it does not trust: an opaque origin) on a page of another origin, sized by the
 * listeners such hosts run instead of wide-enough-host.js (pym.js, Embedly-style), and the static
 * oEmbed documents that turn a pasted link into such a frame.
 */

const site = inject('baseUrl');
const siteDir = inject('siteDir');
const SMALL = 'width=128&n=8&d=8&depth=2';

/** The width figure's dataset in the frame's panel. */
async function readFrame(frame: Frame): Promise<Record<string, string>> {
  return frame.evaluate(() => {
    const fig = document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure') as HTMLElement | null;
    return { ...(fig?.dataset ?? {}) } as Record<string, string>;
  });
}

/** Listeners written the way pym.js's parent and Embedly's (Medium's) embed script read their messages. */
const LISTENERS = `<script>
// pym.js parent: "pym" xPYMx id xPYMx "height" xPYMx value, for the frame it created with ?childId=id
window.addEventListener('message', function (e) {
  if (typeof e.data !== 'string' || e.data.indexOf('xPYMx') < 0) return;
  var parts = e.data.split('xPYMx');
  if (parts[0] !== 'pym' || parts[2] !== 'height') return;
  var frame = document.querySelector('#' + parts[1] + ' iframe');
  if (frame && frame.contentWindow === e.source) frame.style.height = parseInt(parts[3], 10) + 'px';
});
// Embedly-style: a JSON string {context: "iframe.resize", height}, for the frame that sent it
window.addEventListener('message', function (e) {
  var data;
  try { data = typeof e.data === 'string' ? JSON.parse(e.data) : null; } catch (err) { return; }
  if (!data || data.context !== 'iframe.resize') return;
  var frames = document.querySelectorAll('iframe.embedly');
  for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === e.source) frames[i].style.height = data.height + 'px';
});
// WordPress's wp-embed.js: {message: "height", value, secret} for the frame with that data-secret, kept in 200..1000
window.addEventListener('message', function (e) {
  var d = e.data;
  if (!d || d.message !== 'height' || /[^a-zA-Z0-9]/.test(d.secret)) return;
  var frame = document.querySelector('iframe[data-secret="' + d.secret + '"]');
  if (frame && frame.contentWindow === e.source) frame.height = Math.min(1000, Math.max(200, parseInt(d.value, 10)));
});
</script>`;

describe('panels on blog hosts: sandboxed frames, other hosts resize messages, oEmbed', () => {
  let host: StaticServer;
  let hostDir: string;
  let b: BrowserSession;

  beforeAll(async () => {
    hostDir = await mkdtemp(join(tmpdir(), 'wide-enough-blog-'));
    const embed = (q: string) => new URL(`embed.html?panel=width-convergence&${q}`, site).href;
    await writeFile(
      join(hostDir, 'wordpress.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A WordPress post</title></head><body><h1>A post</h1>
<iframe sandbox="allow-scripts" src="${embed(SMALL)}" title="panel" style="border:0;width:100%;height:150px"></iframe>
<iframe id="forged" sandbox="allow-scripts" src="data:text/html,&lt;script&gt;setInterval(() =&gt; parent.postMessage({type:'wide-enough:height',height:321},'*'), 50)&lt;/script&gt;/embed.html" title="forged" style="height:150px"></iframe>
<script src="${new URL('wide-enough-host.js', site).href}" defer></script>
</body></html>`,
    );
    await writeFile(
      join(hostDir, 'listeners.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>Other hosts</title>${LISTENERS}</head><body>
<div id="pymchild"><iframe sandbox="allow-scripts" src="${embed(`${SMALL}&autoplay=false&childId=pymchild`)}" title="pym" style="border:0;width:100%;height:150px"></iframe></div>
<iframe class="embedly" sandbox="allow-scripts" src="${embed(`${SMALL}&autoplay=false`)}" title="embedly" style="border:0;width:100%;height:150px"></iframe>
<iframe class="wp-embedded-content" sandbox="allow-scripts" security="restricted" src="${embed(`${SMALL}&autoplay=false`)}#?secret=q7Zx2Lm9Ab" data-secret="q7Zx2Lm9Ab" title="wordpress" width="600" height="150" style="border:0;width:100%"></iframe>
</body></html>`,
    );
    host = await serveStatic(hostDir);
    // tall enough that the frames are on screen (panels train only while in view)
    b = await launchBrowser(host.url, { width: 1100, height: 2400 }, { allowOrigins: [site] });
  });

  afterAll(async () => {
    await b?.close();
    await host?.close();
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  it('embed.html in <iframe sandbox="allow-scripts"> on another origin trains (the loss falls 100-fold) in a worker, with no console errors, and the host script sizes it', async () => {
    const since = sinceNow(b);
    const workers: string[] = [];
    const onWorker = (w: { url(): string }) => workers.push(w.url());
    b.page.on('worker', onWorker);
    await b.page.goto(new URL('wordpress.html', host.url).href);
    const frameEl = b.page.locator('iframe').first();
    const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
    expect(await frame.evaluate(() => self.origin)).toBe('null'); // the sandbox is real
    await frame.waitForFunction(
      () => {
        const d = (document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure') as HTMLElement | null)?.dataset;
        return !!d?.loss0 && !!d.loss && Number(d.loss) <= Number(d.loss0) / 100;
      },
      undefined,
      { timeout: 60_000 },
    );
    const d = await readFrame(frame);
    expect(Number(d.loss)).toBeLessThan(Number(d.loss0) / 100);
    // trained off the frame's thread: a blob: worker of the opaque origin
    expect(workers.some((u) => u.startsWith('blob:null/'))).toBe(true);
    await expect
      .poll(async () => {
        const set = parseFloat(await frameEl.evaluate((el: HTMLIFrameElement) => el.style.height));
        const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        return Math.abs(set - content) <= 1 && set > 250 ? 'sized' : `${set} vs ${content}`;
      })
      .toBe('sized');
    // a sandboxed data: frame also says "null", but it is no page of ours: never sized
    expect(await b.page.locator('#forged').evaluate((f: HTMLIFrameElement) => f.style.height)).toBe('150px');
    b.page.off('worker', onWorker);
    expect(since()).toEqual({ problems: [], offsite: [] });
  });

  it("a pym.js-style, an Embedly-style and a WordPress (wp-embed.js) listener each size their sandboxed iframe from its messages", async () => {
    const since = sinceNow(b);
    await b.page.goto(new URL('listeners.html', host.url).href);
    for (const sel of ['#pymchild iframe', 'iframe.embedly', 'iframe.wp-embedded-content']) {
      const frameEl = b.page.locator(sel);
      const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
      await frame.waitForFunction(() => !!document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure'));
      await expect
        .poll(async () => {
          const set = await frameEl.evaluate((el: HTMLIFrameElement) => el.getBoundingClientRect().height);
          const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
          return Math.abs(set - content) <= 1 && set > 250 ? 'sized' : `${sel}: ${set} vs ${content}`;
        })
        .toBe('sized');
    }
    expect(since()).toEqual({ problems: [], offsite: [] });
  });

  it('every panel has an oEmbed document (valid, type rich) whose frame is an existing embed.html of that panel, and a panels/ID.html whose discovery link names it', async () => {
    const ids = Object.keys(PANELS);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const jsonUrl = new URL(`oembed/${id}.json`, site).href;
      const res = await fetch(jsonUrl);
      expect(res.status, jsonUrl).toBe(200);
      const doc = JSON.parse(await res.text()) as Record<string, unknown>;
      expect(doc).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'Wide Enough', provider_url: site, title: `Wide Enough: ${PANELS[id].title}` });
      expect(Number.isInteger(doc.width) && Number.isInteger(doc.height) && (doc.height as number) > 100).toBe(true);
      const srcs = [...String(doc.html).matchAll(/src="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      expect(srcs.length, String(doc.html)).toBe(1);
      const src = new URL(srcs[0]);
      expect(src.href.startsWith(site) && src.pathname.endsWith('/embed.html') && src.searchParams.get('panel') === id, src.href).toBe(true);
      const page = await fetch(src);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      // the discovery page: a real file, naming this document
      expect(existsSync(join(siteDir, 'panels', `${id}.html`)), id).toBe(true);
      const discovery = await (await fetch(new URL(`panels/${id}.html`, site))).text();
      const link = discovery.match(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/);
      expect(link?.[1]).toBe(jsonUrl);
      expect(discovery).toContain(`data-panel="${id}"`);
    }
  });

  it("one build: the Embed button's element snippet names a library file the build wrote, served as JavaScript", async () => {
    const { element } = embedSnippets('ntk', PANELS.ntk.title, DEFAULT_STATE, site);
    const lib = element.match(/src="([^"]+)"/)![1];
    const res = await fetch(lib);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    for (const file of ['wide-enough-panel.js', 'worker.js']) expect(existsSync(join(siteDir, 'embed', file)), file).toBe(true);
  });

  it("each panel fits the frame its oEmbed document asks for, at the document's width", async () => {
    const since = sinceNow(b);
    await b.page.setViewportSize({ width: 720, height: 900 });
    const short: string[] = [];
    const measured: string[] = [];
    for (const id of Object.keys(PANELS)) {
      const doc = (await (await fetch(new URL(`oembed/${id}.json`, site))).json()) as { width: number; height: number };
      expect(doc.width).toBe(720);
      await b.page.goto(new URL(`embed.html?panel=${id}&autoplay=false`, site).href);
      await b.page.waitForFunction(() => !!document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure'));
      // the figure's first draw, then a still layout
      await b.page.waitForTimeout(1000);
      const h = await b.page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      measured.push(`${id}: ${h}`);
      if (h > doc.height) short.push(`${id}: ${h} > ${doc.height}`);
    }
    expect(short, `PANEL_HEIGHTS (scripts/vitePluginTravel.ts) is short; measured: ${measured.join(', ')}`).toEqual([]);
    await b.page.setViewportSize({ width: 1100, height: 2400 });
    expect(since()).toEqual({ problems: [], offsite: [] });
  });

  it('`npm run preview` serves the build, the library and the oEmbed documents included, with CORS for sandboxed frames', async () => {
    const port = await new Promise<number>((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => ok(port));
      });
    });
    // what `npm run preview` runs (vite preview with vite.config.ts), on the tests' build
    const preview = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--outDir', siteDir, '--port', String(port), '--strictPort'], { cwd: REPO_ROOT, stdio: 'ignore' });
    try {
      const base = `http://127.0.0.1:${port}/`;
      await expect.poll(() => fetch(base).then((r) => r.status, () => 0), { timeout: 60_000 }).toBe(200);
      for (const [path, type] of [['embed/wide-enough-panel.js', /javascript/], ['embed/worker.js', /javascript/], ['embed.html', /html/], ['oembed/ntk.json', /json/], ['panels/ntk.html', /html/], ['wide-enough-host.js', /javascript/]] as const) {
        const res = await fetch(new URL(path, base), { headers: { origin: 'null' } });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toMatch(type);
        expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      }
    } finally {
      preview.kill();
    }
  });

  it('panels/ID.html opens its panel, and the scripts it names exist (JavaScript, not an HTML fallback)', async () => {
    const since = sinceNow(b);
    await b.page.goto(new URL('panels/ntk.html', site).href);
    await b.page.waitForFunction(() => !!document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('[data-panel="ntk"]'));
    const html = await readFile(join(siteDir, 'panels', 'ntk.html'), 'utf8');
    for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)) {
      const res = await fetch(new URL(m[1].slice(1), site));
      expect(res.headers.get('content-type'), m[1]).toMatch(/javascript/);
    }
    expect(since()).toEqual({ problems: [], offsite: [] });
  });
});

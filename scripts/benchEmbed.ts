/**
 * npm run -s bench:embed -- [--site DIR] [--against DIR] [--panels a,b] [--files]
 *
 * The script an embed of one panel loads, for every panel, both ways a blog post embeds it:
 * embed.html?panel=ID (the iframe), and a page of its own holding <wide-enough-panel panel="ID">
 * (the element, from dist/embed/), each opened in headless Chromium on the built site; the gzip -9
 * size of every script the page's main thread fetched once the panel has rendered. The element
 * carries its stylesheet in its script (a shadow root's), embed.html fetches its own. The worker's
 * scripts are counted apart (fetched once training starts). --against DIR puts a second build's
 * numbers beside these; --files lists each panel's scripts. Not a test: it reports bytes, the goal
 * being 40 KB for any panel.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, launchBrowser, serveStatic } from './chromium.ts';
import { panelIds } from '../src/essay/panelRegistry.ts';

interface Args {
  site: string | null;
  against: string | null;
  panels: string[];
  files: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { site: null, against: null, panels: panelIds(), files: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => argv[++i] ?? '';
    if (k === '--site') a.site = next();
    else if (k === '--against') a.against = next();
    else if (k === '--panels') a.panels = next().split(',').filter(Boolean);
    else if (k === '--files') a.files = true;
    else {
      console.error(`unknown flag ${k}\nusage: npm run -s bench:embed -- [--site DIR] [--against DIR] [--panels a,b] [--files]`);
      process.exit(2);
    }
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));

function gzipOf(dir: string, url: string): number {
  try {
    return gzipSync(readFileSync(join(dir, decodeURIComponent(new URL(url).pathname))), { level: 9 }).length;
  } catch {
    return 0;
  }
}

interface Sizes {
  main: number;
  css: number; // the stylesheets the page fetched (the element's is in its script)
  worker: number;
  files: string[];
}

type Route = 'embed.html' | 'element';
const ROUTES: Route[] = ['embed.html', 'element'];

/**
 * The scripts a module worker at `url` loads through static imports, itself included. (Chromium
 * lists a dedicated worker's module fetches among the page's resource entries, and none in the
 * worker's own: the page's and the worker's module maps are apart, so a module both load is
 * listed twice. The library's worker shares chunks with the element; the site's is one file.)
 */
function workerScripts(dir: string, url: string, seen = new Set<string>()): Set<string> {
  if (seen.has(url)) return seen;
  seen.add(url);
  let code = '';
  try {
    code = readFileSync(join(dir, decodeURIComponent(new URL(url).pathname)), 'utf8');
  } catch {
    return seen;
  }
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) workerScripts(dir, new URL(m[1], url).href, seen);
  return seen;
}

/** A page of the embedding blog's own: the element, and nothing else. */
function elementHost(id: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title>
<script type="module" src="embed/wide-enough-panel.js"></script></head>
<body><wide-enough-panel panel="${id}"></wide-enough-panel></body></html>`;
}

/** Every panel's embed by `route`, loaded one after the other in one browser. */
async function measure(dir: string, route: Route): Promise<Map<string, Sizes>> {
  const server = await serveStatic(dir);
  const s = await launchBrowser(server.url, { width: 800, height: 900 });
  const out = new Map<string, Sizes>();
  try {
    let hosted = '';
    await s.page.route('**/element-host.html', (r) => r.fulfill({ contentType: 'text/html', body: elementHost(hosted) }));
    for (const id of args.panels) {
      // one entry per worker started: each lists its own fetches, so a figure with two runs lists two
      const workers: string[] = [];
      const onWorker = (w: { url(): string }) => workers.push(w.url());
      s.page.on('worker', onWorker);
      await s.page.goto('about:blank');
      hosted = id;
      await s.page.goto(route === 'element' ? `${server.url}element-host.html` : `${server.url}embed.html?panel=${id}`);
      // rendered: the element's shadow root holds the panel; then a moment for late chunks
      await s.page.waitForFunction(() => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure.panel, .notices'), null, { timeout: 60_000 });
      await s.page.waitForLoadState('networkidle');
      s.page.off('worker', onWorker);
      const urls = await s.page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => e.name));
      // the workers' own fetches, each worker's once, are not the main thread's
      const theirs = workers.flatMap((w) => [...workerScripts(dir, w)]);
      const mine = urls.filter((u) => /\.js$/.test(new URL(u).pathname));
      for (const u of theirs) {
        const i = mine.indexOf(u);
        if (i >= 0) mine.splice(i, 1);
      }
      // embed.html's own module script is not a resource entry of the page: add it from the document
      const entry = await s.page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((x) => x.src));
      const all = [...new Set([...entry, ...mine])];
      // (a link in the document, or a sheet the page fetches for a shadow root)
      const links = await s.page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => l.href));
      const css = [...links, ...urls.filter((u) => /\.css$/.test(new URL(u).pathname))];
      out.set(id, {
        main: all.reduce((x, u) => x + gzipOf(dir, u), 0),
        css: [...new Set(css)].reduce((x, u) => x + gzipOf(dir, u), 0),
        worker: [...new Set(theirs)].reduce((x, u) => x + gzipOf(dir, u), 0),
        files: all.map((u) => `${new URL(u).pathname} ${(gzipOf(dir, u) / 1024).toFixed(1)}`),
      });
    }
  } finally {
    await s.close();
    await server.close();
  }
  return out;
}

const built = args.site ? null : await buildSite();
try {
  const kb = (x: number | undefined) => (x === undefined ? '-' : (x / 1024).toFixed(1));
  for (const route of ROUTES) {
    const now = await measure(args.site ?? built!, route);
    const before = args.against ? await measure(args.against, route) : null;
    console.log(`\n${route === 'element' ? 'the element, <wide-enough-panel> (its stylesheet in its script)' : 'embed.html?panel=ID (an iframe)'}\n`);
    console.log(before ? '| panel | against KB gz | this KB gz | CSS KB gz | worker KB gz |' : '| panel | script KB gz (main) | CSS KB gz | worker KB gz |');
    console.log(before ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |');
    for (const id of args.panels) {
      const n = now.get(id)!;
      console.log(before ? `| ${id} | ${kb(before.get(id)?.main)} | ${kb(n.main)} | ${kb(n.css)} | ${kb(n.worker)} |` : `| ${id} | ${kb(n.main)} | ${kb(n.css)} | ${kb(n.worker)} |`);
    }
    if (args.files) for (const [id, n] of now) console.log(`${id}:\n  ${n.files.join('\n  ')}`);
  }
} finally {
  if (built) await rm(built, { recursive: true, force: true });
}

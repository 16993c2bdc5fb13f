/**
 * npm run -s bench:embed -- [--site DIR] [--against DIR] [--panels a,b] [--files]
 *
 * The script an embed of one panel loads, for every panel: embed.html?panel=ID opened in headless
 * Chromium on the built site, and the gzip -9 size of every script the page (main thread) fetched
 * once the panel has rendered. The worker's script is counted apart (it is fetched once training
 * starts, from its own file). --against DIR puts a second build's numbers beside these; --files
 * lists each panel's scripts. Not a test: it reports bytes, the goal being 40 KB for any panel.
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
  worker: number;
  files: string[];
}

/** Every panel's embed, loaded one after the other in one browser. */
async function measure(dir: string): Promise<Map<string, Sizes>> {
  const server = await serveStatic(dir);
  const s = await launchBrowser(server.url, { width: 800, height: 900 });
  const out = new Map<string, Sizes>();
  try {
    for (const id of args.panels) {
      const workers = new Set<string>();
      const onWorker = (w: { url(): string }) => workers.add(w.url());
      s.page.on('worker', onWorker);
      await s.page.goto('about:blank');
      await s.page.goto(`${server.url}embed.html?panel=${id}`);
      // rendered: the element's shadow root holds the panel; then a moment for late chunks
      await s.page.waitForFunction(() => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure.panel, .notices'), null, { timeout: 60_000 });
      await s.page.waitForLoadState('networkidle');
      s.page.off('worker', onWorker);
      const urls = await s.page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => e.name));
      const scripts = [...new Set(urls.filter((u) => /\.js$/.test(new URL(u).pathname) && !workers.has(u)))];
      // embed.html's own module script is not a resource entry of the page: add it from the document
      const entry = await s.page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((x) => x.src));
      const all = [...new Set([...entry, ...scripts])];
      out.set(id, {
        main: all.reduce((x, u) => x + gzipOf(dir, u), 0),
        worker: [...workers].reduce((x, u) => x + gzipOf(dir, u), 0),
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
  const now = await measure(args.site ?? built!);
  const before = args.against ? await measure(args.against) : null;
  const kb = (x: number | undefined) => (x === undefined ? '-' : (x / 1024).toFixed(1));
  console.log(before ? '| panel | against KB gz | this KB gz | worker KB gz |' : '| panel | script KB gz (main) | worker KB gz |');
  console.log(before ? '| --- | --- | --- | --- |' : '| --- | --- | --- |');
  for (const id of args.panels) {
    const n = now.get(id)!;
    console.log(before ? `| ${id} | ${kb(before.get(id)?.main)} | ${kb(n.main)} | ${kb(n.worker)} |` : `| ${id} | ${kb(n.main)} | ${kb(n.worker)} |`);
  }
  if (args.files) for (const [id, n] of now) console.log(`${id}:\n  ${n.files.join('\n  ')}`);
} finally {
  if (built) await rm(built, { recursive: true, force: true });
}

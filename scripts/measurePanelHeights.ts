/**
 * npx tsx scripts/measurePanelHeights.ts [--site DIR] [--widths 320,375,...] [--write]
 *
 * Each essay figure's height, in px, as its panel first draws (when the page marks it data-drawn), at
 * several window widths: the table the page reserves before a panel mounts. --write puts it in src/essay/panelReserve.json and its
 * stylesheet in src/essay/panelReserve.css (scripts/panelReserve.ts).
 * The page is scrolled through, each figure brought within a window and a half of the window in
 * turn (a panel mounts as it nears the window, and draws before it trains). Prints the JSON.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reserveCss } from './panelReserve.ts';
import { buildSite, launchBrowser, REPO_ROOT, serveStatic } from './chromium.ts';

const argv = process.argv.slice(2);
const arg = (k: string) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const widths = (arg('--widths') ?? '320,360,375,390,414,480,540,600,601,680,760,761,840,928,1280').split(',').map(Number);
const site = arg('--site');
const dir = site ?? (await buildSite());
const server = await serveStatic(dir);
const out: Record<string, Record<string, number>> = {};
try {
  for (const w of widths) {
    const s = await launchBrowser(server.url, { width: w, height: 900 });
    try {
      // each figure's height the moment its panel has drawn (data-drawn, src/essay/mountPanels.ts)
      await s.page.addInitScript(() => {
        const w = window as unknown as { drawnAt: Record<string, number> };
        w.drawnAt = {};
        new MutationObserver((ms) => {
          for (const m of ms) {
            const f = m.target as HTMLElement;
            if (f.dataset.drawn !== undefined && f.dataset.panel && !(f.dataset.panel in w.drawnAt)) w.drawnAt[f.dataset.panel] = f.getBoundingClientRect().height;
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn'] });
      });
      await s.page.goto(server.url);
      await s.page.evaluate(() => document.fonts.ready);
      const ids = await s.page.locator('main figure[data-panel]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-panel')!));
      for (const id of ids) {
        // a window and a half above it: it mounts ahead of the reader, as it usually does, not yet training
        await s.page.evaluate((id) => {
          const top = document.querySelector(`figure[data-panel="${id}"]`)!.getBoundingClientRect().top + scrollY;
          scrollTo({ top: Math.max(0, top - 1.5 * innerHeight), behavior: 'instant' });
        }, id);
        await s.page.waitForFunction((id) => id in (window as unknown as { drawnAt: Record<string, number> }).drawnAt, id, { timeout: 60_000 });
      }
      const drawn = await s.page.evaluate(() => (window as unknown as { drawnAt: Record<string, number> }).drawnAt);
      for (const id of ids) (out[id] ??= {})[String(w)] = Math.round(drawn[id]);
    } finally {
      await s.close();
    }
  }
} finally {
  await server.close();
  if (!site) await rm(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 1));
if (argv.includes('--write')) {
  await writeFile(join(REPO_ROOT, 'src/essay/panelReserve.json'), JSON.stringify(out, null, 1) + '\n');
  await writeFile(join(REPO_ROOT, 'src/essay/panelReserve.css'), reserveCss(out));
}

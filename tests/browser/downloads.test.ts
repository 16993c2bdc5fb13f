import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Locator } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { PANELS } from '../../src/essay/panelRegistry.ts';
import type { RunExport } from '../../src/train/runExport.ts';
import { useSharedBrowser } from './sharedBrowser.ts';

/**
 * Downloads that stand alone: a figure's SVG and PNG carry its title, legend, axis labels and
 * caption (the PNG at twice the picture's size), and its Run download is the runs as JSON plus
 * reproduce.py, which, run with numpy, trains the page's run again to the same losses. The files of
 * three figures go to $SCREENSHOT_DIR (or the temp folder)/downloads, to be looked at.
 */
const SHOTS = join(process.env.SCREENSHOT_DIR || join(tmpdir(), 'wide-enough-screenshots'), 'downloads');
const FIGURES = ['du-figure', 'gradient-bound', 'ntk'] as const;
const PYTHON = process.env.PYTHON ?? 'python3';
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

async function take(figure: Locator, label: string): Promise<Download> {
  const [download] = await Promise.all([figure.page().waitForEvent('download'), figure.locator('.downloads button', { hasText: label }).first().click()]);
  return download;
}

async function text(d: Download): Promise<string> {
  return readFile(await d.path(), 'utf8');
}

/** A PNG's pixel size, from its IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('downloads that stand alone', () => {
  const baseUrl = inject('baseUrl');
  const b = useSharedBrowser(baseUrl);

  for (const id of FIGURES) {
    it(`${id}: SVG and PNG carry the title, legend, axis labels and caption; the PNG is at 2x`, async () => {
      const { page } = b;
      await page.goto(new URL(`embed.html?panel=${id}`, baseUrl).href);
      const figure = page.locator(`[data-panel="${id}"]`);
      await page.waitForFunction((s) => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector(s)?.getAttribute('data-run-state') === 'done', `[data-panel="${id}"]`, { timeout: 150_000, polling: 250 });
      await page.waitForTimeout(300); // the last frame drawn
      const onPage = await figure.evaluate((f: HTMLElement) => ({
        legend: [...f.querySelectorAll('.curve-legend .legend-label')].map((e) => (e.textContent ?? '').trim()).filter(Boolean),
        axes: [...f.querySelectorAll('svg .axis-label')].map((e) => (e.textContent ?? '').trim()).filter(Boolean),
        caption: (f.querySelector('figcaption')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        layers: [...f.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.getBoundingClientRect().width > 0).length,
      }));
      expect(onPage.legend.length, 'legend entries').toBeGreaterThan(0);
      expect(onPage.axes.length, 'axis labels').toBeGreaterThan(0);
      expect(onPage.caption.length, 'caption').toBeGreaterThan(20);

      const svg = await text(await take(figure, 'SVG'));
      const words = unescape(svg.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
      expect(svg).toContain(`<title>${PANELS[id].title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title>`);
      for (const label of [...onPage.legend, ...onPage.axes]) expect(words, label).toContain(label);
      // the caption, wrapped over lines: every word of it, in order
      expect(words).toContain(onPage.caption.split(' ').slice(0, 6).join(' '));
      expect(words).toContain(onPage.caption.split(' ').slice(-4).join(' '));
      // canvas layers (the kernel heatmaps) are in the SVG as images beneath the chart
      expect(svg.match(/<image href="data:image\/png;base64,/g)?.length ?? 0).toBe(onPage.layers);
      const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
      expect(w).toBeGreaterThanOrEqual(480);

      const pngDownload = await take(figure, 'PNG');
      const png = await readFile(await pngDownload.path());
      expect(pngSize(png)).toEqual({ width: 2 * w, height: 2 * h });

      await mkdir(SHOTS, { recursive: true });
      await writeFile(join(SHOTS, `${id}.svg`), svg);
      await writeFile(join(SHOTS, `${id}.png`), png);
    });
  }

  it('Run: the JSON holds every record with its config, seeds and step size, and reproduce.py trains it again to the same losses', async () => {
    const { page } = b;
    await page.goto(new URL('embed.html?panel=width-convergence&width=64&n=8&d=8&depth=2&arch=resnet&tau=0.2&initseed=4', baseUrl).href);
    const figure = page.locator('[data-panel="width-convergence"]');
    await page.waitForFunction(() => (document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure') as HTMLElement | null)?.dataset.status === 'converged', undefined, { timeout: 60_000 });
    const [json, py] = await Promise.all([
      page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.run.json')),
      page.waitForEvent('download', (d) => d.suggestedFilename() === 'reproduce.py'),
      figure.locator('.downloads button', { hasText: 'Run' }).click(),
    ]);
    const exp = JSON.parse(await text(json)) as RunExport;
    expect(exp.format).toBe('wide-enough-run/1');
    const run = exp.runs.find((r) => r.key === 'm64')!;
    expect(run.config).toMatchObject({ arch: 'resnet', m: 64, L: 2, n: 8, d: 8, tau: 0.2, initSeed: 4 });
    expect(run.lr).toBeGreaterThan(0);
    expect(run.status).toBe('converged');
    const { step, loss } = run.records;
    expect(step[0]).toBe(0);
    expect(step.length).toBe(loss.length);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * run.config.eps * 1.0001);
    const script = await py.path();
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(SHOTS, 'width-convergence.run.json'), JSON.stringify(exp));
    if (!hasNumpy) {
      console.warn(`reproduce.py not run: ${PYTHON} with numpy is not available here`);
      return;
    }
    const r = spawnSync(PYTHON, [script, '--run', 'm64'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t').map(Number));
    expect(rows.map((x) => x[0])).toEqual(step);
    const rel = (i: number) => Math.abs(rows[i][1] - loss[i]) / loss[i];
    expect(rel(0)).toBeLessThan(1e-5);
    // over the whole run (to F <= eps F_0) the float64 rerun stays within 1e-3 of the page's float32 one
    for (let i = 0; i < rows.length; i++) expect(rel(i), `step ${step[i]}`).toBeLessThan(1e-3);
  });
});

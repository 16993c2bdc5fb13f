/** Reading and driving the width-convergence figure from a test. */
import type { Locator, Page } from 'playwright-core';

export const FIGURE = '[data-panel="width-convergence"]';

export interface FigureState {
  width: number; // what the slider shows
  status: string; // StatusKind
  curves: number;
  step: number; // the current run's updates (NaN before it has one)
  loss0: number; // its first loss
  loss: number; // its latest loss
}

export function figure(page: Page): Locator {
  return page.locator(FIGURE);
}

export async function figureState(page: Page): Promise<FigureState> {
  const d = await figure(page).evaluate((f: HTMLElement) => ({ ...f.dataset }));
  const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
  return {
    width: num(d.width),
    status: d.status ?? '',
    curves: num(d.curves),
    step: num(d.step),
    loss0: num(d.loss0),
    loss: num(d.loss),
  };
}

/** Waits until the run at `width` is the current one and its loss has fallen `factor`-fold. */
export async function waitForFall(page: Page, width: number, factor: number, timeout = 45_000): Promise<FigureState> {
  await page.waitForFunction(
    ({ sel, width, factor }) => {
      const d = (document.querySelector(sel) as HTMLElement | null)?.dataset;
      if (!d || Number(d.width) !== width || !d.loss0 || !d.loss) return false;
      return Number(d.loss) <= Number(d.loss0) / factor;
    },
    { sel: FIGURE, width, factor },
    { timeout, polling: 100 },
  );
  return figureState(page);
}

/** Opens the page at `query` and scrolls the figure on screen (it trains only while visible). */
export async function openFigure(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}${query}`);
  await figure(page).scrollIntoViewIfNeeded();
  // its panel mounts as it nears the window (src/essay/mountPanels.ts), in the height kept for it
  await page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('panel'), FIGURE, { timeout: 60_000 });
  await figure(page).scrollIntoViewIfNeeded();
}

export function thumb(page: Page): Locator {
  return figure(page).getByRole('slider');
}

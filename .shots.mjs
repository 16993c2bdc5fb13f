import { chromium } from 'playwright-core';
const [,, url, out] = process.argv;
for (const width of [1280, 375]) {
  const ctx = await chromium.launchPersistentContext('/tmp/lead/prof-' + Date.now(), { executablePath: '/usr/bin/chromium', viewport: { width, height: 900 } });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  const errs = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errs.push(m.text()); });
  page.on('pageerror', (e) => errs.push(String(e)));
  await page.goto(url);
  for (const id of ['cnn', 'rnn', 'generalization', 'lazy-rich']) {
    const fig = page.locator(`[data-panel="${id}"]`);
    await fig.scrollIntoViewIfNeeded();
    for (let i = 0; i < 40; i++) { if ((await fig.getAttribute('data-run-state')) === 'done') break; await page.waitForTimeout(1000); }
    await page.waitForTimeout(500);
    await fig.screenshot({ path: `${out}/${id}-${width}.png` });
    console.log(width, id, await fig.getAttribute('data-run-state'));
  }
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(width, 'scrollWidth', sw, 'console:', errs.slice(0, 5));
  await ctx.close();
}

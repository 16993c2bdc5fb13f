import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PANEL_CHOICES } from '../../src/state/panelChoices.ts';
import { PAGE_FIELDS, readState, type Notice } from '../../src/state/urlState.ts';
import { launchBrowser, serveStatic, type BrowserSession, type StaticServer } from './harness.ts';

/**
 * Hostile input wherever it enters the page: URL parameters of the essay (index.html) and of
 * embed.html, attributes of <wide-enough-panel> (at mount and changed after), and messages to
 * the iframe host script (public/wide-enough-host.js) and to embed.html.
 *
 * Each input must leave: no uncaught error, no console error or warning, no dialog; nothing of a
 * payload in the DOM (no img[src=x], no [onerror], no script of its own, window.__pwned unset);
 * a visible notice naming the refused value (JSON-quoted, cut short when long, no horizontal
 * overflow); and the width figure on its documented value (the default 256 for a refused width,
 * the clamp for an out-of-range one). What the page should do with a value comes from readState
 * (src/state/urlState.ts, covered by the unit tests); what is checked here is that the page does
 * it, safely. Checks do not wait for training: the figure has mounted once it shows a status.
 *
 * One browser, one page, navigated URL after URL; failures are collected and reported together.
 */

const enc = encodeURIComponent;
const LONG = 'W'.repeat(100_000);
const PWN = '"><script>window.__pwned=1</script>';
const IMG = '<img src=x onerror=alert(1)>';

/** Hostile values, as query text (most percent-encoded; the last few are raw garbage on purpose). */
const VALUES: string[] = [
  'NaN', 'Infinity', '-Infinity', '-1', '0', '1e308', '99999999999999999999', '', enc('   '),
  enc('\uff12\uff15\uff16'), enc('\u2182'), enc('\u{1F600}\u{1F525}'), enc(IMG), enc(PWN), enc('javascript:alert(1)'),
  enc('../../etc/passwd'), '1e-400', '8.0000001', enc('1,2'), '0x100', '%00', '+', enc('__proto__'),
  '%2e%2e%2f', '%E0%A4%A', '%ZZ',
];

const PARAMS: string[] = [...PAGE_FIELDS.map((f) => f.param), ...PANEL_CHOICES.map((c) => c.param)];

/** The essay's hostile queries: every parameter with 8 of the values (rotating), then the special cases. */
function essayQueries(): string[] {
  const out: string[] = [];
  PARAMS.forEach((p, i) => {
    for (let k = 0; k < 8; k++) out.push(`${p}=${VALUES[(i * 5 + k) % VALUES.length]}`);
  });
  out.push(
    `width=${LONG}`,
    `hide=${LONG}`,
    `ntk-width=${LONG}`,
    `labels=${enc(`${IMG}${LONG}`)}`,
    `width=abc&width=512`, // repeated keys: the last counts
    `width=512&width=abc`,
    `width=64&WIDTH=${enc(PWN)}`,
    `depth=3&depth=3&depth=-Infinity`,
    `separation-delta=0.01&separation-delta=${enc(IMG)}`,
    `${enc(IMG)}=1`, // unknown keys belong to someone else: no notice
    `__proto__=1&constructor=${enc(PWN)}`,
    `toString=x&hasOwnProperty=y&width=128`,
    `${LONG}=${LONG.slice(0, 1000)}`,
    `%E0%A4%A=%E0%A4%A&width=%E0%A4%A`,
    `width&depth&n`, // keys without values
    `=width&=&&&`,
  );
  return out;
}

/** embed.html's hostile queries: `panel` with every value, then run fields and choices of a good panel. */
function embedQueries(): string[] {
  return [
    ...VALUES.map((v) => `panel=${v}`),
    `panel=${LONG}`,
    'panel=constructor',
    'panel=hasOwnProperty',
    `panel=${enc('width-convergence ')}&panel=${enc('../width-convergence')}`,
    'panel=ntk&panel=width-convergence&width=NaN', // repeated: the last panel counts
    ...['NaN', '-1', '1e308', enc(PWN), LONG].map((v) => `panel=width-convergence&width=${v}`),
    `panel=width-convergence&hide=${enc(IMG)}&autoplay=${enc(PWN)}&stepaxis=Infinity`,
    `panel=ntk&ntk-width=${enc(IMG)}`,
    `panel=separation&separation-delta=-Infinity`,
    `panel=landscape&landscape-scale=${enc('javascript:alert(1)')}`,
    `panel=lazy-ball&lazy-ball-width=99999999999999999999&lazy-ball-layer=%00`,
    `panel=bounds-vs-reality&bounds-vs-reality-n=%E0%A4%A&bounds-vs-reality-depth=1e308`,
    `panel=gradient-bound&gradient-bound-depth=${enc('\u{1F600}')}`,
    `panel=semi-smoothness&semi-smoothness-width=${enc('\uff15\uff11\uff12')}`,
  ];
}

/** A recognizable piece of what a notice must quote: the start of the value (of its first name, for lists), JSON-escaped. */
function needle(param: string, raw: string): string {
  const piece = param === 'hide' ? (raw.split(',').map((s) => s.trim()).find(Boolean) ?? '') : raw.trim();
  return Array.from(JSON.stringify(piece).slice(1, -1)).slice(0, 10).join('');
}

/** The values a query gives its parameters, last of each, by lower-case name (lastValueOfEach's rule). */
function lastValues(query: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) m.set(k.toLowerCase(), v);
  return m;
}

interface Reading {
  status: string | null; // the width figure's data-status (null: no width figure)
  width: string | null;
  notices: { param: string; text: string }[];
  noticesVisible: boolean;
  noticeHeight: number;
  overflowX: number; // scrollWidth - innerWidth
  boxHeight: number; // the element's, on embed pages
  hasChart: boolean;
  injected: string[];
}

/** Reads a page (or the shadow root of its first <wide-enough-panel>) and looks for anything a payload put there. */
async function readPage(where: Page | Frame, inElement: boolean): Promise<Reading> {
  return where.evaluate((inElement) => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of document.querySelectorAll('wide-enough-panel')) if (el.shadowRoot) roots.push(el.shadowRoot);
    const injected: string[] = [];
    if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) injected.push('window.__pwned is set');
    for (const r of roots) {
      for (const el of r.querySelectorAll('img[src="x"], [onerror], iframe[src^="javascript"], a[href^="javascript"]')) injected.push(el.outerHTML.slice(0, 120));
      for (const s of r.querySelectorAll('script')) if (/__pwned|alert\(/.test(s.textContent ?? '')) injected.push(`script: ${(s.textContent ?? '').slice(0, 80)}`);
    }
    const el = document.querySelector('wide-enough-panel');
    const root: Document | ShadowRoot | null = inElement ? (el?.shadowRoot ?? null) : document;
    const box = (inElement ? root?.querySelector('.notices') : document.querySelector('[data-notices]')) as HTMLElement | null;
    const fig = root?.querySelector('[data-panel="width-convergence"]') as HTMLElement | null;
    return {
      status: fig ? (fig.dataset.status ?? '') : null,
      width: fig ? (fig.dataset.width ?? '') : null,
      notices: [...(box?.querySelectorAll('li') ?? [])].map((li) => ({ param: (li as HTMLElement).dataset.param ?? '', text: li.textContent ?? '' })),
      noticesVisible: !!box && !box.hidden && box.getBoundingClientRect().height > 0,
      noticeHeight: box?.getBoundingClientRect().height ?? 0,
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
      boxHeight: el?.getBoundingClientRect().height ?? 0,
      hasChart: !!root?.querySelector('figure svg, figure canvas'),
      injected,
    };
  }, inElement);
}

/** What is wrong with a reading, against what readState says the page should do with `params`. */
function problemsOf(r: Reading, params: [string, string][], opts: { panel?: string | null; figure: boolean }): string[] {
  const out: string[] = [...r.injected.map((s) => `injected: ${s}`)];
  const { state, notices } = readState(params);
  const expected: Notice[] = [...notices];
  const values = new Map(params.map(([k, v]) => [k.toLowerCase(), v]));
  if (opts.panel !== undefined && opts.panel !== null) {
    expected.push({ param: 'panel', message: '' }); // unknown panel: checked by its needle only
  }
  if (expected.length) {
    if (!r.noticesVisible) out.push('no visible notice');
    if (r.noticeHeight > 400) out.push(`notice box ${Math.round(r.noticeHeight)}px tall`);
  } else if (r.notices.length) out.push(`unexpected notices: ${JSON.stringify(r.notices.map((n) => n.text))}`);
  const named = new Set<string>();
  for (const n of expected) {
    const mine = r.notices.filter((x) => x.param === n.param);
    const li = mine.find((x) => !n.message || x.text === n.message);
    if (!li) {
      out.push(mine.length ? `notice for ${n.param}: ${JSON.stringify(mine.map((x) => x.text.slice(0, 200)))}, expected ${JSON.stringify(n.message.slice(0, 200))}` : `no notice for ${n.param}`);
      continue;
    }
    // the first notice on a parameter names its value (a second one, batch > n, names what it did)
    if (named.has(n.param)) continue;
    named.add(n.param);
    const raw = n.param === 'panel' ? opts.panel! : (values.get(n.param) ?? '');
    const want = raw.trim() === '' && n.param === 'panel' ? 'No panel ID given' : needle(n.param, raw);
    if (!li.text.includes(want)) out.push(`notice for ${n.param} does not name the value: ${JSON.stringify(li.text.slice(0, 200))} lacks ${JSON.stringify(want)}`);
    if (li.text.length > 400) out.push(`notice for ${n.param} is ${li.text.length} characters long`);
  }
  if (r.overflowX > 1) out.push(`page overflows sideways by ${r.overflowX}px`);
  if (opts.figure) {
    if (!r.status) out.push(`width figure shows no state (status ${JSON.stringify(r.status)})`);
    if (r.width !== String(state.config.m)) out.push(`data-width ${JSON.stringify(r.width)}, expected ${state.config.m}`);
  }
  return out;
}

const short = (s: string) => (s.length > 90 ? `${s.slice(0, 60)}...(${s.length} chars)` : s);

describe('hostile input', { timeout: 600_000 }, () => {
  const site = inject('siteDir');
  let server: StaticServer; // the site again, with room for 100,000-character URLs
  let host: StaticServer; // a blog on another origin
  let hostDir: string;
  let b: BrowserSession;
  const dialogs: string[] = [];
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    server = await serveStatic(site, { maxHeaderSize: 1 << 20, headers: { 'access-control-allow-origin': '*' } });
    hostDir = await mkdtemp(join(tmpdir(), 'wide-enough-hostile-'));
    const lib = new URL('embed/wide-enough-panel.js', server.url).href;
    await writeFile(
      join(hostDir, 'element.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A blog</title><script type="module" src="${lib}"></script></head>
<body><h1>A post</h1><div id="slot"></div></body></html>`,
    );
    const frameSrc = new URL('embed.html?panel=width-convergence&autoplay=false&n=8&d=8', server.url).href;
    // a data: frame whose URL ends in /embed.html, so only its opaque origin gives it away
    const dataFrame = `data:text/html,<script>parent.postMessage({type:'wide-enough:height',height:321},'*')</script>/embed.html`;
    await writeFile(
      join(hostDir, 'frames.html'),
      `<!doctype html><html><head><meta charset="utf-8"><title>A blog with frames</title>
<script src="${new URL('wide-enough-host.js', server.url).href}" defer></script></head>
<body><div id="wideEnoughHost">an element whose id clobbers window.wideEnoughHost</div>
<iframe id="panel" src="${frameSrc}" title="panel" style="border:0;width:100%;height:150px"></iframe>
<iframe id="data" src="${dataFrame.replace(/"/g, '&quot;')}" title="data" style="height:150px"></iframe>
<iframe id="srcdoc" srcdoc="&lt;script&gt;parent.postMessage({type:'wide-enough:height',height:322},'*')&lt;/script&gt;" title="srcdoc" style="height:150px"></iframe>
<iframe id="away" src="${frameSrc}&amp;away=1" title="away" style="border:0;width:100%;height:150px"></iframe>
</body></html>`,
    );
    await writeFile(join(hostDir, 'evil.html'), `<!doctype html><script>parent.postMessage({type:'wide-enough:height',height:444},'*')</script>`);
    host = await serveStatic(hostDir);
    b = await launchBrowser(server.url, { width: 1280, height: 900 }, { allowOrigins: [host.url] });
    b.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterAll(async () => {
    console.log(`hostile inputs tried: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    await b?.close();
    await host?.close();
    await server?.close();
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  /** Errors, warnings and dialogs since the last call. */
  function pageProblems(): string[] {
    const p = [...b.problems(), ...dialogs.map((d) => `dialog: ${d}`)];
    b.log.length = 0;
    dialogs.length = 0;
    return p;
  }

  // In batches, each its own test with its own time: on a loaded machine a page load can take
  // seconds, and one test of 260 loads would outlive any timeout (and go on loading pages under
  // the next test after it timed out).
  const ESSAY = essayQueries();
  const EMBED = embedQueries();
  const BATCH = 30;
  const batches = (list: string[]) => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));

  it('tries at least 200 hostile URLs', () => {
    counts['essay URLs'] = ESSAY.length;
    counts['embed.html URLs'] = EMBED.length;
    expect(ESSAY.length + EMBED.length).toBeGreaterThanOrEqual(200);
  });

  it.each(batches(ESSAY).map((q, i) => [i + 1, q] as const))('essay URLs, batch %i: notices, no injection, documented fallbacks', async (_, queries) => {
    const { page } = b;
    const failures: string[] = [];
    pageProblems();
    for (const query of queries) {
      await page.goto(`${server.url}?${query}`, { waitUntil: 'domcontentloaded' });
      // (its panel mounts as it nears the window)
      await page.locator('[data-panel="width-convergence"]').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => (document.querySelector('[data-panel="width-convergence"]') as HTMLElement | null)?.dataset.status, null, { timeout: 60_000 });
      const r = await readPage(page, false);
      const found = [...problemsOf(r, [...new URLSearchParams(query)], { figure: true }), ...pageProblems()];
      if (found.length) failures.push(`index.html?${short(query)}: ${found.join('; ')}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it.each(batches(EMBED).map((q, i) => [i + 1, q] as const))('embed.html URLs, batch %i: notices, no injection, documented fallbacks', async (_, queries) => {
    const { page } = b;
    const failures: string[] = [];
    pageProblems();
    for (const query of queries) {
      await page.goto(`${server.url}embed.html?${query}`, { waitUntil: 'domcontentloaded' });
      // the element has mounted: its figure, or its notice that there is no such panel
      await page.waitForFunction(() => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure, .notices:not([hidden])'), null, { timeout: 60_000 });
      const values = lastValues(query);
      const panel = values.get('panel')!.trim();
      const known = ['width-convergence', 'landscape', 'ntk', 'separation', 'du-figure', 'gradient-bound', 'semi-smoothness', 'lazy-ball', 'bounds-vs-reality'].includes(panel);
      if (panel === 'width-convergence') await page.waitForFunction(() => (document.querySelector('wide-enough-panel')!.shadowRoot!.querySelector('figure') as HTMLElement).dataset.status, null, { timeout: 60_000 });
      const r = await readPage(page, true);
      const params = [...values].filter(([k]) => k !== 'panel');
      const found = [...problemsOf(r, known ? params : [], { figure: panel === 'width-convergence', panel: known ? null : values.get('panel')! }), ...pageProblems()];
      if (r.boxHeight < 20) found.push(`the element is a blank box (${r.boxHeight}px)`);
      if (found.length) failures.push(`embed.html?${short(query)}: ${found.join('; ')}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('attributes of <wide-enough-panel>, at mount and changed after mount: a notice in the shadow root, never a blank box, no injection', async () => {
    const { page } = b;
    await page.goto(new URL('element.html', host.url).href);
    await page.evaluate(() => customElements.whenDefined('wide-enough-panel'));
    pageProblems();
    const hostile = [enc('NaN'), 'Infinity', '-1', '1e308', '99999999999999999999', '', enc('   '), enc('\uff12\uff15\uff16'), enc('\u{1F600}'), enc(IMG), enc(PWN), enc('javascript:alert(1)'), enc('../../etc/passwd'), '%00', enc(LONG)].map(decodeURIComponent);
    // [panel, attribute]: the run fields and view fields on the width figure, each choice on its panel, and `panel` itself
    const targets: [string, string][] = [
      ...PAGE_FIELDS.map((f): [string, string] => ['width-convergence', f.param]),
      ...PANEL_CHOICES.map((c): [string, string] => [c.panel, c.param]),
      ['width-convergence', 'panel'],
    ];
    const failures: string[] = [];
    let tried = 0;
    const mountedRoot = () => page.evaluate(() => (document.querySelector('wide-enough-panel')!.shadowRoot!.firstElementChild as HTMLElement).dataset.mark === undefined);
    const settle = async (panelIsWidth: boolean) => {
      await page.waitForFunction(() => document.querySelector('wide-enough-panel')?.shadowRoot?.querySelector('figure, .notices:not([hidden])'), null, { timeout: 60_000 });
      if (panelIsWidth)
        await page.waitForFunction(() => {
          const f = document.querySelector('wide-enough-panel')!.shadowRoot!.querySelector('[data-panel="width-convergence"]') as HTMLElement | null;
          return !f || f.dataset.status;
        }, null, { timeout: 60_000 });
    };
    const check = async (what: string, panel: string, attrs: [string, string][]) => {
      tried++;
      const r = await readPage(page, true);
      const id = attrs.find(([k]) => k === 'panel')?.[1] ?? panel;
      const known = id.trim() === 'width-convergence' || id.trim() === panel;
      const params = attrs.filter(([k]) => k !== 'panel');
      const found = [...problemsOf(r, known ? params : [], { figure: known && id.trim() === 'width-convergence', panel: known ? null : id }), ...pageProblems()];
      if (r.boxHeight < 20 || !(r.hasChart || r.noticesVisible)) found.push(`blank box (${Math.round(r.boxHeight)}px, chart ${r.hasChart}, notice ${r.noticesVisible})`);
      if (found.length) failures.push(`${what}: ${found.join('; ')}`);
    };
    for (let t = 0; t < targets.length; t++) {
      const [panel, attr] = targets[t];
      for (const k of [0, 1]) {
        const atMount = hostile[(t * 3 + k * 7) % hostile.length];
        const after = hostile[(t * 3 + k * 7 + 5) % hostile.length];
        // at mount: the element is created with the hostile attribute
        await page.evaluate(
          ({ panel, attr, value }) => {
            const el = document.createElement('wide-enough-panel');
            el.setAttribute('panel', panel);
            el.setAttribute('autoplay', 'false');
            el.setAttribute(attr, value);
            document.getElementById('slot')!.replaceChildren(el);
          },
          { panel, attr, value: atMount },
        );
        await settle(panel === 'width-convergence');
        const mountAttrs: [string, string][] = [['autoplay', 'false'], [attr, atMount]];
        await check(`<wide-enough-panel panel="${panel}" ${attr}=${JSON.stringify(short(atMount))}>`, panel, attr === 'panel' ? [['panel', atMount], ['autoplay', 'false']] : mountAttrs);
        // after mount: the attribute changes on the mounted element (which remounts)
        await page.evaluate(() => ((document.querySelector('wide-enough-panel')!.shadowRoot!.firstElementChild as HTMLElement).dataset.mark = 'old'));
        await page.evaluate(({ attr, value }) => document.querySelector('wide-enough-panel')!.setAttribute(attr, value), { attr, value: after });
        await expect.poll(mountedRoot, { timeout: 60_000 }).toBe(true);
        await settle(panel === 'width-convergence');
        await check(`setAttribute(${JSON.stringify(attr)}, ${JSON.stringify(short(after))}) on panel ${panel}`, panel, attr === 'panel' ? [['panel', after], ['autoplay', 'false']] : [['autoplay', 'false'], [attr, after]]);
      }
    }
    counts['element attributes'] = tried;
    expect(tried).toBeGreaterThanOrEqual(40);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('messages: wide-enough-host.js sizes an iframe only from its own well-formed message; embed.html and the essay ignore hostile ones', async () => {
    const { page } = b;
    pageProblems();
    await page.goto(new URL('frames.html', host.url).href);
    const panel = page.locator('#panel');
    // the real message sizes the frame (so the script runs, despite the element id="wideEnoughHost")
    await expect.poll(async () => parseFloat(await panel.evaluate((f: HTMLIFrameElement) => f.style.height)), { timeout: 60_000 }).toBeGreaterThan(200);
    const frame = (await (await panel.elementHandle())!.contentFrame())!;
    // a data: frame and a srcdoc frame posted a well-formed message at load: neither was sized
    await page.waitForTimeout(300);
    expect(await page.locator('#data').evaluate((f: HTMLIFrameElement) => f.style.height)).toBe('150px');
    expect(await page.locator('#srcdoc').evaluate((f: HTMLIFrameElement) => f.style.height)).toBe('150px');
    // a frame of embed.html that navigates to another origin: its new page's message is ignored
    const away = page.locator('#away');
    await expect.poll(async () => parseFloat(await away.evaluate((f: HTMLIFrameElement) => f.style.height)), { timeout: 60_000 }).toBeGreaterThan(200);
    const awayHeight = await away.evaluate((f: HTMLIFrameElement) => f.style.height);
    const awayFrame = (await (await away.elementHandle())!.contentFrame())!;
    await awayFrame.evaluate((url) => (location.href = url), new URL('evil.html', host.url).href);
    await page.waitForTimeout(500);
    expect(await away.evaluate((f: HTMLIFrameElement) => f.style.height)).toBe(awayHeight);

    const height = await panel.evaluate((f: HTMLIFrameElement) => f.style.height);
    const bad: unknown[] = [
      'wide-enough:height',
      JSON.stringify({ type: 'wide-enough:height', height: 500 }),
      null,
      42,
      [],
      [{ type: 'wide-enough:height', height: 500 }],
      { type: 'wide-enough:heights', height: 500 },
      { type: 'WIDE-ENOUGH:HEIGHT', height: 500 },
      { height: 500 },
      { type: 'wide-enough:height' },
      ...[-5, 0, -0, NaN, Infinity, -Infinity, 1e9, 10_001, 1e308, Number.MAX_VALUE].map((h) => ({ type: 'wide-enough:height', height: h })),
      ...['500', '1e3', '', ' 500 ', '500px', '<img src=x onerror=alert(1)>'].map((h) => ({ type: 'wide-enough:height', height: h })),
      ...[[500], {}, { valueOf: 500 }, true, null, new Date(500)].map((h) => ({ type: 'wide-enough:height', height: h })),
    ];
    const failures: string[] = [];
    for (const msg of bad) {
      // from the panel's own frame (right window, right origin), and from the host page itself
      await frame.evaluate((m) => parent.postMessage(m, '*'), msg);
      await page.evaluate((m) => window.postMessage(m, '*'), msg);
      await page.waitForTimeout(20);
      const now = await panel.evaluate((f: HTMLIFrameElement) => f.style.height);
      if (now !== height) failures.push(`${JSON.stringify(msg)} set the height to ${now}`);
      // into embed.html (it listens to nobody) and into the essay page below
      await page.evaluate((m) => (document.getElementById('panel') as HTMLIFrameElement).contentWindow!.postMessage(m, '*'), msg);
    }
    await page.waitForTimeout(300);
    const found = pageProblems();
    if (found.length) failures.push(...found);
    // the channel is open: a well-formed message from the panel's frame still sizes it
    await frame.evaluate(() => parent.postMessage({ type: 'wide-enough:height', height: 777 }, '*'));
    await expect.poll(() => panel.evaluate((f: HTMLIFrameElement) => f.style.height)).toBe('777px');
    const notices = await frame.evaluate(() => document.querySelector('wide-enough-panel')!.shadowRoot!.querySelectorAll('.notices li').length);
    if (notices) failures.push(`embed.html shows ${notices} notices after the messages`);
    // the essay ignores messages too
    await page.goto(server.url);
    await page.locator('[data-panel="width-convergence"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('[data-panel="width-convergence"]') as HTMLElement | null)?.dataset.status, null, { timeout: 60_000 });
    await page.evaluate((msgs: unknown[]) => msgs.forEach((m) => window.postMessage(m, '*')), bad.filter((m) => !(m instanceof Date)) as string[]);
    await page.waitForTimeout(300);
    const essay = await readPage(page, false);
    if (essay.notices.length || essay.injected.length) failures.push(`essay after messages: ${JSON.stringify(essay)}`);
    failures.push(...pageProblems());
    counts['messages'] = bad.length * 3 + 4;
    expect(failures, failures.join('\n')).toEqual([]);
  });
});

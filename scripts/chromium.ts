/**
 * The site in a real Chromium, for the browser tests and the benches: build the site with vite's
 * JS API, serve the build from a small static server on 127.0.0.1 (in the caller's own process:
 * nothing is left running), and drive Debian's Chromium with playwright-core in a fresh profile.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

// ---------- build ----------

/**
 * Builds the site with vite's JS API, the build `npm run build` makes (the site, the embed/ library,
 * oembed/ and panels/), into `outDir` (default: a new temporary directory) and returns it. `site`:
 * the address it will be served at, which the oEmbed documents name.
 */
export async function buildSite(outDir?: string, site?: string): Promise<string> {
  const { build } = await import('vite');
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'wide-enough-site-')));
  const before = process.env.WIDE_ENOUGH_SITE;
  if (site) process.env.WIDE_ENOUGH_SITE = site;
  try {
    await build({
      root: REPO_ROOT,
      configFile: join(REPO_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: dir, emptyOutDir: true },
    });
  } finally {
    if (before === undefined) delete process.env.WIDE_ENOUGH_SITE;
    else process.env.WIDE_ENOUGH_SITE = before;
  }
  return dir;
}

// ---------- static server ----------

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Extra response headers (CORS, a Content-Security-Policy), for every file or by path. */
  headers?: Record<string, string> | ((path: string) => Record<string, string>);
  /** Largest request head in bytes (Node's default is 16 KiB: a URL with a 100,000-character value needs more). */
  maxHeaderSize?: number;
}

/** Serves `dir` on 127.0.0.1 at a free port. Only files inside `dir`; "/" means index.html. */
export async function serveStatic(dir: string, options: ServeOptions = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer({ maxHeaderSize: options.maxHeaderSize }, async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw new Error('outside root');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const extra = typeof options.headers === 'function' ? options.headers(path) : options.headers;
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------- browser ----------

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary: $CHROME_PATH, else Debian's /usr/bin/chromium. Throws, saying how to get one. */
export function chromiumPath(): string {
  const path = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}${process.env.CHROME_PATH ? ' (from CHROME_PATH)' : ''}. ` +
        'The browser tests drive a real Chromium: install it with `apt-get install chromium` ' +
        '(Debian/Ubuntu), or set CHROME_PATH to a Chromium or Chrome binary.',
    );
  }
  return path;
}

export interface LogEntry {
  type: string; // console message type (log, warning, error, ...) or 'pageerror'
  text: string;
  from: 'page' | 'worker';
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console messages of the page and its workers, and uncaught page errors, in order. */
  log: LogEntry[];
  /** Requests that left the test server (the page must load nothing from the network). */
  offsite: string[];
  /** Console errors and warnings and page errors, formatted for an assertion message. */
  problems(): string[];
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile and opens one page whose output is recorded. */
export async function launchBrowser(
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
  options: {
    hasTouch?: boolean;
    isMobile?: boolean;
    javaScriptEnabled?: boolean;
    /** More origins the page may load from. */
    allowOrigins?: string[];
    /**
     * Keep the browser's HTTP cache: requests are watched instead of routed (routing turns the cache
     * off), so one that leaves the test server is recorded in `offsite` but not blocked.
     */
    httpCache?: boolean;
  } = {},
): Promise<BrowserSession> {
  const { allowOrigins = [], httpCache = false, ...contextOptions } = options;
  const executablePath = chromiumPath();
  const profile = await mkdtemp(join(tmpdir(), 'wide-enough-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      ...contextOptions,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const log: LogEntry[] = [];
  const offsite: string[] = [];
  const origins = new Set([new URL(baseUrl).origin, ...allowOrigins.map((u) => new URL(u).origin)]);
  const local = (url: string) => url.startsWith('data:') || url.startsWith('blob:') || origins.has(new URL(url).origin);
  if (httpCache) {
    context.on('request', (r) => {
      if (!local(r.url())) offsite.push(r.url());
    });
  } else {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (local(url)) return route.continue();
      offsite.push(url);
      return route.abort('blockedbyclient');
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => log.push({ type: m.type(), text: m.text(), from: 'page' }));
  page.on('pageerror', (e) => log.push({ type: 'pageerror', text: e.stack ?? e.message, from: 'page' }));
  page.on('worker', (w) => w.on('console', (m) => log.push({ type: m.type(), text: m.text(), from: 'worker' })));
  return {
    context,
    page,
    log,
    offsite,
    problems: () =>
      log.filter((e) => e.type === 'error' || e.type === 'warning' || e.type === 'pageerror').map((e) => `[${e.from} ${e.type}] ${e.text}`),
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

/**
 * What the session logged and requested from now on: each test of a file that shares one browser
 * answers for its own console and requests (and runs alone with -t).
 */
export function sinceNow(b: BrowserSession): () => { problems: string[]; offsite: string[] } {
  const logFrom = b.log.length;
  const offsiteFrom = b.offsite.length;
  return () => ({
    problems: b.log
      .slice(logFrom)
      .filter((e) => e.type === 'error' || e.type === 'warning' || e.type === 'pageerror')
      .map((e) => `[${e.from} ${e.type}] ${e.text}`),
    offsite: b.offsite.slice(offsiteFrom),
  });
}

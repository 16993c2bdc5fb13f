/**
 * npm run -s bench:lighthouse -- [--runs N] [--site DIR] [--path PATH] [--preset mobile|desktop] [--json]
 *
 * Lighthouse 12 (the `lighthouse` dev dependency, pinned) on the built site, served on 127.0.0.1
 * as a static host serves it (gzip for text, as every such host does; cache-control no-cache), in
 * headless Chromium ($CHROME_PATH, else /usr/bin/chromium), N runs (default 3) one after another.
 * Prints the median score of each category, the median metrics (FCP, LCP, TBT, CLS, Speed Index)
 * and the audits that cost the performance score most in the median run. Lighthouse's default
 * settings: a mid-range phone on a slow 4G link, simulated; --preset desktop for its desktop ones.
 * Not a test: scores depend on the machine (its load average is printed).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, chromiumPath, REPO_ROOT } from './chromium.ts';

interface Args {
  runs: number;
  site: string | null;
  path: string;
  preset: 'mobile' | 'desktop';
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 3, site: null, path: '', preset: 'mobile', json: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => argv[++i] ?? '';
    if (k === '--runs') a.runs = Math.max(1, Number(next()) | 0);
    else if (k === '--site') a.site = next();
    else if (k === '--path') a.path = next().replace(/^\//, '');
    else if (k === '--preset') {
      const p = next();
      if (p !== 'mobile' && p !== 'desktop') usage(`--preset must be mobile or desktop, not ${p}`);
      a.preset = p as Args['preset'];
    } else if (k === '--json') a.json = true;
    else usage(`unknown flag ${k}`);
  }
  return a;
}

function usage(why: string): never {
  console.error(`${why}\nusage: npm run -s bench:lighthouse -- [--runs N] [--site DIR] [--path PATH] [--preset mobile|desktop] [--json]`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.wasm', '.ttf']);

/** The built site as a static host serves it: gzip for text when asked, revalidated on each visit. */
function serve(dir: string): Promise<{ url: string; server: Server }> {
  const cache = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    void (async () => {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(dir, path));
      if (!file.startsWith(dir) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const ext = extname(file);
      const body = await readFile(file);
      const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        let gz = cache.get(file);
        if (!gz) cache.set(file, (gz = gzipSync(body, { level: 9 })));
        res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz);
      } else res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end(body);
    })();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server })));
}

function lighthouseBin(): string {
  const bin = process.env.LIGHTHOUSE_BIN || join(REPO_ROOT, 'node_modules', '.bin', 'lighthouse');
  if (!existsSync(bin)) usage(`lighthouse not found at ${bin}: npm ci installs it (a dev dependency), or set LIGHTHOUSE_BIN`);
  return bin;
}

interface Audit {
  id: string;
  title: string;
  score: number | null;
  displayValue?: string;
  numericValue?: number;
  metricSavings?: Record<string, number>;
}
interface Report {
  categories: Record<string, { title: string; score: number }>;
  audits: Record<string, Audit>;
}

async function runOnce(url: string, out: string): Promise<Report> {
  const flags = [
    url,
    '--quiet',
    '--output=json',
    `--output-path=${out}`,
    '--only-categories=performance,accessibility,best-practices,seo',
    `--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync`,
    ...(args.preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  await new Promise<void>((ok, fail) => {
    const p = spawn(lighthouseBin(), flags, { env: { ...process.env, CHROME_PATH: chromiumPath() }, stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`lighthouse exited ${code}`))));
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];

async function main(): Promise<void> {
  const built = args.site ? null : await buildSite();
  const dir = normalize(args.site ?? built!);
  const { url, server } = await serve(dir);
  const tmp = await mkdtemp(join(tmpdir(), 'wide-enough-lighthouse-'));
  const reports: Report[] = [];
  const loads = [loadavg()[0]];
  try {
    for (let i = 0; i < args.runs; i++) {
      reports.push(await runOnce(`${url}${args.path}`, join(tmp, `run${i}.json`)));
      loads.push(loadavg()[0]);
      const r = reports[reports.length - 1];
      console.error(`run ${i + 1}/${args.runs}: ${Object.values(r.categories).map((c) => `${c.title} ${Math.round(c.score * 100)}`).join(', ')} (load ${loadavg()[0].toFixed(2)})`);
    }
  } finally {
    server.close();
    await rm(tmp, { recursive: true, force: true });
    if (built) await rm(built, { recursive: true, force: true });
  }
  const cats = Object.keys(reports[0].categories);
  const scores = Object.fromEntries(cats.map((c) => [c, median(reports.map((r) => Math.round(r.categories[c].score * 100)))]));
  const metrics = Object.fromEntries(METRICS.map((m) => [m, median(reports.map((r) => r.audits[m].numericValue ?? NaN))]));
  // the run whose performance score is the median one: its audits are the ones to read
  const byPerf = [...reports].sort((a, b) => a.categories.performance.score - b.categories.performance.score);
  const mid = byPerf[(byPerf.length - 1) >> 1];
  const failing = Object.values(mid.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && !METRICS.includes(a.id))
    .map((a) => ({ ...a, savings: Object.values(a.metricSavings ?? {}).reduce((x, y) => x + y, 0) }))
    .sort((a, b) => b.savings - a.savings || (a.score ?? 1) - (b.score ?? 1))
    .slice(0, 10);
  if (args.json) {
    console.log(JSON.stringify({ preset: args.preset, scores, metrics, audits: failing.map(({ id, score, displayValue, metricSavings }) => ({ id, score, displayValue, metricSavings })), loadavg: loads }));
    return;
  }
  console.log(`Lighthouse 12, ${args.preset}, /${args.path}: median of ${args.runs} run(s); load average ${loads.map((x) => x.toFixed(2)).join(', ')} (2 cores)`);
  console.log(cats.map((c) => `${reports[0].categories[c].title} ${scores[c]}`).join(' | '));
  console.log(`FCP ${(metrics['first-contentful-paint'] / 1000).toFixed(2)} s | LCP ${(metrics['largest-contentful-paint'] / 1000).toFixed(2)} s | TBT ${Math.round(metrics['total-blocking-time'])} ms | CLS ${metrics['cumulative-layout-shift'].toFixed(3)} | Speed Index ${(metrics['speed-index'] / 1000).toFixed(2)} s`);
  console.log('audits below 0.9 in the median run (most metric savings first):');
  for (const a of failing) {
    const s = Object.entries(a.metricSavings ?? {}).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${k === 'CLS' ? v.toFixed(3) : Math.round(v) + ' ms'}`);
    console.log(`  ${a.id} (score ${a.score?.toFixed(2)}): ${a.title}${a.displayValue ? ` - ${a.displayValue}` : ''}${s.length ? ` [saves ${s.join(', ')}]` : ''}`);
  }
}

await main();

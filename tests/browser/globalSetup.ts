import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite, serveStatic } from './harness.ts';

/** Builds the site and the embed library once per browser-test run and serves them; the teardown stops the server and deletes the build. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // the server first, so the build (the same vite build as `npm run build`: site, embed/ library,
  // oembed/ and panels/) can name its address in the oEmbed documents; CORS, as pages of other
  // origins, and sandboxed frames (origin "null"), load its modules (tests/browser/embed.test.ts)
  const outDir = await mkdtemp(join(tmpdir(), 'wide-enough-site-'));
  const server = await serveStatic(outDir, { headers: { 'access-control-allow-origin': '*' } });
  await buildSite(outDir, server.url);
  project.provide('baseUrl', server.url);
  project.provide('siteDir', outDir);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}

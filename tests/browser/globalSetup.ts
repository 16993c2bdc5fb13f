import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { join } from 'node:path';
import { buildEmbed, buildSite, serveStatic } from './harness.ts';

/** Builds the site and the embed library once per browser-test run and serves them; the teardown stops the server and deletes the build. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await buildSite();
  // the embeddable library goes where a deployment puts it, embed/ beside the site; CORS, as
  // pages of other origins load it as a module (tests/browser/embed.test.ts)
  await buildEmbed(join(outDir, 'embed'));
  const server = await serveStatic(outDir, { headers: { 'access-control-allow-origin': '*' } });
  project.provide('baseUrl', server.url);
  project.provide('siteDir', outDir);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}

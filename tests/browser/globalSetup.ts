import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { buildSite, serveStatic } from './harness.ts';

/** Builds the site once per browser-test run and serves it; the teardown stops the server and deletes the build. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await buildSite();
  const server = await serveStatic(outDir);
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}

import workerUrl from './worker.ts?worker&url';
import { spawnWorkerAt } from './embedPool.ts';
import { defaultPoolSize, WorkerPool } from './workerPool.ts';

/**
 * embed.html's pool. In a frame of the site's own origin the worker starts directly; in an iframe
 * with sandbox="allow-scripts" (how WordPress frames providers it does not trust) the page's origin
 * is the opaque "null", which may not start a worker from a URL, so a blob: worker of that origin
 * imports it (the site must send Access-Control-Allow-Origin, as it must for the frame's own
 * modules); where even that fails, runs train in the page on the TypeScript kernels.
 */
let shared: WorkerPool | null = null;

export function framePool(): WorkerPool {
  return (shared ??= new WorkerPool(defaultPoolSize(), () => spawnWorkerAt(new URL(workerUrl, import.meta.url))));
}

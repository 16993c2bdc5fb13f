import { defaultPoolSize, WorkerPool } from './workerPool.ts';

/** A new training worker (vite bundles worker.ts and rewrites this URL relative to the module). */
export function spawnTrainingWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'wide-enough-training' });
}

let shared: WorkerPool | null = null;

/** The page's one pool, shared by all its figures, so they never start more workers than cores. */
export function sharedPool(): WorkerPool {
  return (shared ??= new WorkerPool(defaultPoolSize(), spawnTrainingWorker));
}

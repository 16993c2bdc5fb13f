/**
 * The page's main-thread tasks over a window, from a Chromium trace (scripts/chromiumTrace.ts):
 * each task's wall time and its CPU time (thread ticks).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { startTrace, threadTasks, type Task } from '../../scripts/chromiumTrace.ts';

export type MainThreadTask = Omit<Task, 'thread'>;

/** Starts tracing `page`; the returned function ends the trace and gives the renderer main thread's tasks. */
export async function traceMainThreadTasks(context: BrowserContext, page: Page): Promise<() => Promise<MainThreadTask[]>> {
  const stop = await startTrace(context, page);
  return async () => threadTasks(await stop(), 'CrRendererMain');
}

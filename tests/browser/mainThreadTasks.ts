/**
 * The page's main-thread tasks over a window, from a Chromium trace: each task's wall time and
 * its CPU time (thread ticks). Wall time counts the moments the OS gave the thread's core to
 * someone else (the page's own training workers, other tenants of a shared machine); CPU time is
 * the work the task itself did, which is what the page's code controls.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface MainThreadTask {
  start: number; // µs, trace clock
  wallMs: number;
  cpuMs: number; // NaN when the trace has no thread time
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Starts tracing `page`; the returned function ends the trace and gives the renderer main thread's tasks. */
export async function traceMainThreadTasks(context: BrowserContext, page: Page): Promise<() => Promise<MainThreadTask[]>> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', '__metadata'] },
    transferMode: 'ReportEvents',
  });
  return async () => {
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    const mainThreads = new Set(
      events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
    );
    return events
      .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mainThreads.has(`${e.pid}:${e.tid}`))
      .map((e) => ({ start: e.ts, wallMs: (e.dur ?? 0) / 1000, cpuMs: e.tdur === undefined ? NaN : e.tdur / 1000 }));
  };
}

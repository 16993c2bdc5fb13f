/**
 * A Chromium trace of a page's threads (the DevTools protocol's Tracing domain), for the browser
 * tests and the page bench: the events, each thread's name, and the top-level tasks of a thread.
 * A task's wall time counts the moments the OS gave the thread's core to someone else (the page's
 * own training workers, other tenants of a shared machine); its CPU time (thread ticks) is the work
 * the task itself did, which is what the page's code controls.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** A node of a sampled CPU profile (the v8.cpu_profiler category's ProfileChunk events). */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number; // µs, trace clock
  id?: string;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } };
}

export interface Trace {
  events: TraceEvent[];
  /** A thread's name ("CrRendererMain", "DedicatedWorker thread", ...) by "pid:tid". */
  threads: Map<string, string>;
}

export interface Task {
  thread: string; // "pid:tid"
  start: number; // µs, trace clock
  wallMs: number;
  cpuMs: number; // NaN when the trace has no thread time
}

export const threadOf = (e: Pick<TraceEvent, 'pid' | 'tid'>): string => `${e.pid}:${e.tid}`;

/** Starts tracing `page` with `categories` (toplevel and __metadata always); the returned function ends the trace. */
export async function startTrace(context: BrowserContext, page: Page, categories: string[] = []): Promise<() => Promise<Trace>> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', '__metadata', ...categories] },
    transferMode: 'ReportEvents',
  });
  return async () => {
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    const threads = new Map<string, string>();
    for (const e of events) if (e.name === 'thread_name' && e.args?.name) threads.set(threadOf(e), e.args.name);
    return { events, threads };
  };
}

/** The top-level tasks of the threads whose name matches `thread` (the renderer's main thread: "CrRendererMain"). */
export function threadTasks(trace: Trace, thread: string | RegExp): Task[] {
  const matches = (name: string | undefined) => name !== undefined && (typeof thread === 'string' ? name === thread : thread.test(name));
  return trace.events
    .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && matches(trace.threads.get(threadOf(e))))
    .map((e) => ({ thread: threadOf(e), start: e.ts, wallMs: (e.dur ?? 0) / 1000, cpuMs: e.tdur === undefined ? NaN : e.tdur / 1000 }));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import type { FromWorker, ToWorker } from '../../src/train/protocol.ts';
import { RecordBatch } from '../../src/train/recordLayout.ts';

/**
 * The training worker's script, run in this process: `self` is a stand-in scope whose
 * postMessage collects what the worker says, so the test drives it message by message.
 */
const said: FromWorker[] = [];
const scope = {
  onmessage: null as ((ev: MessageEvent<ToWorker>) => void) | null,
  postMessage(msg: FromWorker) {
    said.push(msg);
  },
};

function send(msg: ToWorker): void {
  scope.onmessage!({ data: msg } as MessageEvent<ToWorker>);
}

async function until<T extends FromWorker['type']>(type: T, runId: number, timeout = 100_000): Promise<Extract<FromWorker, { type: T }>> {
  const t0 = Date.now();
  for (;;) {
    const m = said.find((s) => s.type === type && s.runId === runId);
    if (m) return m as Extract<FromWorker, { type: T }>;
    if (Date.now() - t0 > timeout) throw new Error(`no ${type} for run ${runId}: ${JSON.stringify(said.map((s) => s.type))}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const SMALL: RunConfig = { ...DEFAULT_CONFIG, d: 4, m: 32, n: 6, steps: 400, every: 1, eps: 1e-3 };
/** Every record the worker sent about a run, unpacked in the layout it announced. */
function records(runId: number): Partial<Record<string, number>>[] {
  const started = said.find((m) => m.type === 'started' && m.runId === runId) as Extract<FromWorker, { type: 'started' }>;
  return said.flatMap((m) => (m.type === 'records' && m.runId === runId ? new RecordBatch(started.info.layout, m.data).toObjects() : []));
}

describe('the training worker', () => {
  const saved = (globalThis as { self?: unknown }).self;
  beforeAll(async () => {
    (globalThis as { self?: unknown }).self = scope;
    await import('../../src/train/worker.ts');
  });
  afterAll(() => {
    (globalThis as { self?: unknown }).self = saved;
  });

  it('sets a run up, streams its records in the requested layout, and says when it converged', async () => {
    send({ type: 'start', runId: 1, config: SMALL, measures: { pl: true, dist: true } });
    const started = await until('started', 1);
    expect(started.info.layout).toEqual(['step', 'loss', 'gradNorm', 'plRatio', 'distFro', 'distRel']);
    expect(started.info.lr).toBeGreaterThan(0);
    expect(started.info.params.trained).toBe(SMALL.L * SMALL.m * SMALL.m);
    const done = await until('done', 1);
    expect(done.reason).toBe('converged');
    const recs = records(1);
    expect(recs.map((r) => r.step)).toEqual(Array.from({ length: recs.length }, (_, i) => i)); // every step, in order
    expect(recs.at(-1)!.loss).toBeLessThanOrEqual(1e-3 * recs[0].loss!);
    expect(recs[0].distFro).toBe(0);
    expect(recs.at(-1)!.distFro).toBeGreaterThan(0);
    expect(recs.every((r) => Number.isFinite(r.plRatio))).toBe(true);
  });

  // (Node delivers a busy MessagePort's messages ahead of timers, so runs here are short: a
  // worker that trains without end would starve the test's clock, which a browser does not.)
  it('holds a run started paused, makes exactly the updates asked for, then resumes to its step limit', async () => {
    send({ type: 'start', runId: 2, config: { ...SMALL, eps: 0, steps: 60 }, paused: true });
    await until('started', 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(said.some((m) => m.type === 'records' && m.runId === 2)).toBe(false);
    send({ type: 'step', runId: 2, count: 3 });
    await new Promise((r) => setTimeout(r, 100));
    expect(records(2).map((r) => r.step)).toEqual([0, 1, 2, 3]);
    send({ type: 'resume', runId: 2 });
    const done = await until('done', 2);
    expect(done.reason).toBe('steps');
    expect(records(2).at(-1)!.step).toBe(60);
  });

  it('stops a run on request and says nothing more about it; a new start replaces a run', async () => {
    send({ type: 'start', runId: 4, config: SMALL, paused: true });
    await until('started', 4);
    send({ type: 'stop', runId: 4 });
    expect((await until('done', 4)).reason).toBe('stopped');
    send({ type: 'start', runId: 5, config: { ...SMALL, steps: 1e6, eps: 0 }, paused: true });
    send({ type: 'start', runId: 6, config: SMALL });
    await until('done', 6);
    send({ type: 'resume', runId: 5 }); // about a run the worker no longer hosts: ignored
    await new Promise((r) => setTimeout(r, 50));
    // each start is confirmed on arrival ('alive'), before its set-up, which says how far it has got ('setup')
    expect(said.filter((m) => m.runId === 4 || m.runId === 5).map((m) => (m.type === 'setup' ? `setup:${m.phase}` : m.type))).toEqual([
      'alive', 'setup:init', 'setup:kernel', 'started', 'done', 'alive', 'setup:init', 'setup:kernel', 'started',
    ]);
  });

  it('answers a ping at once', async () => {
    send({ type: 'ping' });
    await new Promise((r) => setTimeout(r, 20));
    expect(said.some((m) => m.type === 'alive' && m.runId === 0)).toBe(true);
  });

  it('reports a bad config as an error of that run', async () => {
    send({ type: 'start', runId: 3, config: { ...SMALL, batch: 99 } });
    const err = await until('error', 3);
    expect(err.message).toMatch(/batch/);
  });
});

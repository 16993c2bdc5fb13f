import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import type { FromWorker, RunInfo, ToWorker } from '../../src/train/protocol.ts';
import { packRecords } from '../../src/train/recordLayout.ts';
import type { RunState } from '../../src/train/runHandle.ts';
import { defaultPoolSize, WorkerPool } from '../../src/train/workerPool.ts';

/** A stand-in for a training worker: records what the page sends, lets the test answer. */
class FakeWorker {
  static all: FakeWorker[] = [];
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  sent: ToWorker[] = [];
  terminated = false;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
  lastStart(): Extract<ToWorker, { type: 'start' }> {
    return this.sent.filter((m) => m.type === 'start').at(-1) as Extract<ToWorker, { type: 'start' }>;
  }
}

const INFO: RunInfo = { layout: ['step', 'loss', 'gradNorm'], lr: 0.1, lambdaMax0: 5, delta: 0.3, params: { total: 10, trained: 8 }, kernels: 'fake', setupMs: 1 };

function pool(size: number): WorkerPool {
  FakeWorker.all = [];
  return new WorkerPool(size, () => new FakeWorker() as unknown as Worker);
}

const request = (m: number) => ({ config: { ...DEFAULT_CONFIG, m } });

describe('WorkerPool', () => {
  it('sizes itself by cores, capped, at least one', () => {
    expect([defaultPoolSize(1), defaultPoolSize(2), defaultPoolSize(16), defaultPoolSize(undefined)]).toEqual([1, 2, 4, 2]);
  });

  it('runs one run per worker, queues the rest, and hands a freed worker to the next in line', async () => {
    const p = pool(2);
    const a = p.start(request(8), {});
    const b = p.start(request(16), {});
    const c = p.start(request(32), {});
    const d = p.start(request(64), {}, { first: true });
    expect([a.state, b.state, c.state, d.state]).toEqual(['starting', 'starting', 'queued', 'queued']);
    const [w1] = FakeWorker.all;
    w1.say({ type: 'started', runId: a.runId, info: INFO });
    w1.say({ type: 'done', runId: a.runId, reason: 'converged', message: 'ok', step: 5 });
    expect(a.state).toBe('done');
    await Promise.resolve(); // the freed worker is handed on a microtask later (see WorkerPool.assign)
    expect(d.state).toBe('starting'); // it asked to go first
    expect(w1.lastStart().config.m).toBe(64);
    expect(FakeWorker.all.length).toBe(2);
  });

  it('delivers records as batches with progress, and drops what a worker says about a run it replaced', () => {
    const p = pool(1);
    const got: number[] = [];
    const a = p.start(request(8), { records: (batch) => got.push(batch.get(0, 'loss')) });
    const [w] = FakeWorker.all;
    w.say({ type: 'started', runId: a.runId, info: INFO });
    w.say({ type: 'records', runId: a.runId, data: packRecords([{ step: 0, loss: 3, gradNorm: 1 }]), step: 1, stepsPerSecond: 99, stepMs: 1 });
    expect(got).toEqual([3]);
    expect(a.progress.stepsPerSecond).toBe(99);
    a.cancel(); // fast updates: the worker is told to stop, and reused
    expect(w.terminated).toBe(false);
    const b = p.start(request(16), { records: (batch) => got.push(batch.get(0, 'loss')) });
    w.say({ type: 'records', runId: a.runId, data: packRecords([{ step: 2, loss: 7, gradNorm: 1 }]), step: 2, stepsPerSecond: 1, stepMs: 1 });
    w.say({ type: 'started', runId: b.runId, info: INFO });
    w.say({ type: 'records', runId: b.runId, data: packRecords([{ step: 0, loss: 5, gradNorm: 1 }]), step: 0, stepsPerSecond: 1, stepMs: 1 });
    expect(got).toEqual([3, 5]);
    expect(w.sent.map((m) => m.type)).toEqual(['start', 'stop', 'start']);
  });

  it('replaces a worker that is busy setting up a run the page has left', () => {
    const p = pool(1);
    const wide = p.start(request(4096), {});
    const [w1] = FakeWorker.all;
    wide.cancel();
    expect(w1.terminated).toBe(true);
    const narrow = p.start(request(8), {});
    expect(FakeWorker.all.length).toBe(2);
    expect(FakeWorker.all[1].lastStart().runId).toBe(narrow.runId);
  });

  it('keeps a worker setting up a small run the page has left: the next run follows on it', async () => {
    const p = pool(1);
    const small = p.start(request(256), {});
    const [w1] = FakeWorker.all;
    small.cancel(); // its set-up takes milliseconds: a fresh worker would take longer to load
    expect(w1.terminated).toBe(false);
    const next = p.start(request(8), {});
    await Promise.resolve();
    expect(FakeWorker.all.length).toBe(1);
    expect(w1.sent.map((m) => m.type)).toEqual(['start', 'stop', 'start']);
    expect(w1.lastStart().runId).toBe(next.runId);
  });

  it('honours pause, resume and step pressed before the worker had set the run up', async () => {
    const p = pool(1);
    const states: RunState[] = [];
    const a = p.start(request(8), { state: (s) => states.push(s) });
    const [w] = FakeWorker.all;
    a.pause();
    w.say({ type: 'started', runId: a.runId, info: INFO });
    expect(w.sent.at(-1)).toEqual({ type: 'pause', runId: a.runId });
    expect(a.state).toBe('paused');
    a.resume();
    expect(w.sent.at(-1)).toEqual({ type: 'resume', runId: a.runId });
    const b = p.start(request(16), {}, { paused: true });
    b.stepBy(2);
    expect(b.state).toBe('queued');
    a.cancel();
    await Promise.resolve();
    const bStart = w.lastStart();
    expect(bStart.paused).toBe(true);
    w.say({ type: 'started', runId: b.runId, info: INFO });
    expect(w.sent.at(-1)).toEqual({ type: 'step', runId: b.runId, count: 2 });
    expect(states).toEqual(['starting', 'paused', 'running', 'cancelled']);
  });

  it('a lent run keeps its worker, paused where it was, until a run waits for one; then it is evicted and says so', async () => {
    const p = pool(1);
    let evicted = 0;
    const a = p.start(request(8), { evicted: () => evicted++ });
    const [w] = FakeWorker.all;
    w.say({ type: 'started', runId: a.runId, info: INFO });
    a.pause();
    a.lend();
    await Promise.resolve();
    expect(a.state).toBe('paused'); // nobody waits: it keeps the worker
    a.reclaim();
    const b = p.start(request(16), {});
    await Promise.resolve();
    expect([a.state, b.state]).toEqual(['paused', 'queued']); // reclaimed: not given away
    a.lend(); // a run waits: the lent one goes, and its worker serves the waiting one
    await Promise.resolve();
    await Promise.resolve();
    expect(a.state).toBe('cancelled');
    expect(evicted).toBe(1);
    expect(b.state).toBe('starting');
    expect(w.sent.map((m) => m.type)).toEqual(['start', 'pause', 'stop', 'start']);
    expect(w.terminated).toBe(false);
  });

  it('a queued run whose figure is off screen takes no lent worker until it is back; one held for set-up on screen does', async () => {
    const p = pool(2);
    const a = p.start(request(8), {});
    const b = p.start(request(8), {});
    for (const [i, h] of [a, b].entries()) FakeWorker.all[i].say({ type: 'started', runId: h.runId, info: INFO });
    a.pause();
    a.lend();
    b.pause();
    b.lend();
    const away = p.start(request(16), {}, { paused: true, away: true });
    await Promise.resolve();
    await Promise.resolve();
    expect([a.state, b.state, away.state]).toEqual(['paused', 'paused', 'queued']);
    away.setAway(false); // its figure is back
    await Promise.resolve();
    await Promise.resolve();
    expect([a.state, away.state]).toEqual(['cancelled', 'starting']);
    const held = p.start(request(32), {}, { paused: true }); // on screen, held until its set-up answers a probe
    await Promise.resolve();
    await Promise.resolve();
    expect([b.state, held.state]).toEqual(['cancelled', 'starting']);
  });

  it('a waiting run evicts a lent run that ended but answers probes, and never a run that is not lent', async () => {
    const p = pool(2);
    const a = p.start({ ...request(8), probes: true }, {});
    const b = p.start(request(16), {});
    const [w1, w2] = FakeWorker.all;
    w1.say({ type: 'started', runId: a.runId, info: INFO });
    w1.say({ type: 'done', runId: a.runId, reason: 'converged', message: 'ok', step: 5 });
    w2.say({ type: 'started', runId: b.runId, info: INFO });
    b.pause(); // paused, not lent
    a.lend();
    const c = p.start(request(32), {});
    await Promise.resolve();
    await Promise.resolve();
    expect(a.probing).toBe(false);
    expect(b.state).toBe('paused');
    expect(c.state).toBe('starting');
    expect(w1.lastStart().runId).toBe(c.runId);
  });

  it('fails the run when its worker dies, and spawns a fresh worker for the next', () => {
    const p = pool(1);
    let error = '';
    const a = p.start(request(8), { error: (m) => (error = m) });
    const [w1] = FakeWorker.all;
    w1.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    expect(a.state).toBe('error');
    expect(error).toMatch(/out of memory/);
    expect(w1.terminated).toBe(true);
    p.start(request(8), {});
    expect(FakeWorker.all.length).toBe(2);
  });
});

describe('WorkerPool: a worker that dies without a word', () => {
  const liveness = { pingEveryMs: 1000, silentMs: 5000, setupSilentMs: 60_000, stepsOfSilence: 5 };
  let clock = 0;
  function watchedPool(size: number): WorkerPool {
    FakeWorker.all = [];
    clock = 0;
    return new WorkerPool(size, () => new FakeWorker() as unknown as Worker, { liveness, now: () => clock });
  }
  /** Moves the clock and the timers on by `ms`, one ping period at a time, with live workers answering. */
  function elapse(ms: number, alive: (w: FakeWorker) => boolean): void {
    for (let t = 0; t < ms; t += liveness.pingEveryMs) {
      clock += liveness.pingEveryMs;
      vi.advanceTimersByTime(liveness.pingEveryMs);
      for (const w of FakeWorker.all) if (!w.terminated && alive(w) && w.sent.at(-1)?.type === 'ping') w.say({ type: 'alive', runId: 0 });
    }
  }

  it('buries a silent worker: its run fails saying why, the others train on, the next run gets a fresh worker', async () => {
    vi.useFakeTimers();
    try {
      const p = watchedPool(2);
      const errors: string[] = [];
      const a = p.start(request(8), { error: (m) => errors.push(m) });
      const b = p.start(request(16), {});
      const [w1, w2] = FakeWorker.all;
      for (const [w, h] of [[w1, a], [w2, b]] as const) {
        w.say({ type: 'alive', runId: h.runId });
        w.say({ type: 'started', runId: h.runId, info: INFO });
      }
      expect([a.state, b.state]).toEqual(['running', 'running']);
      elapse(4000, () => true);
      expect(a.state).toBe('running'); // answering pings keeps a worker alive
      elapse(7000, (w) => w !== w1); // w1 called close(): it says nothing more
      expect(a.state).toBe('error');
      expect(errors[0]).toMatch(/stopped answering for \d+ s/);
      expect(w1.terminated).toBe(true);
      expect(b.state).toBe('running');
      expect(w2.terminated).toBe(false);
      const c = p.start(request(32), {});
      await Promise.resolve();
      expect(c.state).toBe('starting');
      expect(FakeWorker.all.length).toBe(3); // a fresh worker, not the dead one
      expect(FakeWorker.all[2].lastStart().config.m).toBe(32);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a worker set a run up in silence once it confirmed the start, but not one that never answered', async () => {
    vi.useFakeTimers();
    try {
      const p = watchedPool(2);
      const a = p.start(request(4096), {});
      const b = p.start(request(8), {});
      const [w1, w2] = FakeWorker.all;
      w1.say({ type: 'alive', runId: a.runId }); // got it; now busy setting up, silent
      elapse(30_000, () => false);
      expect(a.state).toBe('starting');
      expect(b.state).toBe('error'); // w2 never confirmed its start
      elapse(40_000, () => false);
      expect(a.state).toBe('error'); // past the set-up allowance
      expect([w1.terminated, w2.terminated]).toEqual([true, true]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('buries a worker that confirmed a small run and went silent after the ordinary silence: its set-up takes milliseconds', async () => {
    vi.useFakeTimers();
    try {
      const p = watchedPool(1);
      const a = p.start(request(256), {});
      const [w1] = FakeWorker.all;
      w1.say({ type: 'alive', runId: a.runId }); // got it, then died before it said 'started'
      elapse(4000, () => false);
      expect(a.state).toBe('starting');
      elapse(3000, () => false);
      expect(a.state).toBe('error');
      expect(w1.terminated).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a message that cannot be sent ends its run and frees the worker slot, without an uncaught error', async () => {
    const p = pool(1);
    const a = p.start(request(8), {});
    const [w1] = FakeWorker.all;
    w1.say({ type: 'started', runId: a.runId, info: INFO });
    w1.postMessage = () => {
      throw new Error('DataCloneError');
    };
    expect(() => a.cancel()).not.toThrow();
    const b = p.start(request(16), {});
    await Promise.resolve();
    expect(b.state).toBe('starting');
    expect(FakeWorker.all.length).toBe(2);
  });
});

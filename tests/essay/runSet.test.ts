import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import { col, last, RunSet, runRows, type RunSpec } from '../../src/essay/figures/runSet.ts';
import { runNote } from '../../src/essay/figures/runNote.ts';
import { FakePool, recs } from './fakePool.ts';

const spec = (m: number, more: Partial<RunSpec> = {}): RunSpec => ({ key: `m${m}`, config: { ...DEFAULT_CONFIG, m, initSeed: 7 }, ...more });

function setup(more: Partial<ConstructorParameters<typeof RunSet>[0]> = {}) {
  const pool = new FakePool();
  let changes = 0;
  const set = new RunSet({ pool, measures: { pl: true }, fields: ['plRatio'], onChange: () => changes++, ...more });
  return { pool, set, changes: () => changes };
}

describe('RunSet', () => {
  it('starts runs paused until the figure is on screen, with its measures and probes', () => {
    const { pool, set } = setup({ probes: true });
    expect(set.started).toBe(false);
    set.startAll([spec(32), spec(64, { first: true })]);
    expect(set.started).toBe(true);
    expect(set.runs.map((r) => r.key)).toEqual(['m32', 'm64']);
    expect(pool.handles.map((h) => h.request.config.m)).toEqual([32, 64]);
    expect(pool.handles[0].request.measures).toEqual({ pl: true });
    expect(pool.handles[0].request.probes).toBe(true);
    expect(pool.options.get(pool.handles[1])).toEqual({ first: true, paused: true, away: true });
    expect(pool.messages(pool.handles[0], 'start')[0]).toMatchObject({ paused: true });
    set.resume();
    set.start(spec(128));
    expect(pool.options.get(pool.handles[2])?.paused).toBe(false);
  });

  it('collects records column by column, calls back per batch, and keeps facts and the end', () => {
    const batches: number[] = [];
    const ended: string[] = [];
    const { pool, set, changes } = setup({ records: (r, b) => batches.push(b.count), done: (r, e) => ended.push(`${r.key}:${e.reason}`) });
    const [run] = set.startAll([spec(32)]);
    pool.started(run.handle, 0.25);
    expect(run.info?.lr).toBe(0.25);
    pool.records(run.handle, recs([0, 1], (s) => ({ plRatio: 10 + s })));
    pool.records(run.handle, recs([2], (s) => ({ plRatio: 10 + s })));
    expect(col(run, 'step')).toEqual([0, 1, 2]);
    expect(col(run, 'loss')).toEqual([1, 0.5, Math.fround(1 / 3)]);
    expect(col(run, 'plRatio')).toEqual([10, 11, 12]);
    expect(col(run, 'gradNorm')).toEqual([]); // not asked for
    expect(last(run, 'plRatio')).toBe(12);
    expect(batches).toEqual([2, 1]);
    const before = changes();
    pool.done(run.handle, 'converged', 2);
    expect(run.end).toMatchObject({ reason: 'converged', step: 2 });
    expect(ended).toEqual(['m32:converged']);
    expect(changes()).toBeGreaterThan(before);
    expect(set.running).toBe(0);
    expect(runRows(set.runs, (r, i) => [r.key, col(r, 'step')[i]])).toEqual([['m32', 0], ['m32', 1], ['m32', 2]]);
  });

  it('replaces a run of the same key, cancelling the old one', () => {
    const { pool, set } = setup();
    set.start(spec(32));
    set.start(spec(64));
    const old = set.get('m32')!.handle;
    const again = set.start(spec(32));
    expect(old.state).toBe('cancelled');
    expect(set.runs.map((r) => r.key)).toEqual(['m64', 'm32']);
    expect(again.handle).not.toBe(old);
    expect(pool.handles.length).toBe(3);
    set.remove('m64');
    expect(set.runs.map((r) => r.key)).toEqual(['m32']);
  });

  it('pauses off screen and resumes on screen, leaving held runs paused', () => {
    const { pool, set } = setup();
    set.resume();
    const [a, b] = set.startAll([spec(32), spec(64, { held: true })]);
    pool.started(a.handle);
    pool.started(b.handle);
    expect([a.handle.state, b.handle.state]).toEqual(['running', 'paused']);
    set.pause();
    expect([a.handle.state, b.handle.state]).toEqual(['paused', 'paused']);
    expect(runNote(a)).toBe('paused at step 0');
    set.resume();
    expect([a.handle.state, b.handle.state]).toEqual(['running', 'paused']);
    set.stepBy(a, 5);
    expect(a.held).toBe(true);
    expect(pool.messages(a.handle, 'step')).toEqual([{ type: 'step', runId: a.handle.runId, count: 5 }]);
    set.hold(a, false);
    expect(a.handle.state).toBe('running');
    set.hold(b, false);
    expect(b.handle.state).toBe('running');
  });

  it('lends unfinished runs off screen: back on screen they resume where they were, nothing trained again', () => {
    const { pool, set } = setup();
    set.resume();
    const [a] = set.startAll([spec(32)]);
    pool.started(a.handle);
    pool.records(a.handle, recs([0, 1, 2]));
    const h = a.handle;
    set.pause();
    set.release();
    expect(h.isLent).toBe(true);
    expect(h.state).toBe('paused');
    expect(a.released).toBe(false);
    set.resume();
    expect(a.handle).toBe(h);
    expect(h.isLent).toBe(false);
    expect(h.state).toBe('running');
    expect(a.launches).toBe(1);
    expect(col(a, 'step')).toEqual([0, 1, 2]);
    expect(pool.handles.length).toBe(1);
  });

  it('trains a lent run again from the same spec once the pool gave its worker away, dropping partial records', () => {
    const owns: number[] = [];
    const { pool, set } = setup({ own: (s) => (owns.push(s.config.m), { flips: [] as number[] }) });
    set.resume();
    const [a, b] = set.startAll([spec(32), spec(64)]);
    pool.started(a.handle);
    pool.started(b.handle);
    pool.records(a.handle, recs([0, 1, 2]));
    pool.done(a.handle, 'converged', 2);
    pool.records(b.handle, recs([0, 1]));
    (b.own as { flips: number[] }).flips.push(1);
    const oldB = b.handle;
    set.pause();
    set.release();
    expect(oldB.state).toBe('paused'); // lent, until a run that waits takes its worker
    oldB.evict();
    expect(oldB.state).toBe('cancelled');
    expect(b.released).toBe(true);
    expect(a.released).toBe(false); // it had ended
    expect(set.running).toBe(1);
    expect(runNote(b)).toBe('resumes on screen');
    pool.records(oldB, recs([2])); // a late message of the cancelled run: dropped
    expect(col(b, 'step')).toEqual([0, 1]);
    set.resume();
    expect(b.handle).not.toBe(oldB);
    expect(b.released).toBe(false);
    expect(b.launches).toBe(2);
    expect(b.handle.request.config).toEqual(oldB.request.config); // same seeds
    expect(col(b, 'step')).toEqual([]);
    expect(b.own).toEqual({ flips: [] });
    expect(owns).toEqual([32, 64, 64]);
    expect(set.get('m32')).toBe(a);
    expect(col(a, 'step')).toEqual([0, 1, 2]);
    expect(pool.handles.length).toBe(3);
  });

  it('with releaseEnded, lends an ended probe run too, and trains it again on return once evicted', () => {
    const { pool, set } = setup({ probes: true, releaseEnded: true });
    set.resume();
    const [a] = set.startAll([spec(32)]);
    pool.started(a.handle);
    pool.done(a.handle, 'converged', 9);
    expect(a.handle.probing).toBe(true);
    set.release();
    expect(a.handle.isLent).toBe(true);
    a.handle.evict();
    expect(a.released).toBe(true);
    expect(pool.released).toContain(pool.handles[0]);
    set.resume();
    expect(a.end).toBeNull();
    expect(pool.handles.length).toBe(2);
  });

  it('leaves failed runs alone on release, and cancels everything on dispose', () => {
    const { pool, set } = setup();
    set.resume();
    const [a, b] = set.startAll([spec(32), spec(64)]);
    pool.started(a.handle);
    pool.error(a.handle, 'out of memory');
    expect(a.error).toBe('out of memory');
    set.release();
    expect(a.released).toBe(false);
    set.dispose();
    expect(b.handle.state).toBe('cancelled');
    expect(b.released).toBe(false);
    set.resume();
    expect(pool.handles.length).toBe(2); // nothing trains again after dispose
    expect(set.runs.length).toBe(2); // still there to draw
  });

  it('retryFailed trains failed runs again from their spec, leaving the others as they are', () => {
    const { pool, set } = setup();
    set.resume();
    const [a, b] = set.startAll([spec(32), spec(64)]);
    pool.started(a.handle);
    pool.started(b.handle);
    pool.error(a.handle, 'the training worker stopped answering for 12 s');
    const failedHandle = a.handle;
    const bHandle = b.handle;
    set.retryFailed();
    expect(a.error).toBeNull();
    expect(a.handle).not.toBe(failedHandle);
    expect(a.launches).toBe(2);
    expect(a.handle.request.config).toEqual(failedHandle.request.config); // same seeds, same trajectory
    expect(b.handle).toBe(bHandle);
    expect(pool.handles.length).toBe(3);
  });

  it('clear drops every run and makes the set not started', () => {
    const { set } = setup();
    const [a] = set.startAll([spec(32)]);
    set.clear();
    expect(a.handle.state).toBe('cancelled');
    expect(set.runs).toEqual([]);
    expect(set.started).toBe(false);
  });

  it("follows a figure's lifecycle: starts on its first time on screen, then pauses, releases and resumes", () => {
    const { pool, set } = setup();
    let starts = 0;
    const life = set.lifecycle(() => {
      starts++;
      set.startAll([spec(32)]);
    });
    life.onscreen();
    expect(starts).toBe(1);
    const run = set.runs[0];
    expect(pool.options.get(run.handle)?.paused).toBe(false);
    pool.started(run.handle);
    life.offscreen();
    expect(run.handle.state).toBe('paused');
    life.release();
    expect(run.handle.isLent).toBe(true);
    run.handle.evict();
    expect(run.released).toBe(true);
    life.onscreen();
    expect(starts).toBe(1);
    expect(run.launches).toBe(2);
    expect(run.handle.state).toBe('starting');
  });
});
